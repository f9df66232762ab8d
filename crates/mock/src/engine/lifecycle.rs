//! How long resources spend in their transient statuses (per kind), and the clock those
//! moves are measured against. Statuses are derived from time: a resource created at `t`
//! with delays `(a, b)` shows the first transient status until `t + a`, the second until
//! `t + a + b`, then the final one; nothing runs in the background.

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use personalize_model::DateTime;

/// The two delays of a lifecycle: time in the first transient status, then in the second.
///
/// The default is [`Schedule::IMMEDIATE`]: both steps are due at once, so the first
/// `Describe` or `List` after `Create` already sees the final status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Schedule {
    /// Time in the first transient status (`CREATE PENDING`, `PENDING`, …).
    pub pending: Duration,
    /// Time in the second transient status (`CREATE IN_PROGRESS`, `IN PROGRESS`, …).
    pub in_progress: Duration,
}

impl Schedule {
    /// No delays: a resource shows its final status at once.
    pub const IMMEDIATE: Schedule = Schedule {
        pending: Duration::ZERO,
        in_progress: Duration::ZERO,
    };

    /// A schedule with these two delays.
    pub const fn new(pending: Duration, in_progress: Duration) -> Self {
        Schedule {
            pending,
            in_progress,
        }
    }
}

/// A `--delays` value that is not `[Kind=]DELAY,DELAY`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("delays {text:?}: {reason} (expected two delays such as 0s,5s or 250ms,2m, optionally after a kind: DatasetGroup=1s,2s)")]
pub struct ScheduleError {
    text: String,
    reason: String,
}

impl FromStr for Schedule {
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
        Ok(Schedule::new(pending, in_progress))
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

/// The clock resource times come from: the system clock, or a manual one for tests.
#[derive(Clone, Debug, Default)]
pub enum Clock {
    /// Wall-clock time, truncated to milliseconds (as AWS reports times).
    #[default]
    System,
    /// A clock that moves only when told to.
    Manual(ManualClock),
}

impl Clock {
    /// The current time.
    pub fn now(&self) -> DateTime {
        match self {
            Clock::System => {
                let millis = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
                    .unwrap_or(0);
                DateTime::from_millis(millis)
            }
            Clock::Manual(clock) => clock.now(),
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

impl Schedule {
    /// The two delays in microseconds.
    pub(crate) fn micros(&self) -> [i64; 2] {
        let m = |d: Duration| i64::try_from(d.as_micros()).unwrap_or(i64::MAX);
        [m(self.pending), m(self.in_progress)]
    }
}

/// The schedule of every kind: one for all, and overrides by kind (`DatasetGroup`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schedules {
    all: Schedule,
    by_kind: Vec<(String, Schedule)>,
}

impl Schedules {
    /// The same schedule for every kind.
    pub fn all(schedule: Schedule) -> Self {
        Schedules {
            all: schedule,
            by_kind: Vec::new(),
        }
    }

    /// This schedule for kind `noun` (`DatasetGroup`, `BatchSegmentJob`, …).
    pub fn with(mut self, noun: &str, schedule: Schedule) -> Self {
        self.by_kind.retain(|(k, _)| k != noun);
        self.by_kind.push((noun.to_owned(), schedule));
        self
    }

    /// Adds one `--delays` value: `DELAY,DELAY` for every kind, or `Kind=DELAY,DELAY`.
    pub fn set(self, text: &str) -> Result<Self, ScheduleError> {
        match text.split_once('=') {
            Some((noun, delays)) => {
                let schedule = delays.parse()?;
                Ok(self.with(noun.trim(), schedule))
            }
            None => Ok(Schedules {
                all: text.parse()?,
                ..self
            }),
        }
    }

    /// The schedule of kind `noun`.
    pub fn of(&self, noun: &str) -> Schedule {
        self.by_kind
            .iter()
            .find(|(k, _)| k == noun)
            .map_or(self.all, |(_, s)| *s)
    }

    /// The delays of kind `noun` in microseconds.
    pub(crate) fn delays(&self, noun: &str) -> [i64; 2] {
        self.of(noun).micros()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_delays() {
        assert_eq!(
            "0s,5s".parse::<Schedule>().unwrap(),
            Schedule::new(Duration::ZERO, Duration::from_secs(5))
        );
        assert_eq!(
            "250ms, 2m".parse::<Schedule>().unwrap(),
            Schedule::new(Duration::from_millis(250), Duration::from_secs(120))
        );
        for bad in ["", "5s", "1s,2s,3s", "5,5s", "5h,1s", "-1s,1s", "s,1s"] {
            let err = bad.parse::<Schedule>().unwrap_err().to_string();
            assert!(err.contains(&format!("{bad:?}")), "{err}");
        }
    }

    #[test]
    fn schedules_by_kind_override_the_default() {
        let s = Schedules::default()
            .set("1s,2s")
            .unwrap()
            .set("DatasetGroup=0s,5s")
            .unwrap();
        assert_eq!(s.delays("Campaign"), [1_000_000, 2_000_000]);
        assert_eq!(s.delays("DatasetGroup"), [0, 5_000_000]);
        assert!(Schedules::default().set("DatasetGroup=5s").is_err());
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let clock = ManualClock::new(DateTime::from_secs(100));
        let handle = Clock::Manual(clock.clone());
        assert_eq!(handle.now(), DateTime::from_secs(100));
        clock.advance(Duration::from_millis(1500));
        assert_eq!(handle.now(), DateTime::from_millis(101_500));
    }

    #[test]
    fn system_clock_is_whole_milliseconds() {
        assert_eq!(Clock::System.now().as_micros() % 1000, 0);
    }
}
