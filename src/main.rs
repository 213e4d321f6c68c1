use std::process::ExitCode;

/// A build allocates many small strings and maps (template values) across threads;
/// mimalloc handles that far faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    copcat::cli::run()
}
