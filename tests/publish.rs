//! Publishing that survives hostile conditions, end to end on the real binary: builds killed
//! at each point of publishing, concurrent builds into one output, outputs that are links or
//! inside the catalog's own folders, and the one policy for links and hidden files in
//! static/ and content/.
//!
//! The killed-build tests use a test hook of debug builds (`COPCAT_TEST_PAUSE_AT=<point>`:
//! the build prints `paused at <point>` and waits there to be killed; see
//! `output::publish::pause_at`). Release builds have no such hook, so those tests are
//! marked ignored there.
#![cfg(unix)]

mod common;

use common::{catalog, copcat, read_tree};
use std::io::{BufRead, BufReader};
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// Every file and folder name directly in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|item| item.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn build_ok(dir: &Path, extra: &[&str]) -> common::Run {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let run = copcat(&args, dir);
    assert_eq!(run.code, 0, "build failed: {}{}", run.stdout, run.stderr);
    run
}

/// A build running in the background, its stderr lines arriving on `lines`.
struct Running {
    child: Child,
    lines: Receiver<String>,
}

impl Running {
    fn start(dir: &Path, pause_at: Option<&str>) -> Running {
        let mut command = Command::new(env!("CARGO_BIN_EXE_copcat"));
        command.args(["build", "--quiet"]).current_dir(dir).stdout(Stdio::null()).stderr(Stdio::piped());
        if let Some(point) = pause_at {
            command.env("COPCAT_TEST_PAUSE_AT", point);
        }
        let mut child = command.spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (sender, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    return;
                }
            }
        });
        Running { child, lines }
    }

    /// Waits until the build prints a line containing `text`; panics if it ends first or
    /// takes more than a minute.
    fn wait_for(&self, text: &str) {
        let mut seen = Vec::new();
        loop {
            match self.lines.recv_timeout(Duration::from_secs(60)) {
                Ok(line) if line.contains(text) => return,
                Ok(line) => seen.push(line),
                Err(_) => panic!("the build never printed {text:?}; it printed {seen:?}"),
            }
        }
    }

    /// SIGKILL: the process gets no chance to clean up.
    fn kill(mut self) -> u32 {
        let pid = self.child.id();
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        pid
    }

    /// Waits for the build to pause at `point` (the test hook), then kills it; its process id.
    fn kill_when_paused(self, point: &str) -> u32 {
        self.wait_for(&format!("paused at {point}"));
        self.kill()
    }

    fn finish(mut self) -> i32 {
        self.child.wait().unwrap().code().unwrap_or(-1)
    }
}

/// A catalog with a site built, and an edit made since, so the next build's site differs;
/// with the files of the site built.
fn catalog_with_an_old_site() -> (tempfile::TempDir, Vec<(String, Vec<u8>)>) {
    let dir = catalog("base", &[]);
    build_ok(dir.path(), &[]);
    let old = read_tree(&dir.path().join("public"));
    let entry = dir.path().join("content/roles/priority-setter.md");
    let text = std::fs::read_to_string(&entry).unwrap().replace("Priority setter", "Agenda setter");
    std::fs::write(&entry, text).unwrap();
    (dir, old)
}

fn has_title(site: &[(String, Vec<u8>)], title: &str) -> bool {
    site.iter()
        .find(|(path, _)| path == "roles/priority-setter/index.html")
        .is_some_and(|(_, bytes)| String::from_utf8_lossy(bytes).contains(title))
}

#[test]
#[cfg_attr(not(debug_assertions), ignore = "needs the pause hook of debug builds")]
fn a_build_killed_at_any_point_loses_no_site_and_the_next_build_cleans_up() {
    // Where the previous site is right after the kill, at each point of publishing.
    let points = [
        ("rendering", "public"),
        ("before-swap", "public"),
        ("between-renames", "old"),
        ("before-cleanup", "old"),
    ];
    for (point, old_site_in) in points {
        let (dir, old) = catalog_with_an_old_site();
        let pid = Running::start(dir.path(), Some(point)).kill_when_paused(point);
        let aside = dir.path().join(format!(".public.old-{pid}"));
        match old_site_in {
            "public" => {
                assert_eq!(read_tree(&dir.path().join("public")), old, "killed at {point}");
                assert!(!aside.exists(), "killed at {point}");
            }
            _ => assert_eq!(read_tree(&aside), old, "killed at {point}: the old site is kept aside whole"),
        }
        if point == "before-cleanup" {
            assert!(has_title(&read_tree(&dir.path().join("public")), "Agenda setter"), "{point}");
        }
        if point == "between-renames" {
            assert!(!dir.path().join("public").exists(), "killed between the renames, there is no output");
        }
        let run = build_ok(dir.path(), &[]);
        assert!(!run.stderr.contains("error"), "killed at {point}: {}", run.stderr);
        assert!(has_title(&read_tree(&dir.path().join("public")), "Agenda setter"), "{point}");
        assert_eq!(
            common::beside_public(dir.path()),
            [".public.lock", ".public.pages"],
            "killed at {point}: leftovers remain"
        );
    }
}

#[test]
#[cfg_attr(not(debug_assertions), ignore = "needs the pause hook of debug builds")]
fn a_site_left_aside_between_the_renames_is_restored_even_by_a_failing_build() {
    let (dir, old) = catalog_with_an_old_site();
    Running::start(dir.path(), Some("between-renames")).kill_when_paused("between-renames");
    assert!(!dir.path().join("public").exists());
    let entry = dir.path().join("content/roles/knowledge-broker.md");
    let text = std::fs::read_to_string(&entry).unwrap().replace("title =", "titel =");
    std::fs::write(&entry, text).unwrap();
    let run = copcat(&["build"], dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("left as it was"), "{}", run.stderr);
    assert_eq!(read_tree(&dir.path().join("public")), old, "the previous site is back");
    assert_eq!(common::beside_public(dir.path()), [".public.lock", ".public.pages"]);
}

#[test]
#[cfg_attr(not(debug_assertions), ignore = "needs the pause hook of debug builds")]
fn a_second_build_into_one_output_waits_for_the_first() {
    let (dir, _) = catalog_with_an_old_site();
    let first = Running::start(dir.path(), Some("rendering"));
    first.wait_for("paused at rendering");
    let second = Running::start(dir.path(), None);
    second.wait_for("waiting for another copcat build into");
    assert!(
        !common::beside_public(dir.path()).iter().any(|name| name.contains(&second.child.id().to_string())),
        "the second build makes nothing while the first holds the output"
    );
    first.kill();
    assert_eq!(second.finish(), 0);
    assert!(has_title(&read_tree(&dir.path().join("public")), "Agenda setter"));
    assert_eq!(common::beside_public(dir.path()), [".public.lock", ".public.pages"]);
}

#[test]
fn concurrent_builds_into_one_output_all_succeed() {
    let (dir, _) = catalog_with_an_old_site();
    let builds: Vec<Running> = (0..4).map(|_| Running::start(dir.path(), None)).collect();
    for build in builds {
        assert_eq!(build.finish(), 0);
    }
    build_ok(dir.path(), &["--output", "alone"]);
    assert_eq!(read_tree(&dir.path().join("public")), read_tree(&dir.path().join("alone")));
    assert_eq!(common::beside_public(dir.path()), [".public.lock", ".public.pages"]);
}

#[test]
fn the_previous_site_is_removed_after_the_build_and_an_unfinished_removal_by_the_next() {
    let (dir, _) = catalog_with_an_old_site();
    // What a removal stopped part-way (the machine shut down) leaves beside the output.
    let stopped = dir.path().join(".public.removing-4000000");
    std::fs::create_dir_all(stopped.join("roles/priority-setter")).unwrap();
    std::fs::write(stopped.join("roles/priority-setter/index.html"), "old").unwrap();
    build_ok(dir.path(), &[]);
    assert!(has_title(&read_tree(&dir.path().join("public")), "Agenda setter"));
    assert_eq!(
        common::beside_public(dir.path()),
        [".public.lock", ".public.pages"],
        "both previous sites are removed"
    );
}

#[test]
fn the_removal_command_removes_nothing_but_previous_sites() {
    let dir = catalog("base", &[]);
    build_ok(dir.path(), &[]);
    let site = read_tree(&dir.path().join("public"));
    let aside = dir.path().join(".public.old-12");
    std::fs::create_dir(&aside).unwrap();
    let (public, content) = (dir.path().join("public"), dir.path().join("content"));
    let paths = [public.to_str().unwrap(), content.to_str().unwrap(), aside.to_str().unwrap()];
    let run = copcat(&["remove-previous-sites", paths[0], paths[1], paths[2]], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(read_tree(&public), site);
    assert!(content.join("roles/priority-setter.md").exists() && aside.exists());
}

#[test]
fn an_output_that_is_a_link_is_refused() {
    let dir = catalog("base", &[]);
    build_ok(dir.path(), &["--output", "real"]);
    let before = read_tree(&dir.path().join("real"));
    symlink("real", dir.path().join("link")).unwrap();
    symlink("nowhere", dir.path().join("dangling")).unwrap();
    for output in ["link", "dangling"] {
        let run = copcat(&["build", "--output", output], dir.path());
        assert_eq!(run.code, 2, "{output}: {}", run.stderr);
        assert!(run.stderr.contains("is a symbolic link"), "{}", run.stderr);
        assert!(run.stderr.contains("pass --output"), "{}", run.stderr);
        let link = std::fs::symlink_metadata(dir.path().join(output)).unwrap();
        assert!(link.file_type().is_symlink(), "{output} is still a link");
    }
    assert_eq!(std::fs::read_link(dir.path().join("link")).unwrap(), Path::new("real"));
    assert_eq!(read_tree(&dir.path().join("real")), before);
    assert!(
        !names(dir.path()).iter().any(|name| name.starts_with(".link.") || name.starts_with(".dangling."))
    );
}

#[test]
fn an_output_inside_a_folder_the_build_reads_is_refused() {
    let dir = catalog("base", &[]);
    std::fs::create_dir_all(dir.path().join("static")).unwrap();
    for output in ["static/site", "static", "content/site", "templates/out", "themes/mine/static/site"] {
        let run = copcat(&["build", "--output", output], dir.path());
        assert_eq!(run.code, 2, "{output}: {}", run.stderr);
        let folder = output.split('/').next().unwrap();
        assert!(run.stderr.contains(&format!("inside the catalog's {folder}/ folder")), "{}", run.stderr);
    }
    // Also through a link to the catalog, and with `..` in the way.
    let elsewhere = tempfile::tempdir().unwrap();
    symlink(dir.path(), elsewhere.path().join("cat")).unwrap();
    let through = elsewhere.path().join("cat/content/../static/site");
    let run = copcat(&["build", "--output", through.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(names(&dir.path().join("static")), Vec::<String>::new(), "nothing was written");
    assert!(!dir.path().join("content/site").exists() && !dir.path().join("templates").exists());
}

#[test]
fn links_in_static_are_followed_only_inside_the_catalog() {
    let dir = catalog("base", &[]);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOP SECRET").unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("static/img")).unwrap();
    std::fs::create_dir_all(root.join("assets")).unwrap();
    std::fs::write(root.join("assets/logo.svg"), "<svg/>").unwrap();
    symlink(outside.path().join("secret.txt"), root.join("static/leak.txt")).unwrap();
    symlink(outside.path(), root.join("static/outside")).unwrap();
    symlink("../../assets/logo.svg", root.join("static/img/logo.svg")).unwrap();
    symlink("../assets", root.join("static/shared")).unwrap();
    symlink("..", root.join("static/up")).unwrap();
    let run = build_ok(root, &[]);
    let public = root.join("public");
    assert!(!public.join("leak.txt").exists() && !public.join("outside").exists());
    assert_eq!(std::fs::read_to_string(public.join("img/logo.svg")).unwrap(), "<svg/>");
    assert_eq!(std::fs::read_to_string(public.join("shared/logo.svg")).unwrap(), "<svg/>");
    assert!(!public.join("up").exists());
    for file in ["static/leak.txt", "static/outside"] {
        let warning = format!("{file}:1:1: warning: symbolic link to ");
        assert!(run.stderr.contains(&warning), "{warning} in {}", run.stderr);
    }
    assert!(run.stderr.contains("outside the catalog; skipped"), "{}", run.stderr);
    assert!(run.stderr.contains("= help: copcat follows only links that stay inside"), "{}", run.stderr);
    assert!(run.stderr.contains("static/up:1:1: warning: symbolic link to "), "{}", run.stderr);
    assert!(
        !read_tree(&public).iter().any(|(_, bytes)| String::from_utf8_lossy(bytes).contains("TOP SECRET"))
    );
}

#[test]
fn a_static_folder_linked_outside_the_catalog_is_not_published() {
    let dir = catalog("base", &[]);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOP SECRET").unwrap();
    symlink(outside.path(), dir.path().join("static")).unwrap();
    let run = build_ok(dir.path(), &[]);
    assert!(run.stderr.contains("static:1:1: warning: symbolic link to "), "{}", run.stderr);
    assert!(!dir.path().join("public/secret.txt").exists());
}

#[test]
fn links_in_content_are_read_only_inside_the_catalog() {
    let dir = catalog("base", &[]);
    let root = dir.path();
    let outside = tempfile::tempdir().unwrap();
    let entry = std::fs::read_to_string(root.join("content/roles/priority-setter.md")).unwrap();
    std::fs::write(outside.path().join("outsider.md"), entry.replace("Priority setter", "Outsider")).unwrap();
    std::fs::create_dir_all(root.join("drafts")).unwrap();
    std::fs::write(root.join("drafts/insider.md"), entry.replace("Priority setter", "Insider")).unwrap();
    symlink(outside.path().join("outsider.md"), root.join("content/roles/outsider.md")).unwrap();
    symlink("../../drafts/insider.md", root.join("content/roles/insider.md")).unwrap();
    let run = build_ok(root, &[]);
    let public = root.join("public");
    let insider = std::fs::read_to_string(public.join("roles/insider/index.html")).unwrap();
    assert!(insider.contains("Insider"));
    assert!(!public.join("roles/outsider").exists());
    assert!(
        run.stderr.contains("content/roles/outsider.md:1:1: warning: symbolic link to "),
        "{}",
        run.stderr
    );
    let check = copcat(&["check"], root);
    assert_eq!(check.code, 0, "a skipped link is a warning: {}", check.stderr);
    assert!(check.stderr.contains("content/roles/outsider.md"), "{}", check.stderr);
}

#[test]
fn version_control_and_hidden_files_are_not_published_but_well_known_is() {
    let dir = catalog("base", &[]);
    let root = dir.path();
    let files = [
        ("static/.git/config", "[core]"),
        ("static/.git/objects/ab/cdef", "blob"),
        ("static/.hg/store", "x"),
        ("static/.svn/entries", "x"),
        ("static/docs/.git", "gitdir: elsewhere"),
        ("static/.DS_Store", "x"),
        ("static/notes.txt~", "backup"),
        ("static/.well-known/security.txt", "Contact: mailto:security@example.org"),
        ("static/.well-known/.hidden", "x"),
        ("static/docs/guide.pdf", "%PDF"),
    ];
    for (path, text) in files {
        std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
        std::fs::write(root.join(path), text).unwrap();
    }
    build_ok(root, &[]);
    let published: Vec<String> = read_tree(&root.join("public")).into_iter().map(|(path, _)| path).collect();
    let expected_extra = [".well-known/security.txt", "docs/guide.pdf"];
    for path in expected_extra {
        assert!(published.contains(&path.to_string()), "{path} is published: {published:?}");
    }
    for path in published {
        let hidden = path.split('/').any(|part| part.starts_with('.') && part != ".well-known");
        assert!(!hidden || path == ".copcat-output", "{path} must not be published");
        assert!(!path.ends_with('~'), "{path}");
    }
}

#[test]
fn a_static_file_where_the_site_has_a_folder_is_a_warning_naming_it() {
    let dir = catalog("base", &[]);
    let root = dir.path();
    std::fs::create_dir_all(root.join("static/index.html")).unwrap();
    std::fs::write(root.join("static/roles"), "a file").unwrap();
    std::fs::write(root.join("static/index.html/inner.txt"), "below a page").unwrap();
    let run = build_ok(root, &[]);
    assert!(
        run.stderr
            .contains("static/roles:1:1: warning: static file \"roles\" is ignored: copcat writes a folder"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "static/index.html/inner.txt:1:1: warning: static file \"index.html/inner.txt\" is ignored"
        ),
        "{}",
        run.stderr
    );
    assert!(root.join("public/roles/priority-setter/index.html").is_file());
}

#[test]
fn a_folder_holding_a_built_site_is_not_published_again() {
    let dir = catalog("base", &[]);
    let root = dir.path();
    build_ok(root, &[]);
    // As an older copcat left it after `--output static/site`, and a link to the output.
    common::copy_tree(&root.join("public"), &root.join("static/site"));
    symlink("../public", root.join("static/current")).unwrap();
    let run = build_ok(root, &[]);
    assert!(
        run.stderr.contains("static/site:1:1: warning: this folder holds a site built by copcat"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("static/current:1:1: warning: this folder holds a site built by copcat"),
        "{}",
        run.stderr
    );
    assert!(!root.join("public/site").exists() && !root.join("public/current").exists());
}
