//! CPU accounting from /proc.

use super::*;

/// CPU used over a phase: by the server (if its pid is known; also per thread name, which
/// shows whether one thread, such as SQLite's single writer, is saturated), by this client,
/// and by the whole machine (other tenants included).
pub(crate) struct Cpu {
    pub(crate) pid: Option<u32>,
    pub(crate) at: Instant,
    pub(crate) server: f64,
    pub(crate) client: f64,
    pub(crate) machine: (f64, f64),
    pub(crate) threads: HashMap<String, (String, f64)>,
}

impl Cpu {
    pub(crate) fn start(pid: Option<u32>) -> Self {
        Self {
            pid,
            at: Instant::now(),
            server: pid.map_or(0.0, |p| cpu_seconds(&format!("/proc/{p}/stat"))),
            client: cpu_seconds("/proc/self/stat"),
            machine: machine_ticks(),
            threads: pid.map(threads).unwrap_or_default(),
        }
    }

    /// `{"server_pct", "client_pct", "machine_pct", "threads": {name: {"n", "pct", "max_pct"}}}`;
    /// percentages of one core, except `machine_pct` (of all cores).
    pub(crate) fn stop(self) -> Value {
        let secs = self.at.elapsed().as_secs_f64();
        let pct = |s: f64| (s / secs * 100.0).round();
        let (busy, total) = machine_ticks();
        let machine = (busy - self.machine.0) / (total - self.machine.1).max(1.0) * 100.0;
        let mut by_name: BTreeMap<String, (usize, f64, f64)> = BTreeMap::new();
        for (tid, (name, now)) in self.pid.map(threads).unwrap_or_default() {
            let used = now - self.threads.get(&tid).map_or(0.0, |(_, then)| *then);
            let entry = by_name.entry(name).or_default();
            *entry = (entry.0 + 1, entry.1 + used, entry.2.max(used));
        }
        let threads: serde_json::Map<String, Value> = by_name
            .into_iter()
            .filter(|(_, (_, used, _))| *used > 0.0)
            .map(|(name, (n, used, max))| {
                (name, json!({"n": n, "pct": pct(used), "max_pct": pct(max)}))
            })
            .collect();
        json!({
            "server_pct": self.pid.map(|p| pct(cpu_seconds(&format!("/proc/{p}/stat")) - self.server)),
            "client_pct": pct(cpu_seconds("/proc/self/stat") - self.client),
            "machine_pct": machine.round(),
            "threads": threads,
        })
    }
}

/// utime + stime of a process or thread, in seconds (Linux counts USER_HZ = 100 ticks/s).
pub(crate) fn cpu_seconds(stat: &str) -> f64 {
    let text = std::fs::read_to_string(stat).unwrap_or_default();
    let after_name = text.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Fields 14 and 15 of /proc/PID/stat; `fields` starts at field 3.
    (ticks(11) + ticks(12)) / 100.0
}

/// The server's threads: id -> (name, CPU seconds).
pub(crate) fn threads(pid: u32) -> HashMap<String, (String, f64)> {
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return HashMap::new();
    };
    dir.flatten()
        .map(|task| {
            let path = task.path();
            let name = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
            let used = cpu_seconds(&path.join("stat").to_string_lossy());
            let tid = task.file_name().to_string_lossy().into_owned();
            (tid, (name.trim().to_string(), used))
        })
        .collect()
}

/// (busy, total) ticks of all cores, from the first line of /proc/stat.
pub(crate) fn machine_ticks() -> (f64, f64) {
    let text = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let ticks: Vec<f64> = text
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    let total: f64 = ticks.iter().take(8).sum();
    // idle + iowait are not busy.
    let idle = ticks.get(3).copied().unwrap_or(0.0) + ticks.get(4).copied().unwrap_or(0.0);
    (total - idle, total)
}
