//! One limiter per quota group (selling reads, selling writes, the account API), shared by every
//! task of the process, so cosell stays under Partner Central's per-account rates instead of
//! provoking ThrottlingException (which the other tools on the same account would then see too).
//!
//! Against AWS a group is paced from the start at its documented rate. Against another endpoint
//! (a sandbox, a proxy) it starts unpaced and turns pacing on at the first throttle it sees: an
//! endpoint that throttles is treated as AWS. Once throttled, the rate halves (never below a
//! tenth of the documented one) and recovers by a twentieth of it per second without throttles,
//! so a quota shared with another client settles where both fit. Requests draw from a token
//! bucket one second deep, so concurrent reads can use the whole quota.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// A quota group's documented limit, and how the client names it to users.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quota {
    pub name: &'static str,
    pub per_second: f64,
}

pub const SELLING_READS: Quota = Quota {
    name: "selling reads",
    per_second: 10.0,
};
pub const SELLING_WRITES: Quota = Quota {
    name: "selling writes",
    per_second: 1.0,
};
/// The account API publishes no per-second rate; this is where pacing starts once it throttles.
pub const ACCOUNT: Quota = Quota {
    name: "account API",
    per_second: 5.0,
};

struct Bucket {
    paced: bool,
    rate: f64,
    tokens: f64,
    refilled: Instant,
    last_throttle: Option<Instant>,
    throttles: u64,
}

pub struct Limiter {
    quota: Quota,
    bucket: Mutex<Bucket>,
}

/// How a limiter stands, for progress lines and tests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LimiterState {
    pub paced: bool,
    pub rate: f64,
    pub throttles: u64,
    /// A throttle was seen in the last ten seconds.
    pub throttled_recently: bool,
}

impl Limiter {
    /// A limiter for `quota`, paced from the start when `paced`.
    pub fn new(quota: Quota, paced: bool) -> Limiter {
        Limiter {
            quota,
            bucket: Mutex::new(Bucket {
                paced,
                rate: quota.per_second,
                tokens: quota.per_second,
                refilled: Instant::now(),
                last_throttle: None,
                throttles: 0,
            }),
        }
    }

    pub fn quota(&self) -> Quota {
        self.quota
    }

    /// Waits until one request may go.
    pub async fn wait(&self) {
        loop {
            let wait = {
                let mut b = self.bucket.lock().expect("limiter lock");
                if !b.paced {
                    return;
                }
                let now = Instant::now();
                self.refill(&mut b, now);
                if b.tokens >= 1.0 {
                    b.tokens -= 1.0;
                    return;
                }
                Duration::from_secs_f64((1.0 - b.tokens) / b.rate)
            };
            tokio::time::sleep(wait).await;
        }
    }

    fn refill(&self, b: &mut Bucket, now: Instant) {
        let elapsed = now.duration_since(b.refilled).as_secs_f64();
        b.refilled = now;
        // Recovery: each quiet second gives back a twentieth of the documented rate.
        let quiet = b
            .last_throttle
            .is_none_or(|t| now.duration_since(t) > Duration::from_secs(1));
        if quiet {
            b.rate = (b.rate + elapsed * self.quota.per_second / 20.0).min(self.quota.per_second);
        }
        // One second's worth at most: enough for concurrent requests to use the whole quota.
        b.tokens = (b.tokens + elapsed * b.rate).min(b.rate.max(1.0));
    }

    /// The endpoint throttled a request of this group: pace from now on, at half the rate.
    pub fn throttled(&self) {
        let mut b = self.bucket.lock().expect("limiter lock");
        let now = Instant::now();
        self.refill(&mut b, now);
        if !b.paced {
            b.paced = true;
            b.rate = self.quota.per_second;
            b.tokens = 0.0;
        }
        b.rate = (b.rate / 2.0).max(self.quota.per_second / 10.0);
        b.tokens = b.tokens.min(0.0);
        b.last_throttle = Some(now);
        b.throttles += 1;
    }

    pub fn state(&self) -> LimiterState {
        let b = self.bucket.lock().expect("limiter lock");
        LimiterState {
            paced: b.paced,
            rate: b.rate,
            throttles: b.throttles,
            throttled_recently: b
                .last_throttle
                .is_some_and(|t| Instant::now().duration_since(t) < Duration::from_secs(10)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_paced_group_spends_a_second_of_quota_at_once_then_keeps_to_the_rate() {
        let limiter = Limiter::new(SELLING_READS, true);
        let start = Instant::now();
        // The bucket holds one second's worth: ten go at once, the next ten take a second.
        for _ in 0..20 {
            limiter.wait().await;
        }
        let elapsed = start.elapsed().as_secs_f64();
        assert!((0.99..=1.01).contains(&elapsed), "{elapsed}");
    }

    #[tokio::test(start_paused = true)]
    async fn an_unpaced_endpoint_is_paced_from_its_first_throttle_and_recovers() {
        let limiter = Limiter::new(SELLING_READS, false);
        let start = Instant::now();
        for _ in 0..100 {
            limiter.wait().await;
        }
        assert_eq!(
            start.elapsed(),
            Duration::ZERO,
            "unpaced until it throttles"
        );
        limiter.throttled();
        let state = limiter.state();
        assert!(state.paced && state.throttled_recently);
        assert_eq!(state.rate, 5.0, "half the documented rate");
        limiter.throttled();
        limiter.throttled();
        limiter.throttled();
        limiter.throttled();
        assert_eq!(limiter.state().rate, 1.0, "never below a tenth");
        assert_eq!(limiter.state().throttles, 5);
        // Quiet time brings the rate back up to the documented one, no further.
        tokio::time::advance(Duration::from_secs(60)).await;
        limiter.wait().await;
        assert_eq!(limiter.state().rate, 10.0);
        assert!(!limiter.state().throttled_recently);
    }
}
