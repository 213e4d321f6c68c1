use std::process::ExitCode;

/// A build allocates many small strings and maps (template values) across threads;
/// mimalloc handles that far faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// mimalloc's option setter (mimalloc.h); the numbers are its `mi_option_e` in v3, the
// version the mimalloc crate builds by default.
unsafe extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}
const MI_OPTION_ARENA_EAGER_COMMIT: std::ffi::c_int = 4;

/// A build's stages each allocate and free a lot (views, pages, the search index).
/// Committing arena memory only as it is used makes the peak memory of a 10,000-entry build
/// about a fifth lower at no measurable cost in time. (Purging freed memory sooner than
/// mimalloc's 10 ms saves another sixth, but costs about 5% more time in page faults.)
/// This must run before the first allocation (the first arena is made then), so it runs
/// as an ELF initializer, before Rust's runtime starts; elsewhere mimalloc keeps its
/// defaults.
extern "C" fn configure_allocator() {
    // SAFETY: mi_option_set only stores a value that mimalloc reads when it next needs it.
    unsafe {
        mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
    }
}

#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static CONFIGURE_ALLOCATOR: extern "C" fn() = configure_allocator;

fn main() -> ExitCode {
    #[cfg(not(target_os = "linux"))]
    configure_allocator();
    copcat::cli::run()
}
