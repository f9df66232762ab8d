//! When a created batch segment job moves on (`PENDING` → `IN PROGRESS` → `ACTIVE`), and the
//! clock those moves are measured against.

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use personalize_model::DateTime;

/// Status of a job just created.
pub const PENDING: &str = "PENDING";
/// Status after the first step (with a space, as the model documents for batch segment jobs).
pub const IN_PROGRESS: &str = "IN PROGRESS";
/// Status once the job is done.
pub const ACTIVE: &str = "ACTIVE";

/// Delays between a job's status changes, counted from its creation.
///
/// The default is [`JobSchedule::IMMEDIATE`]: both steps are due at creation time, so the
/// first `Describe` or `List` after `Create` already sees `ACTIVE`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JobSchedule {
    /// Time spent `PENDING` before `IN PROGRESS`.
    pub pending: Duration,
    /// Time spent `IN PROGRESS` before `ACTIVE`.
    pub in_progress: Duration,
}

impl JobSchedule {
    /// No delays: a job is `ACTIVE` by the next request that looks at it.
    pub const IMMEDIATE: JobSchedule = JobSchedule {
        pending: Duration::ZERO,
        in_progress: Duration::ZERO,
    };

    /// A schedule with these two delays.
    pub const fn new(pending: Duration, in_progress: Duration) -> Self {
        JobSchedule {
            pending,
            in_progress,
        }
    }
}

/// A `--job-delays` value that is not `DELAY,DELAY`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("job delays {text:?}: {reason} (expected two delays such as 0s,5s or 250ms,2m)")]
pub struct ScheduleError {
    text: String,
    reason: String,
}

impl FromStr for JobSchedule {
    type Err = ScheduleError;

    /// Parses `PENDING_DELAY,IN_PROGRESS_DELAY`, each a whole number with `ms`, `s` or `m`.
    fn from_str(text: &str) -> Result<Self, ScheduleError> {
        let fail = |reason: String| ScheduleError {
            text: text.to_owned(),
            reason,
        };
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        let [pending, in_progress] = parts.as_slice() else {
            return Err(fail(format!("{} delays given", parts.len())));
        };
        let pending = parse_delay(pending).map_err(&fail)?;
        let in_progress = parse_delay(in_progress).map_err(&fail)?;
        Ok(JobSchedule::new(pending, in_progress))
    }
}

fn parse_delay(text: &str) -> Result<Duration, String> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| format!("{text:?} has no unit (ms, s or m)"))?;
    let (number, unit) = text.split_at(split);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} does not start with a whole number"))?;
    match unit {
        "ms" => Ok(Duration::from_millis(n)),
        "s" => Ok(Duration::from_secs(n)),
        "m" => n
            .checked_mul(60)
            .map(Duration::from_secs)
            .ok_or_else(|| format!("{text:?} is too long")),
        other => Err(format!("unknown unit {other:?} in {text:?} (ms, s or m)")),
    }
}

/// The clock job times come from: the system clock, or a manual one for tests.
#[derive(Clone, Debug, Default)]
pub enum JobClock {
    /// Wall-clock time, truncated to milliseconds (as AWS reports times).
    #[default]
    System,
    /// A clock that moves only when told to.
    Manual(ManualClock),
}

impl JobClock {
    /// The current time.
    pub fn now(&self) -> DateTime {
        match self {
            JobClock::System => {
                let millis = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
                    .unwrap_or(0);
                DateTime::from_millis(millis)
            }
            JobClock::Manual(clock) => clock.now(),
        }
    }
}

/// A shared clock for tests: cloned handles see the same time.
#[derive(Clone, Default)]
pub struct ManualClock {
    micros: Arc<AtomicI64>,
}

impl ManualClock {
    /// A clock showing `start`.
    pub fn new(start: DateTime) -> Self {
        ManualClock {
            micros: Arc::new(AtomicI64::new(start.as_micros())),
        }
    }

    /// The time it shows.
    pub fn now(&self) -> DateTime {
        DateTime::from_micros(self.micros.load(Ordering::SeqCst))
    }

    /// Moves the clock forward by `by` (saturating).
    pub fn advance(&self, by: Duration) {
        let by = i64::try_from(by.as_micros()).unwrap_or(i64::MAX);
        let _ = self
            .micros
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |m| {
                Some(m.saturating_add(by))
            });
    }
}

impl fmt::Debug for ManualClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ManualClock").field(&self.now()).finish()
    }
}

/// `time + delay`, saturating.
pub(crate) fn after(time: DateTime, delay: Duration) -> DateTime {
    let delay = i64::try_from(delay.as_micros()).unwrap_or(i64::MAX);
    DateTime::from_micros(time.as_micros().saturating_add(delay))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_delays() {
        assert_eq!(
            "0s,5s".parse::<JobSchedule>().unwrap(),
            JobSchedule::new(Duration::ZERO, Duration::from_secs(5))
        );
        assert_eq!(
            "250ms, 2m".parse::<JobSchedule>().unwrap(),
            JobSchedule::new(Duration::from_millis(250), Duration::from_secs(120))
        );
        for bad in ["", "5s", "1s,2s,3s", "5,5s", "5h,1s", "-1s,1s", "s,1s"] {
            let err = bad.parse::<JobSchedule>().unwrap_err().to_string();
            assert!(err.contains(&format!("{bad:?}")), "{err}");
        }
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let clock = ManualClock::new(DateTime::from_secs(100));
        let handle = JobClock::Manual(clock.clone());
        assert_eq!(handle.now(), DateTime::from_secs(100));
        clock.advance(Duration::from_millis(1500));
        assert_eq!(handle.now(), DateTime::from_millis(101_500));
    }

    #[test]
    fn system_clock_is_whole_milliseconds() {
        assert_eq!(JobClock::System.now().as_micros() % 1000, 0);
    }
}
