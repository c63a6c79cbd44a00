use super::{Limiter, NANOS_PER_SECOND, Nanos, Quota};

const T0: Nanos = 1_700_000_000 * NANOS_PER_SECOND;

fn secs(n: i64) -> Nanos {
    Nanos::from(n) * NANOS_PER_SECOND
}

#[test]
fn a_burst_is_allowed_then_refused_with_a_retry_after() {
    let limiter = Limiter::new(Quota::new(60, 3), 100).unwrap();
    let remaining: Vec<u32> = (0..3)
        .map(|_| limiter.charge("k", T0))
        .inspect(|d| assert!(d.allowed))
        .map(|d| d.remaining)
        .collect();
    assert_eq!(remaining, [2, 1, 0]);
    let refused = limiter.charge("k", T0);
    assert!(!refused.allowed);
    assert_eq!(
        (
            refused.remaining,
            refused.retry_after_secs,
            refused.reset_secs
        ),
        (0, 1, 3)
    );
    assert_eq!((refused.limit, refused.window_secs), (3, 3));
}

#[test]
fn the_bucket_refills_at_the_rate() {
    let limiter = Limiter::new(Quota::new(60, 2), 100).unwrap();
    limiter.charge("k", T0);
    limiter.charge("k", T0);
    assert!(!limiter.charge("k", T0 + secs(1) / 2).allowed);
    let after_one = limiter.charge("k", T0 + secs(1));
    assert!(after_one.allowed);
    assert_eq!(after_one.remaining, 0);
    let after_long = limiter.charge("k", T0 + secs(600));
    assert_eq!(after_long.remaining, 1, "refill stops at the burst size");
}

#[test]
fn keys_are_independent_and_refusals_take_nothing() {
    let limiter = Limiter::new(Quota::new(6, 1), 100).unwrap();
    assert!(limiter.charge("a", T0).allowed);
    for _ in 0..5 {
        assert!(!limiter.charge("a", T0).allowed);
    }
    assert!(limiter.charge("b", T0).allowed);
    // One request per 10 s: refused requests did not push the next one further out.
    assert!(limiter.charge("a", T0 + secs(10)).allowed);
}

#[test]
fn peek_reports_without_taking() {
    let limiter = Limiter::new(Quota::new(60, 1), 100).unwrap();
    assert!(limiter.peek("k", T0).allowed);
    assert!(limiter.peek("k", T0).allowed);
    limiter.charge("k", T0);
    let peeked = limiter.peek("k", T0);
    assert!(!peeked.allowed);
    assert_eq!(peeked.retry_after_secs, 1);
    assert_eq!(limiter.keys(), 1);
}

#[test]
fn a_zero_rate_turns_the_limit_off() {
    assert!(Limiter::new(Quota::new(0, 10), 100).is_none());
}

#[test]
fn idle_keys_are_evicted_when_the_table_is_full() {
    let limiter = Limiter::new(Quota::new(60, 5), 4).unwrap();
    for key in ["a", "b", "c", "d"] {
        limiter.charge(key, T0);
    }
    assert_eq!(limiter.keys(), 4);
    // Two seconds later every bucket is full again: the keys are idle and make room.
    limiter.charge("e", T0 + secs(2));
    assert_eq!(limiter.keys(), 1);
}

#[test]
fn idle_keys_are_swept_once_a_minute_even_below_capacity() {
    let limiter = Limiter::new(Quota::new(60, 5), 1000).unwrap();
    for i in 0..10 {
        limiter.charge(&format!("k{i}"), T0);
    }
    limiter.charge("late", T0 + secs(61));
    assert_eq!(limiter.keys(), 1);
}

#[test]
fn a_flood_of_distinct_keys_stays_within_capacity() {
    let limiter = Limiter::new(Quota::new(1, 10), 64).unwrap();
    for i in 0..10_000 {
        let decision = limiter.charge(&format!("flood-{i}"), T0);
        assert!(decision.allowed);
        assert!(limiter.keys() <= 64, "{} keys after {i}", limiter.keys());
    }
}

#[test]
fn under_a_flood_the_keys_nearest_to_full_are_forgotten_first() {
    let limiter = Limiter::new(Quota::new(60, 10), 8).unwrap();
    // "busy" has used its whole burst; seven others used one request each.
    for _ in 0..10 {
        limiter.charge("busy", T0);
    }
    for i in 0..7 {
        limiter.charge(&format!("light-{i}"), T0);
    }
    limiter.charge("newcomer", T0);
    assert!(!limiter.charge("busy", T0).allowed, "busy is still limited");
    assert!(limiter.keys() <= 8);
}
