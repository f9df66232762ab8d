//! Smithy `timestamp`: an instant that travels as epoch seconds and is exact to the microsecond.
//!
//! awsJson sends timestamps as a JSON number of seconds since the Unix epoch that may carry a
//! fraction (`1700000001.123`). A plain `f64` conversion turns that into `…21.122999`, as the
//! AWS SDK for Rust does. [`DateTime`] rounds the number to the nearest microsecond instead:
//! at today's epoch values an `f64` is accurate to about 0.24 µs, so every value written with up
//! to six decimals comes back exactly, and the milliseconds services send are never off by one.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

const MICROS_PER_SEC: i64 = 1_000_000;

/// An instant with microsecond precision, read and written as epoch seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    micros: i64,
}

/// A number or text that is not a representable timestamp.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DateTimeError {
    /// The epoch-seconds value is NaN, infinite or beyond the supported range.
    #[error("timestamp {0} is not a finite number of epoch seconds within range")]
    OutOfRange(String),
    /// HTTP-date text that could not be parsed.
    #[error("timestamp '{text}' is not an HTTP date (IMF-fixdate): {reason}")]
    HttpDate {
        /// The text that was given.
        text: String,
        /// Why it was refused.
        reason: String,
    },
    /// RFC 3339 text that could not be parsed.
    #[error("timestamp '{text}' is not RFC 3339: {reason}")]
    Rfc3339 {
        /// The text that was given.
        text: String,
        /// Why it was refused.
        reason: String,
    },
}

impl DateTime {
    /// The Unix epoch, 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: DateTime = DateTime { micros: 0 };

    /// Whole seconds since the Unix epoch.
    pub const fn from_secs(secs: i64) -> Self {
        DateTime {
            micros: secs.saturating_mul(MICROS_PER_SEC),
        }
    }

    /// Milliseconds since the Unix epoch.
    pub const fn from_millis(millis: i64) -> Self {
        DateTime {
            micros: millis.saturating_mul(1000),
        }
    }

    /// Microseconds since the Unix epoch.
    pub const fn from_micros(micros: i64) -> Self {
        DateTime { micros }
    }

    /// Epoch seconds with a fraction, rounded to the nearest microsecond.
    pub fn from_secs_f64(secs: f64) -> Result<Self, DateTimeError> {
        let micros = (secs * MICROS_PER_SEC as f64).round();
        // i64::MAX as f64 rounds up to 2^63, so the bound is exclusive.
        if !micros.is_finite() || micros >= i64::MAX as f64 || micros < i64::MIN as f64 {
            return Err(DateTimeError::OutOfRange(secs.to_string()));
        }
        Ok(DateTime {
            micros: micros as i64,
        })
    }

    /// Parses RFC 3339 text such as `2023-11-14T22:13:21.123Z`.
    pub fn parse_rfc3339(text: &str) -> Result<Self, DateTimeError> {
        let parsed =
            time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                .map_err(|e| DateTimeError::Rfc3339 {
                    text: text.to_owned(),
                    reason: e.to_string(),
                })?;
        let nanos = parsed.unix_timestamp_nanos();
        Ok(DateTime {
            micros: (nanos / 1000) as i64,
        })
    }

    /// Parses IMF-fixdate text (`Tue, 29 Apr 2014 18:30:38 GMT`, RFC 9110's HTTP date); a
    /// fraction of a second (`18:30:38.5 GMT`), which some services send, is kept.
    pub fn parse_http_date(text: &str) -> Result<Self, DateTimeError> {
        let error = |reason: &str| DateTimeError::HttpDate {
            text: text.to_owned(),
            reason: reason.to_owned(),
        };
        let format = time::macros::format_description!(
            "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second][optional [.[subsecond]]] GMT"
        );
        let parsed = time::PrimitiveDateTime::parse(text, format)
            .map_err(|e| error(&e.to_string()))?
            .assume_utc();
        Ok(DateTime {
            micros: (parsed.unix_timestamp_nanos() / 1000) as i64,
        })
    }

    /// IMF-fixdate text (`Tue, 29 Apr 2014 18:30:38 GMT`); the fraction, if any, is dropped
    /// as the format has none.
    pub fn to_http_date(&self) -> String {
        let whole = time::OffsetDateTime::from_unix_timestamp(self.secs())
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        let format = time::macros::format_description!(
            "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
        );
        whole.format(format).unwrap_or_default()
    }

    /// Whole seconds since the epoch (rounded towards negative infinity).
    pub const fn secs(&self) -> i64 {
        self.micros.div_euclid(MICROS_PER_SEC)
    }

    /// Microseconds past [`DateTime::secs`], in `0..1_000_000`.
    pub const fn subsec_micros(&self) -> u32 {
        self.micros.rem_euclid(MICROS_PER_SEC) as u32
    }

    /// Milliseconds since the epoch (rounded towards negative infinity).
    pub const fn as_millis(&self) -> i64 {
        self.micros.div_euclid(1000)
    }

    /// Microseconds since the epoch.
    pub const fn as_micros(&self) -> i64 {
        self.micros
    }

    /// Epoch seconds as a float (lossy beyond the microsecond; for display and arithmetic).
    pub fn as_secs_f64(&self) -> f64 {
        // One correctly rounded division: the result is the f64 nearest to the exact decimal,
        // so its shortest representation reads back to the same microsecond.
        self.micros as f64 / MICROS_PER_SEC as f64
    }

    /// The current time, truncated to the microsecond.
    pub fn now() -> Self {
        Self::from(SystemTime::now())
    }

    /// RFC 3339 in UTC with as many fractional digits as needed (none, 3 or 6).
    pub fn to_rfc3339(&self) -> String {
        let whole = time::OffsetDateTime::from_unix_timestamp(self.secs())
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        let (y, mo, d) = (whole.year(), u8::from(whole.month()), whole.day());
        let (h, mi, s) = (whole.hour(), whole.minute(), whole.second());
        let micros = self.subsec_micros();
        let frac = if micros == 0 {
            String::new()
        } else if micros % 1000 == 0 {
            format!(".{:03}", micros / 1000)
        } else {
            format!(".{micros:06}")
        };
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}Z")
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl From<SystemTime> for DateTime {
    fn from(t: SystemTime) -> Self {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => DateTime {
                micros: i64::try_from(d.as_micros()).unwrap_or(i64::MAX),
            },
            Err(e) => DateTime {
                micros: -i64::try_from(e.duration().as_micros()).unwrap_or(i64::MAX),
            },
        }
    }
}

impl From<DateTime> for SystemTime {
    fn from(t: DateTime) -> Self {
        let magnitude = Duration::from_micros(t.micros.unsigned_abs());
        if t.micros >= 0 {
            UNIX_EPOCH + magnitude
        } else {
            UNIX_EPOCH - magnitude
        }
    }
}

impl Serialize for DateTime {
    /// Whole seconds are written as an integer, anything else as the shortest decimal that
    /// reads back to the same microsecond (`1700000001.123`).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.subsec_micros() == 0 {
            serializer.serialize_i64(self.secs())
        } else {
            serializer.serialize_f64(self.as_secs_f64())
        }
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(EpochSecondsVisitor)
    }
}

struct EpochSecondsVisitor;

impl Visitor<'_> for EpochSecondsVisitor {
    type Value = DateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a timestamp as a number of epoch seconds")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
        v.checked_mul(MICROS_PER_SEC)
            .map(DateTime::from_micros)
            .ok_or_else(|| E::custom(DateTimeError::OutOfRange(v.to_string())))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
        let secs =
            i64::try_from(v).map_err(|_| E::custom(DateTimeError::OutOfRange(v.to_string())))?;
        self.visit_i64(secs)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateTime, E> {
        DateTime::from_secs_f64(v).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractional_seconds_read_exact_to_the_millisecond() {
        let t: DateTime = serde_json::from_str("1700000001.123").unwrap();
        assert_eq!(t.to_rfc3339(), "2023-11-14T22:13:21.123Z");
        assert_eq!(t.as_millis(), 1_700_000_001_123);
    }

    #[test]
    fn serialization_writes_the_same_number_back() {
        for text in [
            "1700000001.123",
            "1700000361",
            "1700000001.5",
            "0",
            "-1.25",
            "1700000001.000001",
        ] {
            let t: DateTime = serde_json::from_str(text).unwrap();
            assert_eq!(
                serde_json::to_string(&t).unwrap(),
                text,
                "round trip of {text}"
            );
        }
    }

    #[test]
    fn exponent_form_is_read() {
        let t: DateTime = serde_json::from_str("1.700000001123E9").unwrap();
        assert_eq!(t.as_millis(), 1_700_000_001_123);
    }

    #[test]
    fn non_numbers_are_refused() {
        assert!(serde_json::from_str::<DateTime>("\"2023-11-14\"").is_err());
        assert!(serde_json::from_str::<DateTime>("1e300").is_err());
    }

    #[test]
    fn rfc3339_round_trip() {
        let t = DateTime::parse_rfc3339("2023-11-14T22:13:21.123Z").unwrap();
        assert_eq!(t, DateTime::from_millis(1_700_000_001_123));
        assert_eq!(t.to_string(), "2023-11-14T22:13:21.123Z");
    }
}
