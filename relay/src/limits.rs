//! Rate limits per device and per address (token buckets, in memory).
//!
//! Each relay instance counts on its own: behind a load balancer with N instances a client
//! gets at most N times the limit, which still bounds abuse. Buckets are forgotten once full
//! again, so memory follows the number of recently active clients.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// A set of token buckets with one refill rate.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    /// Allows `per_minute` requests a minute per key, in bursts of up to that many.
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute: per_minute.max(1),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `key`; `false` when its bucket is empty.
    pub fn allow(&self, key: &str) -> bool {
        self.allow_at(key, Instant::now())
    }

    fn allow_at(&self, key: &str, now: Instant) -> bool {
        let capacity = f64::from(self.per_minute);
        let rate = capacity / 60.0;
        let Ok(mut buckets) = self.buckets.lock() else {
            return true;
        };
        if buckets.len() > 100_000 {
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < capacity
            });
        }
        let (tokens, at) = buckets.entry(key.to_owned()).or_insert((capacity, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(capacity);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn bursts_up_to_the_limit_then_refills() {
        let limiter = RateLimiter::new(3);
        let t0 = Instant::now();
        assert!((0..3).all(|_| limiter.allow_at("a", t0)));
        assert!(!limiter.allow_at("a", t0));
        assert!(limiter.allow_at("b", t0), "keys are independent");
        assert!(limiter.allow_at("a", t0 + Duration::from_secs(20)));
        assert!(!limiter.allow_at("a", t0 + Duration::from_secs(20)));
    }
}
