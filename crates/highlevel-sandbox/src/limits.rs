//! HighLevel's rate limits: a burst window (100 requests per 10 seconds by default) and a
//! daily count, each per connection and location (or company), reported on every answer in
//! the five `X-RateLimit-*` headers.

use parking_lot::Mutex;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The limits a sandbox enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Requests allowed in one burst window.
    pub burst: u32,
    /// The length of the burst window.
    pub interval: Duration,
    /// Requests allowed per day.
    pub daily: u32,
}

impl Default for RateLimits {
    /// HighLevel's documented defaults: 100 per 10 seconds, 200,000 per day.
    fn default() -> Self {
        Self {
            burst: 100,
            interval: Duration::from_secs(10),
            daily: 200_000,
        }
    }
}

impl RateLimits {
    /// Limits high enough never to be reached by a test.
    pub fn unlimited() -> Self {
        Self {
            burst: u32::MAX,
            interval: Duration::from_secs(10),
            daily: u32::MAX,
        }
    }
}

const DAY: Duration = Duration::from_secs(86_400);

struct Window {
    burst_start: Instant,
    burst_count: u32,
    day_start: Instant,
    day_count: u32,
}

/// The counters of every connection and location.
pub(crate) struct Limiter {
    limits: Mutex<RateLimits>,
    windows: Mutex<HashMap<String, Window>>,
}

/// The outcome of counting one request.
pub(crate) struct Verdict {
    pub(crate) allowed: bool,
    pub(crate) headers: [(&'static str, String); 5],
}

impl Limiter {
    pub(crate) fn new(limits: RateLimits) -> Self {
        Self {
            limits: Mutex::new(limits),
            windows: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn set(&self, limits: RateLimits) {
        *self.limits.lock() = limits;
        self.windows.lock().clear();
    }

    /// Counts a request against `key` (connection and location), refusing it once either
    /// window is used up. A refused request does not count.
    pub(crate) fn check(&self, key: &str, now: Instant) -> Verdict {
        let limits = *self.limits.lock();
        let mut windows = self.windows.lock();
        let window = windows.entry(key.to_owned()).or_insert(Window {
            burst_start: now,
            burst_count: 0,
            day_start: now,
            day_count: 0,
        });

        if now.duration_since(window.burst_start) >= limits.interval {
            window.burst_start = now;
            window.burst_count = 0;
        }
        if now.duration_since(window.day_start) >= DAY {
            window.day_start = now;
            window.day_count = 0;
        }

        let allowed = window.burst_count < limits.burst && window.day_count < limits.daily;
        if allowed {
            window.burst_count += 1;
            window.day_count += 1;
        }

        let interval_ms = limits.interval.as_millis().to_string();
        let headers = [
            ("x-ratelimit-max", limits.burst.to_string()),
            (
                "x-ratelimit-remaining",
                (limits.burst - window.burst_count.min(limits.burst)).to_string(),
            ),
            ("x-ratelimit-interval-milliseconds", interval_ms),
            ("x-ratelimit-limit-daily", limits.daily.to_string()),
            (
                "x-ratelimit-daily-remaining",
                (limits.daily - window.day_count.min(limits.daily)).to_string(),
            ),
        ];
        Verdict { allowed, headers }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header<'a>(verdict: &'a Verdict, name: &str) -> &'a str {
        &verdict.headers.iter().find(|(n, _)| *n == name).unwrap().1
    }

    #[test]
    fn the_burst_window_refuses_and_then_reopens() {
        let limiter = Limiter::new(RateLimits {
            burst: 2,
            interval: Duration::from_millis(100),
            daily: 10,
        });
        let start = Instant::now();

        assert!(limiter.check("c:l", start).allowed);
        let second = limiter.check("c:l", start);
        assert!(second.allowed);
        assert_eq!(header(&second, "x-ratelimit-remaining"), "0");
        assert!(!limiter.check("c:l", start).allowed);
        assert!(
            limiter.check("other", start).allowed,
            "keys are counted apart"
        );
        assert!(
            limiter
                .check("c:l", start + Duration::from_millis(100))
                .allowed
        );
    }

    #[test]
    fn the_daily_count_outlasts_burst_windows() {
        let limiter = Limiter::new(RateLimits {
            burst: 5,
            interval: Duration::from_millis(10),
            daily: 3,
        });
        let start = Instant::now();

        for i in 0..3 {
            assert!(
                limiter
                    .check("k", start + Duration::from_millis(20 * i))
                    .allowed
            );
        }
        let refused = limiter.check("k", start + Duration::from_millis(100));
        assert!(!refused.allowed);
        assert_eq!(header(&refused, "x-ratelimit-daily-remaining"), "0");
        assert_eq!(header(&refused, "x-ratelimit-limit-daily"), "3");
    }
}
