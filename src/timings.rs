//! `--timings`: how long each stage of a build took and the peak memory so far, printed to
//! standard error as each stage ends, to see where a slow build spends its time. A value
//! the caller makes and passes down the pipeline, so that nothing else can turn it on.

use std::sync::Mutex;
use std::time::Instant;

/// A build's clock: when it started and when the last stage ended; `None` prints nothing.
#[derive(Debug, Default)]
pub struct Timings {
    clock: Option<Mutex<(Instant, Instant)>>,
}

impl Timings {
    /// Timings that print each stage.
    pub fn printed() -> Timings {
        let now = Instant::now();
        Timings { clock: Some(Mutex::new((now, now))) }
    }

    /// Timings that print nothing.
    pub fn off() -> Timings {
        Timings { clock: None }
    }

    /// Marks the end of the stage `name`: prints its time, the time so far and the peak memory.
    pub fn stage(&self, name: &str) {
        let Some(clock) = &self.clock else { return };
        let now = Instant::now();
        let Ok(mut clock) = clock.lock() else { return };
        let (start, last) = *clock;
        *clock = (start, now);
        let peak =
            peak_memory().map(|bytes| format!(", peak memory {} MiB", bytes >> 20)).unwrap_or_default();
        eprintln!(
            "timing: {name:<8} {:>7.1} ms (at {:>7.1} ms{peak})",
            (now - last).as_secs_f64() * 1000.0,
            (now - start).as_secs_f64() * 1000.0
        );
    }
}

/// The process's peak resident memory, where the system tells it (Linux).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib * 1024)
}
