//! `--timings`: how long each stage of a build took and the peak memory so far, printed to
//! standard error as each stage ends, to see where a slow build spends its time.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

static ENABLED: AtomicBool = AtomicBool::new(false);
/// When timing started and when the last stage ended.
static CLOCK: Mutex<Option<(Instant, Instant)>> = Mutex::new(None);

/// Starts timing: later calls to `stage` print.
pub fn enable() {
    let now = Instant::now();
    if let Ok(mut clock) = CLOCK.lock() {
        *clock = Some((now, now));
    }
    ENABLED.store(true, Ordering::Relaxed);
}

/// Marks the end of the stage `name`: prints its time, the time so far and the peak memory.
pub fn stage(name: &str) {
    if !ENABLED.load(Ordering::Relaxed) {
        return;
    }
    let now = Instant::now();
    let Ok(mut clock) = CLOCK.lock() else { return };
    let Some((start, last)) = *clock else { return };
    *clock = Some((start, now));
    let peak = peak_memory().map(|bytes| format!(", peak memory {} MiB", bytes >> 20)).unwrap_or_default();
    eprintln!(
        "timing: {name:<8} {:>7.1} ms (at {:>7.1} ms{peak})",
        (now - last).as_secs_f64() * 1000.0,
        (now - start).as_secs_f64() * 1000.0
    );
}

/// The process's peak resident memory, where the system tells it (Linux).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib * 1024)
}
