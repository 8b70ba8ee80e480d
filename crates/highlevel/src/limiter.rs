//! The client-side rate limiter: at most `burst` requests in any window of `interval`, per
//! connection and location, so that a bulk job runs at the allowed rate instead of into
//! 429s. It starts from HighLevel's defaults and takes the service's own figures from the
//! `X-RateLimit-Max` and `X-RateLimit-Interval-Milliseconds` headers of each answer.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;

/// The limits the client holds itself to before the service has reported its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimitPolicy {
    /// Whether the client limits itself at all.
    pub enabled: bool,
    /// Requests allowed in one window.
    pub burst: u32,
    /// The window.
    pub interval: Duration,
}

impl Default for RateLimitPolicy {
    /// HighLevel's documented default: 100 requests per 10 seconds.
    fn default() -> Self {
        Self {
            enabled: true,
            burst: 100,
            interval: Duration::from_secs(10),
        }
    }
}

impl RateLimitPolicy {
    /// No client-side limiting.
    pub fn disabled() -> Self {
        Self {
            enabled: false,
            ..Self::default()
        }
    }
}

struct Window {
    burst: u32,
    interval: Duration,
    /// When the most recent requests were (or are booked to be) sent, oldest first.
    sent: VecDeque<Instant>,
}

/// The windows of every connection and location a client has used.
pub(crate) struct Limiter {
    policy: RateLimitPolicy,
    windows: Mutex<HashMap<String, Window>>,
}

impl Limiter {
    pub(crate) fn new(policy: RateLimitPolicy) -> Self {
        Self {
            policy,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Waits until a request under `key` may be sent, and books it.
    pub(crate) async fn acquire(&self, key: &str) {
        if !self.policy.enabled {
            return;
        }
        let wait = self.book(key, Instant::now());
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }

    /// Books the earliest send time at or after `now` that keeps every window within its
    /// burst, and returns how long until then.
    fn book(&self, key: &str, now: Instant) -> Duration {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let window = windows.entry(key.to_owned()).or_insert_with(|| Window {
            burst: self.policy.burst.max(1),
            interval: self.policy.interval,
            sent: VecDeque::new(),
        });

        // The service measures its windows from its own clock; a small margin keeps a
        // request that travels slower than the one before it from landing in a full window.
        let span = window.interval + (window.interval / 50).max(Duration::from_millis(10));
        while window.sent.front().is_some_and(|t| *t + span <= now) {
            window.sent.pop_front();
        }
        let burst = window.burst as usize;
        let at = match window.sent.len().checked_sub(burst) {
            Some(index) => (window.sent[index] + span).max(now),
            None => now,
        };
        window.sent.push_back(at);
        at - now
    }

    /// Takes the service's limits for `key` from an answer's headers.
    pub(crate) fn observe(&self, key: &str, headers: &HeaderMap) {
        let number = |name: &str| headers.get(name)?.to_str().ok()?.parse::<u64>().ok();
        let (Some(max), Some(ms)) = (
            number("x-ratelimit-max"),
            number("x-ratelimit-interval-milliseconds"),
        ) else {
            return;
        };
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(window) = windows.get_mut(key) {
            window.burst = u32::try_from(max).unwrap_or(u32::MAX).max(1);
            window.interval = Duration::from_millis(ms);
        }
    }

    /// The window length last reported for `key`.
    pub(crate) fn interval(&self, key: &str) -> Option<Duration> {
        let windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        windows.get(key).map(|w| w.interval)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_window_books_the_next_request_when_the_oldest_leaves_it() {
        let policy = RateLimitPolicy {
            enabled: true,
            burst: 2,
            interval: Duration::from_secs(1),
        };
        let limiter = Limiter::new(policy);
        let start = Instant::now();

        assert_eq!(limiter.book("k", start), Duration::ZERO);
        assert_eq!(limiter.book("k", start), Duration::ZERO);
        let third = limiter.book("k", start);
        assert_eq!(
            third,
            Duration::from_millis(1020),
            "one window and its margin"
        );
        assert_eq!(
            limiter.book("other", start),
            Duration::ZERO,
            "keys are limited apart"
        );
    }

    #[test]
    fn the_services_headers_replace_the_defaults() {
        let limiter = Limiter::new(RateLimitPolicy::default());
        let start = Instant::now();
        limiter.book("k", start);

        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-max", "1".parse().unwrap());
        headers.insert("x-ratelimit-interval-milliseconds", "500".parse().unwrap());
        limiter.observe("k", &headers);

        assert_eq!(limiter.interval("k"), Some(Duration::from_millis(500)));
        assert_eq!(limiter.book("k", start), Duration::from_millis(510));
    }
}
