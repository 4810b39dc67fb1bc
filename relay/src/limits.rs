//! Rate limits per device and per address (token buckets, in memory).
//!
//! Each relay instance counts on its own: behind a load balancer with N instances a client
//! gets at most N times the limit, which still bounds abuse. Buckets are forgotten once full
//! again, so memory follows the number of recently active clients.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

/// A set of token buckets with one refill rate.
#[derive(Debug)]
pub struct RateLimiter {
    capacity: u32,
    period_secs: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    /// Allows `per_minute` requests a minute per key, in bursts of up to that many.
    pub fn new(per_minute: u32) -> Self {
        Self::per_period(per_minute, 60)
    }

    /// Allows `per_hour` requests an hour per key, in bursts of up to that many.
    pub fn per_hour(per_hour: u32) -> Self {
        Self::per_period(per_hour, 3600)
    }

    fn per_period(capacity: u32, period_secs: u32) -> Self {
        Self {
            capacity: capacity.max(1),
            period_secs: f64::from(period_secs.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `key`; `false` when its bucket is empty.
    pub fn allow(&self, key: &str) -> bool {
        self.allow_at(key, Instant::now())
    }

    fn allow_at(&self, key: &str, now: Instant) -> bool {
        let capacity = f64::from(self.capacity);
        let rate = capacity / self.period_secs;
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

/// The key an address is limited under: an IPv4 address by itself, an IPv6 address by its /64
/// (one subscriber usually holds a whole /64, so single IPv6 addresses would multiply every
/// per-address budget by 2⁶⁴). IPv4 addresses mapped into IPv6 count as IPv4.
pub fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
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

    #[test]
    fn ipv6_addresses_share_their_64() {
        let key = |s: &str| address_key(s.parse().unwrap());
        assert_eq!(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff:1:2:3"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::ffff:192.0.2.7"), key("192.0.2.7"));
        assert_ne!(key("192.0.2.7"), key("192.0.2.8"));
    }

    #[test]
    fn hourly_budget_refills_slowly() {
        let limiter = RateLimiter::per_hour(2);
        let t0 = Instant::now();
        assert!(limiter.allow_at("a", t0) && limiter.allow_at("a", t0));
        assert!(!limiter.allow_at("a", t0 + Duration::from_secs(60)));
        assert!(limiter.allow_at("a", t0 + Duration::from_secs(1800)));
    }
}
