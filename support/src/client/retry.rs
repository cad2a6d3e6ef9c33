//! Retry policy: which failures to retry and how long to wait.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher as _;
use std::time::{Duration, SystemTime};

use http::{HeaderMap, Method, StatusCode};

/// How often and how patiently a call is retried.
///
/// Only idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS, TRACE) are
/// retried, on connection errors, timeouts and the statuses 408, 429, 500,
/// 502, 503 and 504. The wait before retry `n` (from 0) is a random duration
/// in `[0, min(max_backoff, initial_backoff * 2^n))` ("full jitter"). A
/// `Retry-After` header replaces that wait; if it asks for longer than
/// `max_backoff`, the call stops retrying and returns the response as is, so a
/// call never sleeps longer than the policy allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retrying.
    pub max_retries: u32,
    /// Upper bound of the first wait.
    pub initial_backoff: Duration,
    /// Upper bound of any wait, including one asked for by `Retry-After`.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// 3 retries, waits up to 200 ms, 400 ms, 800 ms, never more than 5 s.
    fn default() -> Self {
        Self { max_retries: 3, initial_backoff: Duration::from_millis(200), max_backoff: Duration::from_secs(5) }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self { max_retries: 0, ..Self::default() }
    }

    /// The jittered wait before retry `attempt` (0-based); `unit` is a
    /// random number in `[0, 1)`, injected so the arithmetic is testable.
    pub fn backoff(&self, attempt: u32, unit: f64) -> Duration {
        let factor = 2_u32.saturating_pow(attempt.min(31));
        let ceiling = self.initial_backoff.saturating_mul(factor).min(self.max_backoff);
        ceiling.mul_f64(unit.clamp(0.0, 1.0))
    }

    /// The wait before retry `attempt` after a response with `status`, or
    /// `None` if the response should be returned instead.
    pub(crate) fn delay_after_status(&self, attempt: u32, status: StatusCode, headers: &HeaderMap) -> Option<Duration> {
        if !is_retryable_status(status) {
            return None;
        }
        match retry_after(headers, SystemTime::now()) {
            Some(wait) if wait > self.max_backoff => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(attempt, random_unit())),
        }
    }
}

/// Methods that may be sent twice without changing the outcome.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    [Method::GET, Method::HEAD, Method::PUT, Method::DELETE, Method::OPTIONS, Method::TRACE].contains(method)
}

fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}

/// Parses `Retry-After` as delay-seconds or an HTTP date relative to `now`.
/// A date in the past means "now"; an unparsable value is ignored.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(date.timestamp()).ok()?);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A random number in `[0, 1)`, from std's per-process random hash keys;
/// jitter needs spread, not cryptographic quality.
pub(crate) fn random_unit() -> f64 {
    let bits = RandomState::new().hash_one(SystemTime::now());
    (bits >> 11) as f64 / (1_u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_retries: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(1000),
        }
    }

    fn with_retry_after(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_scales_with_jitter() {
        let policy = policy();
        let ceilings: Vec<_> = (0..6).map(|n| policy.backoff(n, 1.0).as_millis()).collect();
        assert_eq!(ceilings, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(policy.backoff(2, 0.5), Duration::from_millis(200));
        assert_eq!(policy.backoff(2, 0.0), Duration::ZERO);
        assert_eq!(policy.backoff(u32::MAX, 1.0), Duration::from_millis(1000));
    }

    #[test]
    fn random_unit_stays_in_range_and_varies() {
        let samples: Vec<f64> = (0..64).map(|_| random_unit()).collect();
        assert!(samples.iter().all(|x| (0.0..1.0).contains(x)));
        assert!(samples.windows(2).any(|w| w[0] != w[1]));
    }

    #[test]
    fn retry_after_accepts_seconds_and_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(retry_after(&with_retry_after("3"), now), Some(Duration::from_secs(3)));
        let later = with_retry_after("Sun, 06 Nov 1994 08:49:47 GMT");
        assert_eq!(retry_after(&later, now), Some(Duration::from_secs(10)));
        let past = with_retry_after("Sun, 06 Nov 1994 08:49:00 GMT");
        assert_eq!(retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(retry_after(&with_retry_after("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn status_decides_retry_and_retry_after_is_capped() {
        let policy = policy();
        let none = HeaderMap::new();
        assert!(policy.delay_after_status(0, StatusCode::NOT_FOUND, &none).is_none());
        assert!(policy.delay_after_status(0, StatusCode::NOT_IMPLEMENTED, &none).is_none());
        for status in [408, 429, 500, 502, 503, 504] {
            let status = StatusCode::from_u16(status).unwrap();
            let wait = policy.delay_after_status(0, status, &none).unwrap();
            assert!(wait < Duration::from_millis(100), "{status}: {wait:?}");
        }
        let soon = with_retry_after("1");
        assert_eq!(policy.delay_after_status(0, StatusCode::TOO_MANY_REQUESTS, &soon), Some(Duration::from_secs(1)));
        let too_late = with_retry_after("2");
        assert_eq!(policy.delay_after_status(0, StatusCode::SERVICE_UNAVAILABLE, &too_late), None);
    }

    #[test]
    fn only_idempotent_methods_retry() {
        assert!(is_idempotent(&Method::GET) && is_idempotent(&Method::DELETE));
        assert!(!is_idempotent(&Method::POST) && !is_idempotent(&Method::PATCH));
    }
}
