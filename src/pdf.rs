//! `copcat build --pdf`: the print edition printed to PDF by a Chromium or Chrome installed on
//! the machine, through the browser's own headless printing (`--print-to-pdf`), so copcat
//! downloads nothing and links no browser. The command line finds the browser (on `PATH`, or
//! named by `COPCAT_CHROME`) before it builds anything, and the build hands it each print
//! document of the finished site before publishing it (`crate::PdfPrinter`).

use crate::PdfPrinter;
use crate::error::Error;
use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The browsers looked for on `PATH`, in this order.
pub const NAMES: &[&str] = &["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/// The environment variable that names the browser's program, before `PATH` is searched.
pub const OVERRIDE: &str = "COPCAT_CHROME";

/// The longest one document may take to print. (The whole catalog's document of 500
/// entries, some 400 pages, takes Chromium well under a minute.)
const TIMEOUT: Duration = Duration::from_secs(600);

/// A browser that prints with `--print-to-pdf`.
#[derive(Debug, Clone)]
pub struct Chromium {
    pub program: PathBuf,
}

/// Finds the browser: the program `named` (the value of `COPCAT_CHROME`, if set and not
/// empty), or else the first of `NAMES` in the folders of `path` (the value of `PATH`).
/// `Err` says what was looked for and how to install a browser.
pub fn find(named: Option<&OsStr>, path: Option<&OsStr>) -> Result<Chromium, Error> {
    if let Some(named) = named.filter(|named| !named.is_empty()) {
        let program = PathBuf::from(named);
        return if is_program(&program) {
            Ok(Chromium { program })
        } else {
            Err(Error::Usage(format!(
                "{OVERRIDE} is set to {}, which is not a program; set it to Chromium's or Chrome's \
                 program (e.g. /usr/bin/chromium), or unset it to look for one on PATH",
                program.display()
            )))
        };
    }
    let folders: Vec<PathBuf> = path.map(|path| std::env::split_paths(path).collect()).unwrap_or_default();
    NAMES
        .iter()
        .flat_map(|name| folders.iter().map(move |folder| folder.join(name)))
        .find(|candidate| is_program(candidate))
        .map(|program| Chromium { program })
        .ok_or_else(|| {
            Error::Usage(format!(
                "--pdf prints with Chromium or Google Chrome, and none was found (looked for {} on \
                 PATH, and {OVERRIDE})\n  = help: install one (Debian or Ubuntu: `apt-get install \
                 chromium`; Fedora: `dnf install chromium`; macOS: `brew install --cask chromium`), or \
                 set {OVERRIDE} to the browser's program; a build without --pdf needs no browser",
                NAMES.join(", ")
            ))
        })
}

/// Whether `path` is a file the system would run.
fn is_program(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// Whether this process runs as root, where Chromium refuses to start with its sandbox on
/// (it asks for `--no-sandbox`; anywhere else the sandbox stays).
fn is_root() -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata("/proc/self").is_ok_and(|meta| meta.uid() == 0)
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// A `file://` URL for an absolute path, with every byte but unreserved ones and `/`
/// percent-encoded.
fn file_url(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut url = String::from(if text.starts_with('/') { "file://" } else { "file:///" });
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            url.push(byte as char);
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

impl Chromium {
    /// The browser's arguments to print `url` to `pdf`, with its profile in `profile`.
    fn arguments(&self, url: &str, pdf: &Path, profile: &Path) -> Vec<String> {
        let mut arguments: Vec<String> = ["--headless", "--disable-gpu"].map(String::from).to_vec();
        if is_root() {
            arguments.push("--no-sandbox".to_string());
        }
        arguments.extend(
            [
                // The browser's own header and footer (date, address) stay off the page; older
                // versions know the second name.
                "--no-pdf-header-footer",
                "--print-to-pdf-no-header",
                // Bookmarks from the headings, where the browser supports them.
                "--generate-pdf-document-outline",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-sync",
                "--disable-background-networking",
                "--disable-component-update",
            ]
            .map(String::from),
        );
        arguments.push(format!("--user-data-dir={}", profile.display()));
        arguments.push(format!("--print-to-pdf={}", pdf.display()));
        arguments.push(url.to_string());
        arguments
    }
}

impl PdfPrinter for Chromium {
    fn print(&self, folder: &Path, page: &str) -> Result<Vec<u8>, Error> {
        let folder = std::fs::canonicalize(folder).map_err(|source| Error::io(folder, source))?;
        let scratch = tempfile::Builder::new()
            .prefix("copcat-pdf-")
            .tempdir()
            .map_err(|source| Error::io(&std::env::temp_dir(), source))?;
        let pdf = scratch.path().join("print.pdf");
        let url = file_url(&folder.join(page));
        let arguments = self.arguments(&url, &pdf, &scratch.path().join("profile"));
        let failed = |why: String| {
            Error::Print(format!("{} could not print {page} to PDF: {why}", self.program.display()))
        };
        let mut child = Command::new(&self.program)
            .args(&arguments)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| failed(error.to_string()))?;
        // Read what it says as it says it, so that it never waits on a full pipe.
        let mut stderr = child.stderr.take();
        let said = std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(stderr) = stderr.as_mut() {
                let _ = stderr.read_to_string(&mut text);
            }
            text
        });
        let started = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if started.elapsed() > TIMEOUT => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(failed(format!("it took more than {} seconds", TIMEOUT.as_secs())));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(50)),
                Err(error) => return Err(failed(error.to_string())),
            }
        };
        let said = said.join().unwrap_or_default();
        let bytes = std::fs::read(&pdf).unwrap_or_default();
        if !status.success() || !bytes.starts_with(b"%PDF") {
            let last: Vec<&str> = said.lines().rev().take(12).collect::<Vec<_>>().into_iter().rev().collect();
            let said =
                if last.is_empty() { " nothing".to_string() } else { format!(":\n{}", last.join("\n")) };
            return Err(failed(format!("it exited with {status} and wrote no PDF; it said{said}")));
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_are_encoded() {
        assert_eq!(file_url(Path::new("/tmp/a b/print/index.html")), "file:///tmp/a%20b/print/index.html");
        assert_eq!(file_url(Path::new("/x/é#?")), "file:///x/%C3%A9%23%3F");
    }

    #[cfg(unix)]
    #[test]
    fn the_browser_is_found_on_path_in_order_or_named() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let (first, second) = (dir.path().join("a"), dir.path().join("b"));
        for folder in [&first, &second] {
            std::fs::create_dir(folder).unwrap();
        }
        let make = |path: PathBuf| {
            std::fs::write(&path, "#!/bin/sh\n").unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
            path
        };
        let chrome = make(first.join("google-chrome"));
        let chromium = make(second.join("chromium"));
        std::fs::write(first.join("chromium-browser"), "not runnable").unwrap();
        let path = std::env::join_paths([&first, &second]).unwrap();
        // chromium comes before google-chrome, wherever each is on PATH.
        assert_eq!(find(None, Some(&path)).unwrap().program, chromium);
        assert_eq!(find(Some(chrome.as_os_str()), Some(&path)).unwrap().program, chrome);
        assert_eq!(find(Some(OsStr::new("")), Some(&path)).unwrap().program, chromium);
        let message = find(Some(first.join("chromium-browser").as_os_str()), Some(&path)).unwrap_err();
        assert!(message.to_string().contains("not a program"), "{message}");
        let message = find(None, Some(dir.path().as_os_str())).unwrap_err().to_string();
        assert!(message.contains("apt-get install chromium") && message.contains(OVERRIDE), "{message}");
    }
}
