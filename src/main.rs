use std::process::ExitCode;

fn main() -> ExitCode {
    copcat::cli::run()
}
