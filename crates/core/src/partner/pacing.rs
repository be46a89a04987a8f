//! Client-side pacing under Partner Central's per-account request rates, so cosell spaces its
//! own requests instead of provoking ThrottlingException (which other tools on the same account
//! would then also see).

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

pub struct Pacer {
    interval: Option<Duration>,
    next_slot: Mutex<Instant>,
}

impl Pacer {
    /// A pacer allowing `rate` requests per second; 0 disables pacing.
    pub fn per_second(rate: f64) -> Pacer {
        Pacer {
            interval: (rate > 0.0).then(|| Duration::from_secs_f64(1.0 / rate)),
            next_slot: Mutex::new(Instant::now()),
        }
    }

    /// Waits for this caller's slot. Slots are handed out in order, one interval apart.
    pub async fn wait(&self) {
        let Some(interval) = self.interval else {
            return;
        };
        let slot = {
            let mut next = self.next_slot.lock().await;
            let now = Instant::now();
            let slot = (*next).max(now);
            *next = slot + interval;
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn spaces_requests_by_the_interval() {
        let pacer = Pacer::per_second(2.0);
        let start = Instant::now();
        for _ in 0..3 {
            pacer.wait().await;
        }
        assert_eq!(start.elapsed(), Duration::from_millis(1000));
    }
}
