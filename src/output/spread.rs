//! Where the file system puts a new site. On ext4 without a journal, a new inode is never
//! taken from those freed in the last half-minute or so while older free ones remain: the
//! allocator checks each free inode of a group in turn, looking up its inode-table block
//! for the time it was deleted. A site is created beside (and usually straight after) the
//! removal of the previous one, in the same block groups, so every file and folder made
//! then first walks past thousands of just-freed inodes, under its parent folder's lock.
//! Building ten thousand entries right after deleting their previous site took 4 to 10 s
//! instead of 1.7 s, almost all of it in the kernel (`perf`: `recently_deleted`,
//! `find_inode_bit`, and writers spinning on the folder locks they held).
//!
//! The remedy is ext4's own hint for folders that hold unrelated trees, the "top of
//! directory hierarchies" attribute (`chattr +T`): the Orlov allocator places each folder
//! made in such a folder in a group of its own choosing (few folders, more free inodes and
//! blocks than average), starting its search at a hash of the folder's name. A build writes
//! into a folder with a name of its own inside a holder marked so, so each build's site
//! starts in a group chosen afresh rather than beside the parent, where the previous site
//! was just removed; and its folders and files follow it there as usual. Other file systems
//! have no such attribute (or ignore it), and lose nothing.

use std::path::Path;

/// Marks `dir`, a folder this build made, as the top of unrelated hierarchies, where the
/// file system has such a mark; nothing otherwise (it is a hint to the allocator, never
/// needed for a correct site).
#[cfg(target_os = "linux")]
pub fn mark_top(dir: &Path) {
    use std::os::fd::AsRawFd;
    /// `FS_TOPDIR_FL` in linux/fs.h (`libc` names the ioctls but not this flag).
    const TOPDIR: libc::c_int = 0x0002_0000;
    let Ok(folder) = std::fs::File::open(dir) else { return };
    let fd = folder.as_raw_fd();
    let mut flags: libc::c_int = 0;
    // SAFETY: `fd` is an open folder for the duration of both calls, and each ioctl reads
    // or writes exactly one `int` (the kernel's FS_IOC_GETFLAGS/SETFLAGS take an int,
    // whatever their declared `long`), which `flags` is.
    unsafe {
        if libc::ioctl(fd, libc::FS_IOC_GETFLAGS, &mut flags) == 0 && flags & TOPDIR == 0 {
            flags |= TOPDIR;
            libc::ioctl(fd, libc::FS_IOC_SETFLAGS, &flags);
        }
    }
}

#[cfg(not(target_os = "linux"))]
pub fn mark_top(_dir: &Path) {}

/// The name of the folder a build writes its site into, inside its marked holder: different
/// for every build (a process may build many times, as `serve` does), so the allocator's
/// search starts in a different place each time.
pub fn site_name() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static BUILDS: AtomicU64 = AtomicU64::new(0);
    format!("site-{}-{}", std::process::id(), BUILDS.fetch_add(1, Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_build_names_its_site_folder_afresh() {
        assert_ne!(site_name(), site_name());
    }

    #[test]
    fn marking_a_folder_keeps_it_usable() {
        let dir = tempfile::tempdir().unwrap();
        mark_top(dir.path());
        std::fs::create_dir(dir.path().join("roles")).unwrap();
        std::fs::write(dir.path().join("roles/index.html"), "x").unwrap();
        // Marking twice changes nothing; a folder that does not exist is left alone.
        mark_top(dir.path());
        mark_top(&dir.path().join("missing"));
        assert_eq!(std::fs::read_to_string(dir.path().join("roles/index.html")).unwrap(), "x");
    }
}
