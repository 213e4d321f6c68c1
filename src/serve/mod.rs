//! `copcat serve`: the editor's loop. Builds the site into memory, serves it on
//! 127.0.0.1, watches the catalog's files, rebuilds what an edit touches, and reloads open
//! tabs; a broken edit keeps the last good site and shows its diagnostics in the browser.

mod body;
mod dirty;
mod editions;
pub mod http;
pub mod incremental;
mod inputs;
mod limits;
pub mod reload;
mod response;
pub mod server;
pub mod site;
mod watcher;

pub use incremental::{Change, Outcome, SiteUpdate, Workspace};

use crate::diagnostic::{self, Diagnostic};
use crate::error::Error;
use reload::Broadcaster;
use server::Server;
use site::SharedSite;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

pub const DEFAULT_PORT: u16 = 1111;

/// How long edits must pause before the search index is rebuilt.
const FINISH_AFTER: std::time::Duration = std::time::Duration::from_millis(150);

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
}

/// Listens on the address, or says clearly why not (the port is taken: exit 2).
pub fn listen(bind: IpAddr, port: u16) -> Result<TcpListener, Error> {
    let address = SocketAddr::new(bind, port);
    TcpListener::bind(address).map_err(|error| match error.kind() {
        std::io::ErrorKind::AddrInUse => Error::Usage(format!(
            "port {port} on {bind} is already in use (is another copcat serve running?); \
             choose another with --port N"
        )),
        _ => Error::Usage(format!("cannot listen on {address}: {error}")),
    })
}

/// Serves the catalog at `options.root` until the process is stopped.
pub fn run(options: &Options) -> Result<(), Error> {
    let root = options.root.canonicalize().map_err(|_| Error::NoCatalog(options.root.clone()))?;
    if !root.join(crate::config::FILE).is_file() {
        return Err(Error::NoCatalog(options.root.clone()));
    }
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}, so other machines on the network can read the catalog, drafts included",
            options.bind
        );
    }
    let listener = listen(options.bind, options.port)?;
    let address = listener.local_addr().map_err(|error| Error::io(&root, error))?;
    let host = if address.ip().is_unspecified() { "127.0.0.1".to_string() } else { address.ip().to_string() };
    let url = match address.ip() {
        IpAddr::V6(_) if !address.ip().is_unspecified() => format!("http://[{host}]:{}/", address.port()),
        _ => format!("http://{host}:{}/", address.port()),
    };

    let site = SharedSite::default();
    let broadcaster = Arc::new(Broadcaster::default());
    let mut workspace = Workspace::new(&root, options.drafts, Some(url.clone()));
    // Watch before the first build, so that nothing saved meanwhile is missed.
    let mut watcher = watcher::Watcher::new(&root)?;
    let started = Instant::now();
    let outcome = rebuild(&mut workspace, &[], &site, &broadcaster)?;
    workspace.finish(&mut |update| {
        site.publish(update);
    });
    report(&outcome, &[], started, None);
    let mut drafts = note_drafts(workspace.drafts_left_out(), 0);
    Server::new(site.clone(), Arc::clone(&broadcaster))
        .spawn(listener)
        .map_err(|error| Error::io(&root, error))?;
    println!("serving {} at {url} (Ctrl-C to stop)", root.display());
    if options.open {
        open_browser(&url);
    }

    let mut previous = outcome.diagnostics;
    loop {
        // The search index waits until edits pause for a moment.
        let wait = workspace.unfinished().then_some(FINISH_AFTER);
        let changes = match watcher.next_batch(wait) {
            watcher::Batch::Changes(changes) => changes,
            watcher::Batch::Quiet => {
                workspace.finish(&mut |update| broadcaster.reload(&site.publish(update)));
                continue;
            }
            watcher::Batch::Closed => break,
        };
        let started = Instant::now();
        match rebuild(&mut workspace, &changes, &site, &broadcaster) {
            Ok(outcome) => {
                report(&outcome, &changes, started, Some(&previous));
                previous = outcome.diagnostics;
                drafts = note_drafts(workspace.drafts_left_out(), drafts);
            }
            // An unreadable folder mid-edit (e.g. being renamed): say so and keep serving.
            Err(error) => eprintln!("error: {error}; still serving the last good site"),
        }
    }
    Ok(())
}

/// Rebuilds, publishing each part as it is ready and reloading the tabs it changes.
fn rebuild(
    workspace: &mut Workspace,
    changes: &[Change],
    site: &SharedSite,
    broadcaster: &Broadcaster,
) -> Result<Outcome, Error> {
    let outcome = workspace.rebuild(changes, &mut |update| {
        let changed = site.publish(update);
        broadcaster.reload(&changed);
    })?;
    broadcaster.status(&outcome.diagnostics);
    Ok(outcome)
}

fn report(outcome: &Outcome, changes: &[Change], started: Instant, previous: Option<&[Diagnostic]>) {
    let errors = diagnostic::has_errors(&outcome.diagnostics);
    // Warnings are printed when they change; errors every time.
    if errors || previous != Some(outcome.diagnostics.as_slice()) {
        eprint!("{}", diagnostic::format_human(&outcome.diagnostics));
    }
    let what = describe(changes);
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    if !outcome.ok {
        eprintln!("{what}: not rebuilt, still serving the last good site; fix the errors above");
    } else if outcome.full {
        println!("{what}: built {} pages in {elapsed:.0} ms", outcome.pages);
    } else {
        println!("{what}: rebuilt {} pages in {elapsed:.0} ms", outcome.pages);
    }
}

/// Says how many drafts the preview leaves out when that changed (say, `copcat new` made one)
/// and is not none; returns the count.
fn note_drafts(count: usize, before: usize) -> usize {
    if count > 0 && count != before {
        println!("{}", crate::catalog::drafts_note(count, "serve --drafts shows them"));
    }
    count
}

fn describe(changes: &[Change]) -> String {
    let names: Vec<String> = changes
        .iter()
        .map(|change| match change {
            Change::Config => crate::config::FILE.to_string(),
            Change::Sources => crate::content::sources::FILE.to_string(),
            Change::Theme => "theme".to_string(),
            Change::Content(path) => path.clone(),
        })
        .collect();
    match names.len() {
        0 => "start".to_string(),
        1..=3 => names.join(", "),
        n => format!("{}, … ({n} files)", names[..2].join(", ")),
    }
}

fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let spawned = std::process::Command::new(command)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if spawned.is_err() {
        eprintln!("could not open a browser; open {url} yourself");
    }
}
