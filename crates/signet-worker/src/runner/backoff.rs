//! The retry schedule: 10 s × 2^(attempt−1), capped at one hour, ±20 % jitter so that jobs that
//! failed together do not retry together. Webhook deliveries follow the Standard Webhooks
//! schedule instead (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h: about three days).

use std::time::Duration;

use rand::Rng;

const BASE: Duration = Duration::from_secs(10);
const CAP: Duration = Duration::from_secs(60 * 60);
const JITTER: f64 = 0.2;

/// The webhook delivery schedule: the delay after failed attempt n is `WEBHOOK[n - 1]` (the
/// last entry repeats).
const WEBHOOK: [u64; 9] = [
    5,
    5 * 60,
    30 * 60,
    2 * 3600,
    5 * 3600,
    10 * 3600,
    14 * 3600,
    20 * 3600,
    24 * 3600,
];

/// How long to wait before retrying a job whose attempt number `attempt` (1 = first) failed.
pub fn retry_delay(attempt: i32) -> Duration {
    delay_with_jitter(attempt, rand::rng().random_range(-1.0..=1.0))
}

/// [`retry_delay`] for a job of `kind`: `deliver_webhook` jobs follow the webhook schedule.
pub fn retry_delay_for(kind: &str, attempt: i32) -> Duration {
    let unit = rand::rng().random_range(-1.0..=1.0);
    match kind {
        "deliver_webhook" => webhook_delay(attempt, unit),
        _ => delay_with_jitter(attempt, unit),
    }
}

/// The webhook delay for `attempt` with `unit` in −1..=1 choosing the jitter (±20 %).
pub(crate) fn webhook_delay(attempt: i32, unit: f64) -> Duration {
    let index = usize::try_from(attempt.clamp(1, 9) - 1).unwrap_or(0);
    let nominal = Duration::from_secs(WEBHOOK[index]);
    let factor = 1.0 + JITTER * unit.clamp(-1.0, 1.0);
    Duration::from_millis(u64::try_from(nominal.mul_f64(factor).as_millis()).unwrap_or(u64::MAX))
}

/// The delay for `attempt` with `unit` in −1..=1 choosing the jitter (−20 % … +20 %).
pub(crate) fn delay_with_jitter(attempt: i32, unit: f64) -> Duration {
    let exponent = u32::try_from(attempt.clamp(1, 31) - 1).unwrap_or(0);
    let nominal = BASE.saturating_mul(2u32.saturating_pow(exponent)).min(CAP);
    let factor = 1.0 + JITTER * unit.clamp(-1.0, 1.0);
    // Whole milliseconds: run_at is stored with microsecond precision anyway.
    Duration::from_millis(u64::try_from(nominal.mul_f64(factor).as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_doubles_from_ten_seconds_and_stops_at_an_hour() {
        let nominal: Vec<u64> = (1..=11)
            .map(|a| delay_with_jitter(a, 0.0).as_secs())
            .collect();
        assert_eq!(
            nominal,
            [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]
        );
        assert_eq!(delay_with_jitter(0, 0.0), Duration::from_secs(10));
        assert_eq!(delay_with_jitter(i32::MAX, 0.0), CAP);
        assert_eq!(delay_with_jitter(1, -1.0), Duration::from_secs(8));
        assert_eq!(delay_with_jitter(1, 1.0), Duration::from_secs(12));
        assert_eq!(delay_with_jitter(20, 5.0), Duration::from_secs(4320));
    }

    #[test]
    fn webhooks_retry_for_about_three_days() {
        let nominal: Vec<u64> = (1..=10).map(|a| webhook_delay(a, 0.0).as_secs()).collect();
        assert_eq!(
            nominal,
            [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400, 86400]
        );
        // Nine retries after the first attempt: the tenth attempt comes about 3.15 days later.
        let total: u64 = nominal[..9].iter().sum();
        assert_eq!(total, 3 * 86400 + 3 * 3600 + 35 * 60 + 5);
        assert_eq!(webhook_delay(1, 1.0), Duration::from_secs(6));
        assert_eq!(retry_delay_for("seal_envelope", 1).as_secs() / 8, 1);
    }

    #[test]
    fn random_delays_stay_within_twenty_percent() {
        for attempt in 1..=15 {
            let nominal = delay_with_jitter(attempt, 0.0);
            for _ in 0..200 {
                let delay = retry_delay(attempt);
                assert!(
                    delay >= nominal.mul_f64(0.8) && delay <= nominal.mul_f64(1.2),
                    "attempt {attempt}: {delay:?}"
                );
            }
        }
    }
}
