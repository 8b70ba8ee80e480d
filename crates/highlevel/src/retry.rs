//! When a failed attempt is tried again, and after how long.
//!
//! Only what cannot have been applied twice is retried: a 429 (HighLevel refused it), a
//! connection that was never made, and, for reads, gateway errors and broken connections.
//! A write that may have reached HighLevel is never sent again.

use std::time::Duration;

use reqwest::StatusCode;

/// How the client retries failed attempts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included; 1 turns retries off.
    pub max_attempts: u32,
    /// The wait before the first retry; each later one doubles it.
    pub initial_backoff: Duration,
    /// The longest wait between two attempts.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The wait before attempt `attempt + 1`: exponential, capped, with jitter so that
    /// clients that failed together do not retry together.
    fn backoff(&self, attempt: u32) -> Duration {
        let doubled = self
            .initial_backoff
            .saturating_mul(1 << attempt.saturating_sub(1).min(16));
        let cap = doubled.min(self.max_backoff);
        cap / 2 + cap.mul_f64(fastrand::f64() / 2.0)
    }
}

/// What to do after an attempt.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Hand the outcome to the caller.
    Done,
    /// Try again after this wait.
    RetryAfter(Duration),
}

/// Decides about attempt number `attempt` (from 1) of a request; `write` says whether
/// sending it twice could apply it twice. `interval` is the rate-limit window the service
/// reported, which is how long a 429 takes to wear off.
pub(crate) fn decide(
    policy: &RetryPolicy,
    attempt: u32,
    write: bool,
    outcome: &reqwest::Result<reqwest::Response>,
    interval: Option<Duration>,
) -> Verdict {
    if attempt >= policy.max_attempts {
        return Verdict::Done;
    }
    let backoff = policy.backoff(attempt);

    let retry = match outcome {
        Ok(response) => match response.status() {
            // HighLevel sends no Retry-After; its window length is the honest wait.
            StatusCode::TOO_MANY_REQUESTS => {
                return Verdict::RetryAfter(interval.map_or(backoff, |i| i.max(backoff)));
            }
            StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT => !write,
            _ => false,
        },
        // No connection means nothing was sent, so even a write is safe to send again.
        Err(error) if error.is_connect() => true,
        Err(_) => !write,
    };
    if retry {
        Verdict::RetryAfter(backoff)
    } else {
        Verdict::Done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16) -> reqwest::Result<reqwest::Response> {
        let response = http::Response::builder().status(status).body("").unwrap();
        Ok(reqwest::Response::from(response))
    }

    fn retries(status: u16, write: bool) -> bool {
        let policy = RetryPolicy::default();
        matches!(
            decide(&policy, 1, write, &answer(status), None),
            Verdict::RetryAfter(_)
        )
    }

    #[test]
    fn reads_retry_gateway_errors_and_writes_do_not() {
        for status in [502, 503, 504] {
            assert!(retries(status, false), "{status}");
            assert!(!retries(status, true), "{status}");
        }
        assert!(!retries(500, false));
        assert!(!retries(404, false));
    }

    #[test]
    fn a_429_is_retried_even_for_writes_after_the_reported_window() {
        let policy = RetryPolicy::default();
        let wait = decide(
            &policy,
            1,
            true,
            &answer(429),
            Some(Duration::from_secs(10)),
        );
        assert_eq!(wait, Verdict::RetryAfter(Duration::from_secs(10)));
    }

    #[test]
    fn attempts_are_bounded_and_backoff_grows_within_its_cap() {
        let policy = RetryPolicy::default();
        assert_eq!(decide(&policy, 4, false, &answer(503), None), Verdict::Done);

        let first = policy.backoff(1);
        assert!(first >= Duration::from_millis(125) && first <= Duration::from_millis(250));
        let late = policy.backoff(30);
        assert!(late <= policy.max_backoff && late >= policy.max_backoff / 2);
    }
}
