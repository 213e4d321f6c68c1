//! Running probes with bounded concurrency: at most so many at once overall, and at most so
//! many at once per host, so that a catalog with a hundred links to one site does not
//! hammer it, while links to other hosts go on meanwhile.

use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex};

/// Limits on requests in flight.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub overall: usize,
    pub per_host: usize,
}

struct State {
    /// Indices of jobs not started, in order.
    pending: VecDeque<usize>,
    /// Jobs in flight per host.
    busy: HashMap<String, usize>,
}

/// Runs `work` on each job (a host and a value), on at most `limits.overall` threads, never
/// more than `limits.per_host` at once for one host; returns the results in the jobs' order.
pub fn run<T: Sync, R: Send>(jobs: &[(String, T)], limits: Limits, work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let state = Mutex::new(State { pending: (0..jobs.len()).collect(), busy: HashMap::new() });
    let changed = Condvar::new();
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    let threads = limits.overall.max(1).min(jobs.len());
    let per_host = limits.per_host.max(1);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(index) = next_job(&state, &changed, jobs, per_host) {
                    let (host, job) = &jobs[index];
                    let result = work(job);
                    lock(&results)[index] = Some(result);
                    let mut state = lock(&state);
                    if let Some(count) = state.busy.get_mut(host) {
                        *count -= 1;
                    }
                    changed.notify_all();
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner()).into_iter().flatten().collect()
}

/// The next job whose host has room, waiting while every pending job's host is busy;
/// `None` once nothing is pending.
fn next_job<T>(
    state: &Mutex<State>,
    changed: &Condvar,
    jobs: &[(String, T)],
    per_host: usize,
) -> Option<usize> {
    let mut guard = lock(state);
    loop {
        if guard.pending.is_empty() {
            return None;
        }
        let ready = guard
            .pending
            .iter()
            .position(|&index| guard.busy.get(&jobs[index].0).copied().unwrap_or(0) < per_host);
        if let Some(position) = ready {
            let index = guard.pending.remove(position)?;
            *guard.busy.entry(jobs[index].0.clone()).or_insert(0) += 1;
            return Some(index);
        }
        guard = changed.wait(guard).unwrap_or_else(|poisoned| poisoned.into_inner());
    }
}

/// A lock that a panicking probe (there should be none) does not make unusable.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn limits_hold_overall_and_per_host() {
        let jobs: Vec<(String, usize)> = (0..24).map(|i| (format!("host{}", i % 3), i)).collect();
        let in_flight: Vec<AtomicUsize> = (0..3).map(|_| AtomicUsize::new(0)).collect();
        let overall = AtomicUsize::new(0);
        let (most_overall, most_per_host) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let results = run(&jobs, Limits { overall: 4, per_host: 2 }, |&job| {
            let host = &in_flight[job % 3];
            let now_host = host.fetch_add(1, Ordering::SeqCst) + 1;
            let now_overall = overall.fetch_add(1, Ordering::SeqCst) + 1;
            most_per_host.fetch_max(now_host, Ordering::SeqCst);
            most_overall.fetch_max(now_overall, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(5));
            host.fetch_sub(1, Ordering::SeqCst);
            overall.fetch_sub(1, Ordering::SeqCst);
            job * 10
        });
        assert_eq!(results, (0..24).map(|i| i * 10).collect::<Vec<_>>());
        assert!(most_per_host.load(Ordering::SeqCst) <= 2);
        assert!(most_overall.load(Ordering::SeqCst) <= 4);
        assert!(most_overall.load(Ordering::SeqCst) >= 2, "jobs ran side by side");
    }
}
