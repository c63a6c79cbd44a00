use std::sync::Mutex;

use signet_core::time::{Clock, OffsetDateTime};

/// A clock the test moves by hand (it starts at the real time).
pub struct ManualClock {
    now: Mutex<OffsetDateTime>,
}

impl ManualClock {
    pub fn new() -> Self {
        Self {
            now: Mutex::new(OffsetDateTime::now_utc()),
        }
    }

    pub fn advance(&self, by: time::Duration) {
        let mut now = self.now.lock().unwrap();
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self.now.lock().unwrap()
    }
}
