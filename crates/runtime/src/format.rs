//! Wire forms serde's defaults do not give, as `serde_with` adapters so that they compose with
//! `Option`, `Vec` and maps (`#[serde(with = "As::<Option<Vec<Float>>>")]`):
//!
//! - [`Float`]: awsJson floats, where NaN and the infinities travel as the strings `"NaN"`,
//!   `"Infinity"` and `"-Infinity"` (serde_json writes them as `null` and refuses the strings);
//! - [`DateTimeFormat`] and [`HttpDate`]: the `date-time` (RFC 3339) and `http-date`
//!   (IMF-fixdate) `@timestampFormat`s ([`DateTime`]'s own serde form is `epoch-seconds`).
//!
//! `serde_with` is the crate the ecosystem uses for composable adapters; only the leaf
//! conversions are written here.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serializer};
pub use serde_with::de::DeserializeAsWrap;
pub use serde_with::ser::SerializeAsWrap;
pub use serde_with::{As, DeserializeAs, Same, SerializeAs};
use std::fmt;

use crate::DateTime;

/// awsJson floats: numbers, or the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
#[derive(Clone, Copy, Debug)]
pub struct Float;

fn serialize_float<S: Serializer>(value: f64, serializer: S) -> Result<S::Ok, S::Error> {
    if value.is_nan() {
        serializer.serialize_str("NaN")
    } else if value == f64::INFINITY {
        serializer.serialize_str("Infinity")
    } else if value == f64::NEG_INFINITY {
        serializer.serialize_str("-Infinity")
    } else {
        serializer.serialize_f64(value)
    }
}

impl SerializeAs<f64> for Float {
    fn serialize_as<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_float(*value, serializer)
    }
}

impl SerializeAs<f32> for Float {
    fn serialize_as<S: Serializer>(value: &f32, serializer: S) -> Result<S::Ok, S::Error> {
        if value.is_finite() {
            serializer.serialize_f32(*value)
        } else {
            serialize_float(f64::from(*value), serializer)
        }
    }
}

struct FloatVisitor;

impl Visitor<'_> for FloatVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or \"NaN\", \"Infinity\" or \"-Infinity\"")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            other => Err(E::invalid_value(de::Unexpected::Str(other), &self)),
        }
    }
}

impl<'de> DeserializeAs<'de, f64> for Float {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        deserializer.deserialize_any(FloatVisitor)
    }
}

impl<'de> DeserializeAs<'de, f32> for Float {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<f32, D::Error> {
        // Rounding to the nearest f32 is the meaning of a JSON number read as a `float`.
        deserializer.deserialize_any(FloatVisitor).map(|v| v as f32)
    }
}

/// `@timestampFormat("date-time")`: RFC 3339 text (`2014-04-29T18:30:38Z`); any offset is read.
#[derive(Clone, Copy, Debug)]
pub struct DateTimeFormat;

impl SerializeAs<DateTime> for DateTimeFormat {
    fn serialize_as<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&value.to_rfc3339())
    }
}

impl<'de> DeserializeAs<'de, DateTime> for DateTimeFormat {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        let text = String::deserialize(deserializer)?;
        DateTime::parse_rfc3339(&text).map_err(de::Error::custom)
    }
}

/// `@timestampFormat("http-date")`: IMF-fixdate text (`Tue, 29 Apr 2014 18:30:38 GMT`).
#[derive(Clone, Copy, Debug)]
pub struct HttpDate;

impl SerializeAs<DateTime> for HttpDate {
    fn serialize_as<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&value.to_http_date())
    }
}

impl<'de> DeserializeAs<'de, DateTime> for HttpDate {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        let text = String::deserialize(deserializer)?;
        DateTime::parse_http_date(&text).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Sample {
        #[serde(with = "As::<Option<Float>>", default)]
        double: Option<f64>,
        #[serde(with = "As::<Vec<Float>>", default)]
        floats: Vec<f32>,
        #[serde(with = "As::<Option<DateTimeFormat>>", default)]
        date_time: Option<DateTime>,
        #[serde(with = "As::<Option<HttpDate>>", default)]
        http_date: Option<DateTime>,
    }

    #[test]
    fn non_finite_floats_travel_as_strings() {
        let sample = Sample {
            double: Some(f64::NEG_INFINITY),
            floats: vec![1.5, f32::INFINITY],
            date_time: None,
            http_date: None,
        };
        let text = serde_json::to_string(&sample).unwrap();
        assert_eq!(
            text,
            r#"{"double":"-Infinity","floats":[1.5,"Infinity"],"date_time":null,"http_date":null}"#
        );
        assert_eq!(serde_json::from_str::<Sample>(&text).unwrap(), sample);
        let nan: Sample = serde_json::from_str(r#"{"double":"NaN"}"#).unwrap();
        assert!(nan.double.unwrap().is_nan());
        let err = serde_json::from_str::<Sample>(r#"{"double":"nan"}"#).unwrap_err();
        assert!(err.to_string().contains("\"NaN\""), "{err}");
    }

    #[test]
    fn timestamp_formats_round_trip() {
        let text = r#"{"date_time":"2019-12-16T22:48:18-01:00","http_date":"Tue, 29 Apr 2014 18:30:38 GMT"}"#;
        let sample: Sample = serde_json::from_str(text).unwrap();
        assert_eq!(sample.date_time, Some(DateTime::from_secs(1_576_540_098)));
        assert_eq!(sample.http_date, Some(DateTime::from_secs(1_398_796_238)));
        let back = serde_json::to_value(&sample).unwrap();
        assert_eq!(back["date_time"], "2019-12-16T23:48:18Z");
        assert_eq!(back["http_date"], "Tue, 29 Apr 2014 18:30:38 GMT");
        let err = serde_json::from_str::<Sample>(r#"{"http_date":"yesterday"}"#).unwrap_err();
        assert!(err.to_string().contains("yesterday"), "{err}");
    }
}
