//! Load time grows linearly with what a file holds: one body with N `@/` links, and a
//! catalog.toml with N unknown keys (each found link and each diagnostic needs a line and
//! column, which were once found by rescanning the file from its start: 80,000 links took
//! 60 s). Criterion prints elements per second for each N; a flat rate is linear growth.
//! Run with `cargo bench --bench load_growth`.

use copcat::{config, content};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::path::Path;

const SIZES: [usize; 4] = [10_000, 20_000, 40_000, 80_000];

/// A catalog (the test fixture's catalog.toml) with one entry whose body links `links`
/// times to another entry, one link a line.
fn catalog_with_links(dir: &Path, links: usize) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base");
    std::fs::copy(fixture.join("catalog.toml"), dir.join("catalog.toml")).unwrap();
    let roles = dir.join("content/roles");
    std::fs::create_dir_all(&roles).unwrap();
    let entry = |title: &str| {
        format!(
            "+++\ntitle = \"{title}\"\nsummary = \"s\"\nstages = [\"generate-knowledge\"]\n+++\n\n## Why\n\n"
        )
    };
    std::fs::write(roles.join("target.md"), entry("Target")).unwrap();
    let mut body = entry("Links");
    for _ in 0..links {
        body.push_str("See [the target](@/roles/target.md#why), and [missing](@/roles/gone.md).\n");
    }
    std::fs::write(roles.join("links.md"), body).unwrap();
}

fn growth(c: &mut Criterion) {
    let mut group = c.benchmark_group("load-growth");
    group.sample_size(10);
    for size in SIZES {
        let dir = tempfile::tempdir().unwrap();
        catalog_with_links(dir.path(), size);
        let config = config::load(dir.path(), None, &mut Vec::new()).unwrap().unwrap();
        group.throughput(Throughput::Elements(size as u64));
        group.bench_with_input(BenchmarkId::new("links-in-one-body", size), &size, |b, _| {
            b.iter(|| content::load(dir.path(), &config, &mut Vec::new()).unwrap());
        });
        let mut text = String::from("title = \"T\"\n");
        for key in 0..size {
            text.push_str(&format!("unknown_{key} = 1\n"));
        }
        group.bench_with_input(BenchmarkId::new("unknown-keys", size), &text, |b, text| {
            b.iter(|| config::parse(text, None, &mut Vec::new()));
        });
    }
    group.finish();
}

criterion_group!(benches, growth);
criterion_main!(benches);
