//! Wall and CPU time, and peak memory, per stage, for `--timings`.

use std::path::Path;
use std::time::{Duration, Instant};

/// Wall and CPU time per stage.
pub(super) struct Timer {
    last: Instant,
    last_cpu: Option<Duration>,
    pub(super) laps: Vec<StageTime>,
}

impl Timer {
    pub(super) fn start() -> Self {
        Self {
            last: Instant::now(),
            last_cpu: process_cpu_time(),
            laps: Vec::new(),
        }
    }

    pub(super) fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        let cpu = process_cpu_time();
        let cpu_delta = match (cpu, self.last_cpu) {
            (Some(now), Some(before)) => Some(now.saturating_sub(before)),
            _ => None,
        };
        self.laps.push(StageTime {
            stage,
            wall: now - self.last,
            cpu: cpu_delta,
            peak: peak_memory(),
        });
        self.last = now;
        self.last_cpu = cpu;
    }
}

/// The time one stage took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageTime {
    /// Stage name, one of [`super::STAGES`].
    pub stage: &'static str,
    /// Elapsed wall-clock time.
    pub wall: Duration,
    /// CPU time of the whole process (all threads) during the stage, where
    /// the platform tells it; CPU ÷ wall shows how well a stage uses cores.
    pub cpu: Option<Duration>,
    /// The process's peak resident memory so far, in bytes, at the end of
    /// the stage (Linux only): which stage raised it.
    pub peak: Option<u64>,
}

/// Peak resident memory of this process so far (`VmHWM`). Linux only.
fn peak_memory() -> Option<u64> {
    let status = crate::fs::read_to_string(Path::new("/proc/self/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// User + system CPU time of this process so far. Linux only (from
/// `/proc/self/stat`, in clock ticks of 1/100 s); `None` elsewhere.
fn process_cpu_time() -> Option<Duration> {
    let stat = crate::fs::read_to_string(Path::new("/proc/self/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}
