//! The output: publishing a staged folder atomically, one build at a time. The sinks
//! rendered files go through are in `crate::sink`.

mod memo;
mod place;
mod publish;
mod spread;

pub use crate::sink::{MemorySink, NullSink, Observed, OutputFile, Sink, Tally};
pub use publish::{MARKER, Staging, prepare, publish, remove_swept, sweep};
