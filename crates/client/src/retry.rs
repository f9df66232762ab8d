//! AWS "standard" retry mode: which failures are retried and how long to wait in between.

use std::time::Duration;

use personalize_model::OperationError;

use crate::config::ConfigError;
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

    /// A full-jitter wait before retry `retry`: uniform in `[0, backoff_ceiling(retry))`.
    pub fn backoff(&self, retry: u32) -> Duration {
        self.backoff_ceiling(retry).mul_f64(fastrand::f64())
    }

    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        if self.max_attempts == 0 {
            return Err(ConfigError::InvalidSetting {
                setting: "retry.max_attempts",
                reason: "must be at least 1 (1 means no retries)".to_owned(),
            });
        }
        if self.base_backoff > self.max_backoff {
            return Err(ConfigError::InvalidSetting {
                setting: "retry.base_backoff",
                reason: format!(
                    "{:?} exceeds max_backoff {:?}",
                    self.base_backoff, self.max_backoff
                ),
            });
        }
        Ok(())
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
