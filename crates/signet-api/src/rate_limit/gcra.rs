//! One rate limit: a token bucket kept as GCRA (one "theoretical arrival time" per key), in
//! this process's memory, with a bounded number of keys.
//!
//! A key whose bucket has refilled completely carries no information (it behaves exactly
//! like a key never seen), so it can be forgotten at any time: such idle keys are swept once a
//! minute and whenever the table is full. If the table is still full of active keys (a flood
//! of distinct keys), the eighth nearest to full are forgotten, so memory stays bounded and
//! the keys that lose the least are the ones dropped.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// Nanoseconds since the Unix epoch (the limiter's clock reading).
pub type Nanos = i128;

const NANOS_PER_MINUTE: Nanos = 60_000_000_000;
const NANOS_PER_SECOND: Nanos = 1_000_000_000;
/// How often idle keys are swept even when the table is not full.
const SWEEP_EVERY: Nanos = NANOS_PER_MINUTE;

/// How many requests a limit allows: `burst` at once, refilled at `per_minute`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quota {
    /// Refill rate; 0 turns the limit off.
    pub per_minute: u32,
    /// The bucket's size: how many requests may come at once (at least 1).
    pub burst: u32,
}

impl Quota {
    /// A quota of `per_minute` with room for `burst` at once.
    pub const fn new(per_minute: u32, burst: u32) -> Self {
        Self { per_minute, burst }
    }
}

/// The outcome of asking a limit, with what the `RateLimit-*` headers report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Whether the request may go ahead.
    pub allowed: bool,
    /// The bucket's size.
    pub limit: u32,
    /// Requests left right now.
    pub remaining: u32,
    /// Seconds until the bucket is full again.
    pub reset_secs: u64,
    /// Seconds until one more request is allowed (0 when allowed).
    pub retry_after_secs: u64,
    /// Seconds a full refill takes (the policy's window).
    pub window_secs: u64,
}

/// One limit over many keys.
pub struct Limiter {
    burst: u32,
    interval: Nanos,
    capacity: usize,
    table: Mutex<Table>,
}

#[derive(Default)]
struct Table {
    /// Per key: the time at which its bucket is full again.
    full_at: HashMap<String, Nanos>,
    last_sweep: Nanos,
}

impl Limiter {
    /// A limiter for `quota` remembering at most `capacity` keys; `None` when the quota is off.
    pub fn new(quota: Quota, capacity: usize) -> Option<Self> {
        if quota.per_minute == 0 {
            return None;
        }
        Some(Self {
            burst: quota.burst.max(1),
            interval: NANOS_PER_MINUTE / Nanos::from(quota.per_minute),
            capacity: capacity.max(1),
            table: Mutex::new(Table::default()),
        })
    }

    /// Takes one request from `key`'s bucket if it has one.
    pub fn charge(&self, key: &str, now: Nanos) -> Decision {
        let mut table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        let start = table.full_at.get(key).copied().unwrap_or(now).max(now);
        let decision = self.decide(start, now);
        if decision.allowed {
            let full_at = start + self.interval;
            match table.full_at.get_mut(key) {
                Some(slot) => *slot = full_at,
                None => {
                    self.make_room(&mut table, now);
                    table.full_at.insert(key.to_owned(), full_at);
                }
            }
        }
        decision
    }

    /// Whether `key`'s bucket has a request left, without taking it.
    pub fn peek(&self, key: &str, now: Nanos) -> Decision {
        let table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        let start = table.full_at.get(key).copied().unwrap_or(now).max(now);
        self.decide(start, now)
    }

    /// The decision for a bucket that is full again at `start` (>= `now`).
    fn decide(&self, start: Nanos, now: Nanos) -> Decision {
        let size = Nanos::from(self.burst) * self.interval;
        let after = start + self.interval - now;
        let allowed = after <= size;
        let used = if allowed { after } else { start - now };
        let remaining = ((size - used) / self.interval).clamp(0, Nanos::from(self.burst));
        Decision {
            allowed,
            limit: self.burst,
            remaining: u32::try_from(remaining).unwrap_or(0),
            reset_secs: whole_seconds(used),
            retry_after_secs: if allowed {
                0
            } else {
                whole_seconds(after - size).max(1)
            },
            window_secs: whole_seconds(size),
        }
    }

    /// Frees a slot for one more key: idle keys go first, then (a flood of active keys) the
    /// eighth whose buckets are nearest to full.
    fn make_room(&self, table: &mut Table, now: Nanos) {
        let due = now - table.last_sweep >= SWEEP_EVERY;
        if table.full_at.len() < self.capacity && !due {
            return;
        }
        table.full_at.retain(|_, full_at| *full_at > now);
        table.last_sweep = now;
        if table.full_at.len() < self.capacity {
            return;
        }
        let mut times: Vec<Nanos> = table.full_at.values().copied().collect();
        let cut = (times.len() / 8).max(1) - 1;
        let (_, threshold, _) = times.select_nth_unstable(cut);
        let threshold = *threshold;
        table.full_at.retain(|_, full_at| *full_at > threshold);
    }

    /// How many keys are remembered.
    #[cfg(test)]
    pub fn keys(&self) -> usize {
        self.table
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .full_at
            .len()
    }
}

/// Nanoseconds rounded up to whole seconds.
fn whole_seconds(nanos: Nanos) -> u64 {
    let secs = (nanos.max(0) + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
    u64::try_from(secs).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests;
