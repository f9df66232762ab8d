//! AWS "standard" retry mode: which failures are retried and how long to wait in between.

use std::fmt;
use std::time::Duration;

use personalize_model::OperationError;

use crate::error::{Error, TimeoutKind};

/// Error codes AWS services use for throttling (retried, whatever their status).
pub const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes AWS services use for transient failures (retried, whatever their status).
pub const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalError",
    "ServiceUnavailable",
];

/// How many attempts to make and how long to back off between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    base_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryConfig {
    /// Standard mode: 3 attempts, backoff base 1 s, capped at 20 s.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }
}

impl RetryConfig {
    /// Standard mode defaults (same as `default()`).
    pub fn standard() -> Self {
        Self::default()
    }

    /// A single attempt: no retries.
    pub fn disabled() -> Self {
        Self::default().with_max_attempts(1)
    }

    /// Total attempts, the first included (at least 1).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// Base of the exponential backoff: before retry `n` (1-based) the client waits a random
    /// time in `[0, min(max_backoff, base * 2^(n-1)))`.
    pub fn with_base_backoff(mut self, base: Duration) -> Self {
        self.base_backoff = base;
        self
    }

    /// Upper bound of any one backoff.
    pub fn with_max_backoff(mut self, max: Duration) -> Self {
        self.max_backoff = max;
        self
    }

    /// Total attempts, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Base of the exponential backoff.
    pub fn base_backoff(&self) -> Duration {
        self.base_backoff
    }

    /// Upper bound of any one backoff.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The longest wait before retry `retry` (1-based): `min(max_backoff, base * 2^(retry-1))`.
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.base_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }

    /// The full-jitter wait before retry `retry` for a jitter `fraction` in `[0, 1)` (clamped
    /// into `[0, 1]`): `backoff_ceiling(retry) * fraction`.
    pub fn backoff(&self, retry: u32, fraction: f64) -> Duration {
        let fraction = if fraction.is_nan() {
            0.0
        } else {
            fraction.clamp(0.0, 1.0)
        };
        // In whole nanoseconds, rounded, so that a fraction such as 0.9 of 60 ms is 54 ms
        // exactly (the ceiling is at most `max_backoff`, far below 2^53 ns).
        let nanos = self.backoff_ceiling(retry).as_nanos() as f64 * fraction;
        Duration::from_nanos(nanos.round() as u64)
    }
}

/// Where the jitter of each backoff comes from: a fraction of the ceiling, in `[0, 1)`.
pub trait Jitter: fmt::Debug + Send + Sync {
    /// The next fraction.
    fn fraction(&self) -> f64;
}

/// Uniformly random fractions (full jitter, as the AWS standard mode prescribes).
#[derive(Clone, Copy, Debug, Default)]
pub struct RandomJitter;

impl Jitter for RandomJitter {
    fn fraction(&self) -> f64 {
        fastrand::f64()
    }
}

/// Whether a failed attempt may be retried: throttling and transient codes, 5xx, 429,
/// connect/IO failures and attempt timeouts are; a modeled 4xx error never is.
pub fn is_retryable<E: OperationError>(error: &Error<E>) -> bool {
    match error {
        Error::Service(e) => {
            let status = e.status();
            if e.err().is_modeled() && (400..500).contains(&status) {
                return false;
            }
            let code = e.code();
            THROTTLING_CODES.contains(&code)
                || TRANSIENT_CODES.contains(&code)
                || status == 429
                || status >= 500
        }
        Error::Timeout(t) => t.kind() != TimeoutKind::Operation,
        Error::Transport(_) => true,
        Error::Construction(_) | Error::Response(_) | Error::Pagination(_) => false,
    }
}
