//! The command line (spec §7): clap definitions and one function per command.

mod hosting;
mod progress;

use crate::catalog::Catalog;
use crate::diagnostic::{self, Diagnostic};
use crate::editorial::baseline::Baseline;
use crate::editorial::{external, report};
use crate::error::Error;
use crate::timings::Timings;
use crate::toml_fields::Date;
use crate::{BuildOptions, Destination, LoadOptions, Silent, scaffold};
use clap::{Parser, Subcommand, ValueEnum};
use progress::Progress;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `--today` is a date (`YYYY-MM-DD`).
fn parse_today(text: &str) -> Result<Date, String> {
    crate::editorial::review::parse_date(text)
}

/// `--timeout` is a number of seconds, possibly fractional (`0.5`), above zero.
fn parse_timeout(text: &str) -> Result<std::time::Duration, String> {
    match text.trim().parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds <= 3600.0 => Ok(std::time::Duration::from_secs_f64(seconds)),
        _ => Err(format!("\"{text}\" is not a timeout: give seconds above 0, e.g. 10 or 2.5")),
    }
}

/// `--base-url` passes the same URL policy as catalog.toml's `base_url`.
fn parse_base_url(url: &str) -> Result<String, String> {
    crate::url_policy::check_base_url(url).map(|checked| checked.as_str().to_string())
}

#[derive(Parser)]
#[command(
    name = "copcat",
    version,
    about = "Build a searchable website from a catalog of management guidance."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate the catalog and write the site into the output folder (public/ by default).
    ///
    /// The previous output is replaced only when the build succeeds.
    Build {
        /// The catalog's folder (the one holding catalog.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: <root>/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Use this base URL instead of catalog.toml's (for sitemap, feed and canonical links):
        /// an absolute http(s) address, or a path.
        #[arg(long, value_parser = parse_base_url)]
        base_url: Option<String>,
        /// Publish entries marked draft = true.
        #[arg(long)]
        drafts: bool,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
        /// Print how long each stage took and the peak memory so far (to standard error).
        #[arg(long)]
        timings: bool,
        /// Leave out the search index (to time the rest of a build, as benches/search.py does).
        #[arg(long)]
        no_search: bool,
        /// Treat warnings as errors: publish nothing and exit 1 if there is any.
        #[arg(long)]
        strict: bool,
        /// Count review dates from this date (YYYY-MM-DD) instead of today's (UTC).
        #[arg(long, value_parser = parse_today)]
        today: Option<Date>,
        /// Also print the print edition to catalog.pdf in the output, with a Chromium or
        /// Chrome installed on this machine (found on PATH, or named by COPCAT_CHROME).
        #[arg(long)]
        pdf: bool,
    },
    /// Validate everything a build would (templates included) without writing anything.
    ///
    /// Exits 1 if the catalog has any error; warnings do not fail.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print the problems found.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Check as a build with this base URL would (as `build --base-url`).
        #[arg(long, value_parser = parse_base_url)]
        base_url: Option<String>,
        /// Treat warnings as errors (exit 1 if there is any), e.g. in CI.
        #[arg(long)]
        strict: bool,
        /// Also check every external link over the network (source urls, DOIs, body links).
        #[arg(long)]
        external: bool,
        /// With --external: the most seconds one link may take.
        #[arg(long, value_parser = parse_timeout, default_value = "10")]
        timeout: std::time::Duration,
        /// With --external: check every link again, neither reading nor writing the results
        /// kept for a day in <root>/.copcat-cache/.
        #[arg(long)]
        no_cache: bool,
        /// Count review dates from this date (YYYY-MM-DD) instead of today's (UTC).
        #[arg(long, value_parser = parse_today)]
        today: Option<Date>,
        /// An earlier edition's catalog.json: warn of each of its entry addresses that this
        /// catalog no longer publishes (no entry or alias has it).
        #[arg(long, value_name = "FILE")]
        previous: Option<PathBuf>,
    },
    /// Summarize coverage for editors: entries per stage and kind, per term, entries without
    /// sources, orphans, and entries due for review.
    Report {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print the report.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Count review dates from this date (YYYY-MM-DD) instead of today's (UTC).
        #[arg(long, value_parser = parse_today)]
        today: Option<Date>,
    },
    /// Serve the site from memory, rebuild it as files change, and reload open tabs.
    ///
    /// Listens on 127.0.0.1 only, unless --bind names another address. A broken edit keeps
    /// the last good site and shows the errors in the terminal and over the page.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on.
        #[arg(long, short, default_value_t = crate::serve::DEFAULT_PORT)]
        port: u16,
        /// Open the site in a browser once it is built.
        #[arg(long)]
        open: bool,
        /// Listen on this address instead of 127.0.0.1 (e.g. 0.0.0.0: every interface; anyone
        /// on the network can then read the catalog).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Publish entries marked draft = true.
        #[arg(long)]
        drafts: bool,
    },
    /// Create a new entry from a scaffold, e.g. `copcat new role "Knowledge broker"`, or
    /// start a translation, e.g. `copcat new roles/knowledge-broker --translate fr`.
    ///
    /// The kind is a kind id or its folder (role, roles, guidance…) or `page`. The new
    /// entry starts as a draft, in a file named from its title or by --slug; it never
    /// overwrites an existing file. With --translate, the first argument is the entry or
    /// page to translate (<kind-dir>/<slug>, pages/<slug> or _index), and the new file
    /// holds its original text to translate. With --strings, it
    /// starts i18n/<LANGUAGE>.toml instead, e.g. `copcat new --strings es`: the English
    /// interface strings to translate, for a language copcat does not ship; for one it
    /// ships (en, fr), its strings commented out, to uncomment those to word differently.
    New {
        /// A kind (role, roles, page…), or with --translate the entry to translate.
        #[arg(required_unless_present = "strings")]
        kind: Option<String>,
        /// The new entry's title (not with --translate).
        #[arg(required_unless_present_any = ["translate", "strings"])]
        title: Option<String>,
        /// The new entry's file name, and so its address (by default made from the title:
        /// needed when the title has no letters a-z or digits, as in Chinese or Arabic).
        #[arg(long, conflicts_with_all = ["translate", "strings"])]
        slug: Option<String>,
        /// Start a translation into this language (one of catalog.toml's [languages.*]).
        #[arg(long, value_name = "LANGUAGE", conflicts_with = "title")]
        translate: Option<String>,
        /// Start the interface strings of this language, i18n/<LANGUAGE>.toml.
        #[arg(long, value_name = "LANGUAGE", conflicts_with_all = ["kind", "title", "translate"])]
        strings: Option<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Create a small, valid catalog in DIR to start from.
    Init { dir: PathBuf },
    /// Rename an entry or page, e.g. `copcat mv roles/broker roles/knowledge-broker`.
    ///
    /// Renames its file (and translations), rewrites every `related` value and `@/` link to
    /// it, and adds its old address to its `aliases`. Refuses, changing nothing, if the
    /// target exists or the catalog has errors.
    Mv {
        /// The entry's address now: <kind-dir>/<slug>.
        from: String,
        /// Its new address: <kind-dir>/<new-slug>.
        to: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Removes previous sites a build put aside (`.<output>.removing-<pid>`), in the
    /// background after the build has finished; started by `build`, not by people.
    #[command(hide = true, name = "remove-previous-sites")]
    RemovePreviousSites { folders: Vec<PathBuf> },
}

/// The hidden command `build` runs in a background process of its own to remove the
/// previous site (see `output::sweep`).
const REMOVE_PREVIOUS_SITES: &str = "remove-previous-sites";

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    let result = match cli.command {
        Command::Build { root, output, base_url, drafts, quiet, timings, no_search, strict, today, pdf } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let timings = if timings { Timings::printed() } else { Timings::off() };
            let load = LoadOptions { drafts, base_url: base_url.as_deref() };
            let editorial = Editorial { strict, today: today.unwrap_or_else(Date::today), previous: None };
            // The browser is found before anything is built, and only when asked for.
            let pdf = match pdf.then(|| {
                let (named, path) = (std::env::var_os(crate::pdf::OVERRIDE), std::env::var_os("PATH"));
                crate::pdf::find(named.as_deref(), path.as_deref())
            }) {
                Some(Err(error)) => return usage_error(&error.to_string()),
                found => found.and_then(Result::ok),
            };
            let extras = Extras { search: !no_search, pdf };
            build(&root, &output, load, &extras, &timings, quiet, &editorial)
        }
        Command::Check { root, format, base_url, strict, external, timeout, no_cache, today, previous } => {
            let previous = match previous.map(|path| Baseline::read(&path, &path.display().to_string())) {
                Some(Err(problem)) => return usage_error(&problem),
                read => read.and_then(Result::ok),
            };
            let editorial = Editorial { strict, today: today.unwrap_or_else(Date::today), previous };
            let external = external.then(|| external::Options { timeout, use_cache: !no_cache, now: now() });
            check(&root, format, base_url.as_deref(), &editorial, external.as_ref())
        }
        Command::Report { root, format, today } => report(&root, format, today.unwrap_or_else(Date::today)),
        Command::Serve { root, port, open, bind, drafts } => {
            crate::serve::run(&crate::serve::Options { root, bind, port, open, drafts })
        }
        Command::New { strings: Some(language), root, .. } => {
            scaffold::new_strings(&root, &language).map(|path| strings_created(&root, &path, &language))
        }
        Command::New { kind, translate: Some(language), root, .. } => {
            scaffold::new_translation(&root, &kind.unwrap_or_default(), &language).map(|path| {
                println!("created {}", path.display());
                println!("translate its title, summary and the original text in its comment; `copcat check` validates it");
            })
        }
        Command::New { kind, title, slug, root, .. } => {
            let (kind, title) = (kind.unwrap_or_default(), title.unwrap_or_default());
            scaffold::new_entry(&root, &kind, &title, slug.as_deref()).map(|path| {
                println!("created {}", path.display());
                println!(
                    "it is a draft: write it, then set draft = false to publish; `copcat check` validates it"
                );
            })
        }
        Command::Init { dir } => scaffold::init(&dir).map(|()| {
            println!("created a catalog in {}", dir.display());
            println!("next: copcat build --root {}", dir.display());
        }),
        Command::Mv { from, to, root } => rename(&root, &from, &to),
        Command::RemovePreviousSites { folders } => {
            crate::output::remove_swept(&folders);
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Invalid) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

fn print_human(diagnostics: &[Diagnostic]) {
    eprint!("{}", diagnostic::format_human(diagnostics));
}

/// What the editorial checks need from the command line: the clock is read there, once,
/// and nowhere deeper.
struct Editorial {
    strict: bool,
    /// The date review dates are counted from.
    today: Date,
    /// The edition whose addresses must not vanish (`check --previous`; `build` reads its
    /// output's own).
    previous: Option<Baseline>,
}

fn usage_error(problem: &str) -> ExitCode {
    eprintln!("error: {problem}");
    ExitCode::from(2)
}

/// The catalog.json of the site a build is about to replace, if copcat made that site.
fn previous_edition(output: &Path) -> Option<Baseline> {
    let file = output.join("catalog.json");
    if !output.join(crate::walk::MARKER).is_file() || !file.is_file() {
        return None;
    }
    match Baseline::read(&file, &file.display().to_string()) {
        Ok(baseline) => Some(baseline),
        Err(problem) => {
            eprintln!("note: addresses are not compared with the previous edition: {problem}");
            None
        }
    }
}

/// Seconds since 1970, for the external links' cache.
fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs())
}

/// What a build writes besides the site: the search index (unless `--no-search`), and the
/// print edition as PDF (`--pdf`, with the browser found).
struct Extras {
    search: bool,
    pdf: Option<crate::pdf::Chromium>,
}

fn build(
    root: &Path,
    output: &Path,
    load: LoadOptions,
    extras: &Extras,
    timings: &Timings,
    quiet: bool,
    editorial: &Editorial,
) -> Result<(), Error> {
    let started = std::time::Instant::now();
    // Before loading: a bad --output is refused at once, and a site an interrupted build
    // left aside is back in place even if this build fails.
    crate::output::prepare(root, output)?;
    let mut diagnostics = Vec::new();
    let progress = Progress::new(quiet, started);
    let (strict, today) = (editorial.strict, editorial.today);
    let previous = previous_edition(output);
    let previous = previous.as_ref();
    let search = extras.search;
    let pdf = extras.pdf.as_ref().map(|printer| printer as &dyn crate::PdfPrinter);
    let options = BuildOptions { load, strict, today, previous, search, timings, progress: &progress, pdf };
    let built = crate::build(root, Destination::Folder(output), &options, &mut diagnostics);
    progress.finish();
    // The previous site, put aside, is removed by a process of its own, which outlives this
    // one: the build is done when the new site is in place.
    let program = std::env::current_exe().ok();
    crate::output::sweep(output, program.as_deref(), &[REMOVE_PREVIOUS_SITES]);
    if strict {
        diagnostic::make_warnings_errors(&mut diagnostics);
    }
    diagnostic::sort(&mut diagnostics);
    if !quiet || diagnostic::has_errors(&diagnostics) {
        print_human(&diagnostics);
    }
    let built = built.map_err(|error| match error {
        Error::Print(why) => {
            Error::Print(format!("{why}\nnothing was published: {} was left as it was", output.display()))
        }
        other => other,
    });
    let (catalog, summary) = match built? {
        crate::Built { catalog: Some(catalog), summary: Some(summary) } => (catalog, summary),
        _ => {
            eprintln!("build failed; {} was left as it was", output.display());
            return Err(Error::Invalid);
        }
    };
    if !quiet {
        let languages = &catalog.config.languages;
        let codes: Vec<&str> = languages.iter().map(|language| language.code.as_str()).collect();
        let editions = if languages.len() > 1 {
            format!(" in {} languages ({})", languages.len(), codes.join(", "))
        } else {
            String::new()
        };
        // Files the previous build wrote the same are linked, not written: say how many, as
        // they are what a deploy tool can skip.
        let unchanged =
            if summary.unchanged > 0 { format!(" ({} unchanged)", summary.unchanged) } else { String::new() };
        println!(
            "built {}{editions}, {}: {}{unchanged}, {} in {} ({:.2} s)",
            counted(catalog.entries.len(), "entry", "entries"),
            counted(summary.pages, "page", "pages"),
            counted(summary.files, "file", "files"),
            human_bytes(summary.bytes),
            output.display(),
            started.elapsed().as_secs_f64()
        );
        let prefixes: Vec<&str> = languages.iter().map(|language| language.prefix.as_str()).collect();
        let print = || catalog.config.print.then(|| hosting::print_bytes(output, &prefixes));
        if let Some(note) = hosting::note(summary.bytes, print) {
            println!("{note}");
        }
        if catalog.drafts_left_out > 0 {
            println!("{}", crate::catalog::drafts_note(catalog.drafts_left_out, "--drafts publishes them"));
        }
        if let Some(printer) = &extras.pdf {
            let printed: Vec<String> =
                crate::render::print::pdf_documents(&catalog).into_iter().map(|(_, pdf)| pdf).collect();
            println!("printed {} with {}", printed.join(", "), printer.program.display());
        }
    }
    exit_without_freeing(catalog);
    Ok(())
}

/// Leaves `catalog` for the operating system to reclaim when the process exits: freeing
/// every entry one by one is work on the critical path that nobody waits for (tens of
/// milliseconds at 10,000 entries). Only for commands that exit when done.
fn exit_without_freeing(catalog: Catalog) {
    std::mem::forget(catalog);
}

fn check(
    root: &Path,
    format: Format,
    base_url: Option<&str>,
    editorial: &Editorial,
    external: Option<&external::Options>,
) -> Result<(), Error> {
    let mut diagnostics = Vec::new();
    // The search index cannot find a problem, so `check` leaves it out; warnings do not
    // stop it (so that templates are checked too) even with --strict, which applies below.
    let timings = Timings::off();
    let load = LoadOptions { drafts: false, base_url };
    let options = BuildOptions {
        load,
        strict: false,
        today: editorial.today,
        previous: editorial.previous.as_ref(),
        search: false,
        timings: &timings,
        progress: &Silent,
        pdf: None,
    };
    let nowhere = crate::sink::NullSink::default();
    let catalog = crate::build(root, Destination::Sink(&nowhere), &options, &mut diagnostics)?.catalog;
    let links = match (&catalog, external) {
        (Some(catalog), Some(options)) => Some(external::check(root, catalog, options, &mut diagnostics)),
        _ => None,
    };
    if let Some(error) = links.as_ref().and_then(|links| links.cache_error.as_ref()) {
        eprintln!("note: the external links' results could not be kept: {error}");
    }
    if editorial.strict {
        diagnostic::make_warnings_errors(&mut diagnostics);
    }
    diagnostic::sort(&mut diagnostics);
    match format {
        Format::Json => println!("{}", diagnostic::format_json(&diagnostics)),
        Format::Human => {
            print_human(&diagnostics);
            if let (Some(catalog), false) = (&catalog, diagnostic::has_errors(&diagnostics)) {
                println!(
                    "ok: {} and {} checked",
                    counted(catalog.entries.len(), "entry", "entries"),
                    counted(catalog.pages.len(), "page", "pages")
                );
            }
            if let Some(links) = &links {
                println!(
                    "external links: {} checked ({} from the last day's results), {} dead",
                    counted(links.links, "address", "addresses"),
                    links.cached,
                    links.dead
                );
            }
        }
    }
    let failed = diagnostic::has_errors(&diagnostics) || catalog.is_none();
    if let Some(catalog) = catalog {
        exit_without_freeing(catalog);
    }
    if failed { Err(Error::Invalid) } else { Ok(()) }
}

/// `copcat report`: coverage for editors, on standard output; the catalog's errors, if it
/// has any, instead.
fn report(root: &Path, format: Format, today: Date) -> Result<(), Error> {
    let mut diagnostics = Vec::new();
    let catalog = crate::load_catalog(root, &LoadOptions::default(), &mut diagnostics)?;
    let catalog = match catalog {
        Some(catalog) if !diagnostic::has_errors(&diagnostics) => catalog,
        _ => {
            diagnostic::sort(&mut diagnostics);
            print_human(&diagnostics);
            eprintln!("no report: the catalog has errors (`copcat check` lists them)");
            return Err(Error::Invalid);
        }
    };
    let summary = report::build_report(&catalog, today);
    match format {
        Format::Json => println!("{}", report::format_json(&summary)),
        Format::Human => print!("{}", report::format_human(&catalog, &summary, today)),
    }
    exit_without_freeing(catalog);
    Ok(())
}

/// `copcat mv`: plans the whole rename, refusing on any error, then writes it.
fn rename(root: &Path, from: &str, to: &str) -> Result<(), Error> {
    let mut diagnostics = Vec::new();
    let plan = match crate::rename::plan(root, from, to, &mut diagnostics) {
        Ok(plan) => plan,
        Err(Error::Invalid) => {
            diagnostic::sort(&mut diagnostics);
            print_human(&diagnostics);
            eprintln!("mv changed nothing: the catalog has errors (fix them, then move)");
            return Err(Error::Invalid);
        }
        Err(error) => return Err(error),
    };
    for line in crate::rename::apply(root, &plan)? {
        println!("{line}");
    }
    Ok(())
}

/// What to do with the strings `copcat new --strings` made, and whether the catalog publishes
/// their language yet.
fn strings_created(root: &Path, path: &Path, language: &str) {
    println!("created {}", path.display());
    if crate::i18n::shipped_source(language).is_some() {
        println!(
            "uncomment the strings to word differently and write your own; `copcat check` validates them"
        );
    } else {
        println!(
            "translate every value, keeping each {{name}}; `copcat check` names what is missing or misshapen"
        );
    }
    let mut ignored = Vec::new();
    if let Ok(Some(config)) = crate::config::load(root, None, &mut ignored)
        && !config.languages.iter().any(|published| published.code == language)
    {
        println!(
            "catalog.toml does not publish \"{language}\" yet: set language = \"{language}\", or add [languages.{language}]"
        );
    }
}

/// "1 entry", "2 entries".
fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

pub fn human_bytes(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.1} kB", bytes as f64 / 1e3),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}
