//! One limiter per quota group (selling reads, selling writes, the account API), shared by every
//! task of the process, so cosell stays under Partner Central's per-account rates instead of
//! provoking ThrottlingException (which the other tools on the same account would then see too).
//!
//! Against AWS a group is paced from the start at its documented rate. Against another endpoint
//! (a sandbox, a proxy) it starts unpaced and turns pacing on, at the documented rate, at the
//! first throttle it sees: an endpoint that throttles is treated as AWS. A throttle while paced
//! means someone else is spending the same quota: the rate drops by a quarter (never below a
//! tenth of the documented one) and climbs back by a tenth of it per second without throttles,
//! so a shared quota settles where both clients fit. The throttles of requests that were already
//! in flight when the rate dropped are one event, not several: the rate drops at most once a
//! second. Requests draw from a token bucket one second deep, so concurrent reads can use the
//! whole quota.

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
/// The benefits and channel APIs publish a rate per operation; each group is paced at the
/// lowest of its operations' (ListBenefits, GetBenefit, GetBenefitApplication, GetBenefitAllocation
/// and ListBenefitAllocations 20/s; every benefits write 10/s; channel reads 5/s, writes 3/s).
pub const BENEFITS_READS: Quota = Quota {
    name: "benefits reads",
    per_second: 20.0,
};
pub const BENEFITS_WRITES: Quota = Quota {
    name: "benefits writes",
    per_second: 10.0,
};
pub const CHANNEL_READS: Quota = Quota {
    name: "channel reads",
    per_second: 5.0,
};
pub const CHANNEL_WRITES: Quota = Quota {
    name: "channel writes",
    per_second: 3.0,
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
    last_slowdown: Option<Instant>,
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
                last_slowdown: None,
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
        // Recovery: each quiet second gives back a tenth of the documented rate.
        let quiet = b
            .last_throttle
            .is_none_or(|t| now.duration_since(t) > Duration::from_secs(1));
        if quiet {
            b.rate = (b.rate + elapsed * self.quota.per_second / 10.0).min(self.quota.per_second);
        }
        // One second's worth at most: enough for concurrent requests to use the whole quota.
        b.tokens = (b.tokens + elapsed * b.rate).min(b.rate.max(1.0));
    }

    /// A request went without waiting its turn (the SDK retrying an attempt): the quota spent
    /// is taken from the bucket all the same, so the requests after it wait for it.
    pub fn charge(&self) {
        let mut b = self.bucket.lock().expect("limiter lock");
        if !b.paced {
            return;
        }
        let now = Instant::now();
        self.refill(&mut b, now);
        // A second's worth of debt at most: a burst of retries does not stall the group longer.
        b.tokens = (b.tokens - 1.0).max(-b.rate);
    }

    /// The endpoint throttled a request of this group: pace from now on (at the documented
    /// rate if this is the first sign of a quota), slower if already paced.
    pub fn throttled(&self) {
        let mut b = self.bucket.lock().expect("limiter lock");
        let now = Instant::now();
        self.refill(&mut b, now);
        b.tokens = b.tokens.min(0.0);
        b.last_throttle = Some(now);
        b.throttles += 1;
        if !b.paced {
            b.paced = true;
            b.rate = self.quota.per_second;
            b.last_slowdown = Some(now);
            return;
        }
        let same_event = b
            .last_slowdown
            .is_some_and(|t| now.duration_since(t) < Duration::from_secs(1));
        if !same_event {
            b.rate = (b.rate * 0.75).max(self.quota.per_second / 10.0);
            b.last_slowdown = Some(now);
        }
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
        assert_eq!(state.rate, 10.0, "paced at the documented rate");
        // Requests already in flight come back throttled too: the same event, no slowdown.
        limiter.throttled();
        limiter.throttled();
        assert_eq!(limiter.state().rate, 10.0);
        // Throttled while paced, every second: someone else shares the quota. Each second
        // gives back a tenth of the rate (1/s) and each throttle takes a quarter off, so the
        // rate falls until the two balance, at 3/s.
        let mut rates = Vec::new();
        for _ in 0..40 {
            tokio::time::advance(Duration::from_millis(1_001)).await;
            limiter.throttled();
            rates.push(limiter.state().rate);
        }
        assert!(rates.windows(2).all(|w| w[1] < w[0]), "{rates:?}");
        assert!((rates[39] - 3.0).abs() < 0.01, "{rates:?}");
        assert_eq!(limiter.state().throttles, 43);
        // Back to back (each a new event), the rate bottoms out at a tenth of the quota.
        for _ in 0..20 {
            tokio::time::advance(Duration::from_millis(1_001)).await;
            let mut b = limiter.bucket.lock().unwrap();
            b.last_throttle = Some(Instant::now());
            drop(b);
            limiter.throttled();
        }
        assert_eq!(limiter.state().rate, 1.0, "never below a tenth");
        // Quiet time brings the rate back up to the documented one, no further.
        tokio::time::advance(Duration::from_secs(60)).await;
        limiter.wait().await;
        assert_eq!(limiter.state().rate, 10.0);
        assert!(!limiter.state().throttled_recently);
    }

    #[tokio::test(start_paused = true)]
    async fn a_retry_sent_without_waiting_is_paid_for_by_the_next_request() {
        let limiter = Limiter::new(SELLING_READS, true);
        for _ in 0..10 {
            limiter.wait().await;
        }
        // The bucket is empty; two retries go anyway and are charged.
        limiter.charge();
        limiter.charge();
        let start = Instant::now();
        limiter.wait().await;
        // Three tokens' time at 10/s: the two retries' and its own.
        let waited = start.elapsed().as_secs_f64();
        assert!((0.29..=0.31).contains(&waited), "{waited}");
        // Unpaced groups are never charged.
        let unpaced = Limiter::new(SELLING_READS, false);
        unpaced.charge();
        let start = Instant::now();
        unpaced.wait().await;
        assert_eq!(start.elapsed(), Duration::ZERO);
    }
}
