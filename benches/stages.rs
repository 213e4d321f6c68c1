//! Micro-benchmarks of each stage of a build (load, graph, render, index, publish) on a
//! generated 1,000-entry catalog (`../shared/bench/gen_catalog.py`).
//! Run with `cargo bench --bench stages`.

use copcat::output::{MemorySink, NullSink, Sink, Staging, publish};
use copcat::timings::Timings;
use copcat::{catalog, config, content, render, search};
use criterion::{Criterion, criterion_group, criterion_main};
use std::path::{Path, PathBuf};
use std::process::Command;

fn generated_catalog(entries: usize) -> Option<PathBuf> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let generator = repo.parent()?.join("shared/bench/gen_catalog.py");
    if !generator.is_file() {
        eprintln!("skipped: the generator {} is missing", generator.display());
        return None;
    }
    let out = repo.join(format!("target/bench-stages-{entries}"));
    if !out.join("catalog.toml").is_file() {
        let status = Command::new("python3")
            .arg(&generator)
            .args(["--n", &entries.to_string(), "--format", "copcat", "--out"])
            .arg(&out)
            .status()
            .ok()?;
        assert!(status.success(), "the generator failed");
    }
    Some(out)
}

fn stages(c: &mut Criterion) {
    let Some(root) = generated_catalog(1000) else { return };
    let mut diagnostics = Vec::new();
    let config = config::load(&root, None, &mut diagnostics).unwrap().unwrap();
    let loaded = content::load(&root, &config, &mut diagnostics).unwrap();
    let built = catalog::build(config.clone(), loaded.clone(), false, &mut diagnostics);
    let texts: Vec<String> = built.entries.iter().map(|entry| entry.body.clone()).collect();

    let mut group = c.benchmark_group("stages-1k");
    group.sample_size(10);
    group.bench_function("load", |b| {
        b.iter(|| content::load(&root, &config, &mut Vec::new()).unwrap());
    });
    group.bench_function("graph", |b| {
        b.iter(|| catalog::build(config.clone(), loaded.clone(), false, &mut Vec::new()));
    });
    let theme = render::theme::load(&root, &built.config, &mut Vec::new()).unwrap().unwrap();
    let timings = Timings::off();
    group.bench_function("render", |b| {
        b.iter(|| render::site(&theme, &built, &NullSink::default(), &timings, &mut Vec::new()).unwrap());
    });
    group.bench_function("index", |b| b.iter(|| search::index(&built, &texts)));
    // The floor for rendering bodies: pulldown-cmark alone over every body (see the bytes
    // per second criterion reports).
    let body_bytes: usize = built.entries.iter().map(|entry| entry.body.len()).sum();
    group.throughput(criterion::Throughput::Bytes(body_bytes as u64));
    group.bench_function("markdown", |b| {
        b.iter(|| {
            built
                .entries
                .iter()
                .map(|entry| {
                    let mut html = String::new();
                    let parser = pulldown_cmark::Parser::new_ext(&entry.body, copcat::markdown::options());
                    pulldown_cmark::html::push_html(&mut html, parser);
                    html.len()
                })
                .sum::<usize>()
        });
    });
    group.throughput(criterion::Throughput::Elements(1));
    let memory = MemorySink::default();
    render::site(&theme, &built, &memory, &timings, &mut Vec::new()).unwrap();
    let files = memory.into_files();
    let output = root.join("bench-public");
    group.bench_function("publish", |b| {
        b.iter(|| {
            let staging = Staging::new(&output).unwrap();
            for (path, bytes) in &files {
                staging.put(copcat::output::OutputFile::new(path.clone(), bytes.clone())).unwrap();
            }
            publish(staging, &output).unwrap()
        });
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
