//! Writes a `ListBatchSegmentJobs` response body straight into one buffer, byte for byte what
//! `serde_json::to_vec(&ListBatchSegmentJobsOutput)` writes, without building the output
//! values first.
//!
//! Members come in the model's order and absent members are left out, as the generated serde
//! code does; strings are escaped as `serde_json` escapes them (RFC 8259: `"`, `\` and the
//! control characters U+0000 to U+001F, with the short forms `\b \t \n \f \r` and lowercase
//! `\u00xx` for the rest; everything else, non-ASCII included, is written as is); timestamps are
//! written as [`DateTime`]'s serializer writes them (an integer for whole seconds, otherwise the
//! shortest decimal, through serde_json's own float formatter except for the common
//! millisecond values, written directly).

use personalize_model::DateTime;

/// Bytes reserved per job before writing a page (a typical job is about 340 bytes of JSON).
const BYTES_PER_JOB: usize = 384;

/// Bytes reserved for the braces, the member names and a `nextToken`.
const BYTES_PER_PAGE: usize = 320;

/// A string member's value, in the form the caller has it.
#[derive(Clone, Copy, Debug)]
pub enum Text<'a> {
    /// Text that may need escaping (checked while writing).
    Raw(&'a str),
    /// Text the caller knows needs no escaping (see [`needs_escape`]): copied as is.
    Plain(&'a [u8]),
    /// Text already encoded as a JSON string, quotes included (see [`encode_str`]).
    Encoded(&'a [u8]),
}

/// A timestamp member's value, in the form the caller has it.
#[derive(Clone, Copy, Debug)]
pub enum Time<'a> {
    /// A time, written as [`write_timestamp`] writes it.
    Value(DateTime),
    /// A time already written by [`write_timestamp`]: copied as is.
    Encoded(&'a [u8]),
}

/// One `BatchSegmentJobSummary`, member by member (`None`: the member is absent).
#[derive(Clone, Copy, Debug, Default)]
pub struct JobFields<'a> {
    /// `batchSegmentJobArn`.
    pub batch_segment_job_arn: Option<Text<'a>>,
    /// `jobName`.
    pub job_name: Option<Text<'a>>,
    /// `status`.
    pub status: Option<Text<'a>>,
    /// `creationDateTime`.
    pub creation_date_time: Option<Time<'a>>,
    /// `lastUpdatedDateTime`.
    pub last_updated_date_time: Option<Time<'a>>,
    /// `failureReason`.
    pub failure_reason: Option<Text<'a>>,
    /// `solutionVersionArn`.
    pub solution_version_arn: Option<Text<'a>>,
}

/// A `ListBatchSegmentJobsOutput` body being written: `{"batchSegmentJobs":[`, the jobs, then
/// `]`, the `nextToken` when there is one, and `}`.
#[derive(Debug)]
pub struct PageWriter {
    out: Vec<u8>,
    jobs: usize,
}

impl PageWriter {
    /// A body with room for about `expected_jobs` jobs.
    pub fn new(expected_jobs: usize) -> Self {
        let mut out =
            Vec::with_capacity(BYTES_PER_PAGE + expected_jobs.saturating_mul(BYTES_PER_JOB));
        out.extend_from_slice(b"{\"batchSegmentJobs\":[");
        PageWriter { out, jobs: 0 }
    }

    /// Appends one job to the list.
    pub fn job(&mut self, job: &JobFields<'_>) {
        let out = &mut self.out;
        if self.jobs > 0 {
            out.push(b',');
        }
        self.jobs += 1;
        // Every member is written with the comma before it, so each name is a copy of fixed
        // length (inlined, no call to `memcpy`); the first member's comma becomes the `{`.
        let start = out.len();
        if let Some(text) = job.batch_segment_job_arn {
            out.extend_from_slice(b",\"batchSegmentJobArn\":");
            write_text(out, text);
        }
        if let Some(text) = job.job_name {
            out.extend_from_slice(b",\"jobName\":");
            write_text(out, text);
        }
        if let Some(text) = job.status {
            out.extend_from_slice(b",\"status\":");
            write_text(out, text);
        }
        if let Some(time) = job.creation_date_time {
            out.extend_from_slice(b",\"creationDateTime\":");
            write_time(out, time);
        }
        if let Some(time) = job.last_updated_date_time {
            out.extend_from_slice(b",\"lastUpdatedDateTime\":");
            write_time(out, time);
        }
        if let Some(text) = job.failure_reason {
            out.extend_from_slice(b",\"failureReason\":");
            write_text(out, text);
        }
        if let Some(text) = job.solution_version_arn {
            out.extend_from_slice(b",\"solutionVersionArn\":");
            write_text(out, text);
        }
        match out.get_mut(start) {
            Some(comma) => *comma = b'{',
            None => out.push(b'{'),
        }
        out.push(b'}');
    }

    /// Jobs written so far.
    pub fn len(&self) -> usize {
        self.jobs
    }

    /// Whether no job was written yet.
    pub fn is_empty(&self) -> bool {
        self.jobs == 0
    }

    /// Closes the list, adds `nextToken` when given, and returns the body.
    pub fn finish(mut self, next_token: Option<&str>) -> Vec<u8> {
        self.out.push(b']');
        if let Some(token) = next_token {
            self.out.extend_from_slice(b",\"nextToken\":");
            write_str(&mut self.out, token);
        }
        self.out.push(b'}');
        self.out
    }
}

#[inline(always)]
fn write_text(out: &mut Vec<u8>, text: Text<'_>) {
    match text {
        Text::Raw(s) => write_str(out, s),
        Text::Plain(s) => {
            out.push(b'"');
            out.extend_from_slice(s);
            out.push(b'"');
        }
        Text::Encoded(bytes) => out.extend_from_slice(bytes),
    }
}

fn write_time(out: &mut Vec<u8>, time: Time<'_>) {
    match time {
        Time::Value(time) => write_timestamp(out, time),
        Time::Encoded(bytes) => out.extend_from_slice(bytes),
    }
}

/// Whether `byte` must be escaped inside a JSON string.
fn escaped(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// Whether `s` holds a character JSON requires escaping (`"`, `\`, U+0000 to U+001F).
pub fn needs_escape(s: &str) -> bool {
    s.bytes().any(escaped)
}

/// `s` as a JSON string, quotes included.
pub fn encode_str(s: &str) -> Box<[u8]> {
    let mut out = Vec::with_capacity(s.len() + 2);
    write_str(&mut out, s);
    out.into_boxed_slice()
}

/// Appends `s` as a JSON string, quotes included, escaped as `serde_json` escapes it.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        if !escaped(byte) {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        start = i + 1;
        let short = match byte {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            0x08 => Some(b'b'),
            0x0c => Some(b'f'),
            b'\n' => Some(b'n'),
            b'\r' => Some(b'r'),
            b'\t' => Some(b't'),
            _ => None,
        };
        match short {
            Some(letter) => out.extend_from_slice(&[b'\\', letter]),
            None => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xf)],
            ]),
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Appends `time` as [`DateTime`]'s serializer writes it: whole seconds as an integer,
/// anything else as the shortest decimal of the epoch seconds.
pub fn write_timestamp(out: &mut Vec<u8>, time: DateTime) {
    if write_millis(out, time.as_micros()) {
        return;
    }
    if time.subsec_micros() == 0 {
        out.extend_from_slice(itoa::Buffer::new().format(time.secs()).as_bytes());
    } else {
        // serde_json's own float formatter, so the bytes stay what serializing writes.
        // Writing into a `Vec` cannot fail; should it ever, `null` is what serde_json writes
        // for a float it cannot represent.
        if serde_json::to_writer(&mut *out, &time.as_secs_f64()).is_err() {
            out.extend_from_slice(b"null");
        }
    }
}

/// Largest magnitude (exclusive) of µs for which [`write_millis`] writes: 2^53 (the year
/// 2255), so the µs convert to `f64` exactly and the seconds have at most 10 + 3 = 13
/// significant digits.
const MILLIS_FAST_LIMIT: u64 = 1 << 53;

/// Writes a timestamp with a millisecond fraction (not whole seconds) as `secs.mmm` with
/// trailing zeros cut, without a float formatter; returns `false` (writing nothing) for
/// other values.
///
/// This is what `serde_json` writes for these values: below 2^53 µs, `as_secs_f64` is the
/// `f64` nearest to the decimal `secs.mmm` (one exact conversion, one correctly rounded
/// division); a decimal of at most 15 significant digits reads back from its nearest `f64`
/// and no shorter decimal does, so it is the shortest representation, which serde_json
/// writes in plain notation from 10^-5 to 10^16.
fn write_millis(out: &mut Vec<u8>, micros: i64) -> bool {
    let magnitude = micros.unsigned_abs();
    let fraction = magnitude % 1_000_000;
    if fraction == 0 || fraction % 1000 != 0 || magnitude >= MILLIS_FAST_LIMIT {
        return false;
    }
    if micros < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(itoa::Buffer::new().format(magnitude / 1_000_000).as_bytes());
    // Below 1000: the cast keeps every digit.
    let millis = (fraction / 1000) as u16;
    let text = [
        b'.',
        b'0' + (millis / 100) as u8,
        b'0' + (millis / 10 % 10) as u8,
        b'0' + (millis % 10) as u8,
    ];
    // Trailing zeros are cut (not all three: `millis` is not zero).
    let zeros = text.iter().rev().take_while(|&&b| b == b'0').count();
    out.extend_from_slice(&text[..text.len() - zeros]);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_match_serde_json() {
        for s in [
            "",
            "plain",
            "quote \" and \\ backslash",
            "\u{0}\u{1}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{1f}\u{7f}",
            "é ü 😀 \u{2028}",
        ] {
            let mut out = Vec::new();
            write_str(&mut out, s);
            assert_eq!(out, serde_json::to_vec(s).unwrap(), "{s:?}");
            assert_eq!(needs_escape(s), out.len() != s.len() + 2, "{s:?}");
        }
    }

    #[test]
    fn jobs_with_members_missing_match_serde_json() {
        use personalize_model::operation::list_batch_segment_jobs::ListBatchSegmentJobsOutput;
        use personalize_model::types::BatchSegmentJobSummary;
        let time = DateTime::from_millis(1_700_000_001_120);
        let empty = JobFields::default();
        let status_only = JobFields {
            status: Some(Text::Raw("ACTIVE")),
            ..JobFields::default()
        };
        let no_arn = JobFields {
            job_name: Some(Text::Plain(b"n")),
            creation_date_time: Some(Time::Encoded(b"1700000001")),
            last_updated_date_time: Some(Time::Value(time)),
            solution_version_arn: Some(Text::Encoded(b"\"sv\"")),
            ..JobFields::default()
        };
        let mut writer = PageWriter::new(3);
        for job in [&empty, &status_only, &no_arn] {
            writer.job(job);
        }
        let expected = ListBatchSegmentJobsOutput::builder()
            .batch_segment_jobs(vec![
                BatchSegmentJobSummary::builder().build(),
                BatchSegmentJobSummary::builder().status("ACTIVE").build(),
                BatchSegmentJobSummary::builder()
                    .job_name("n")
                    .creation_date_time(DateTime::from_secs(1_700_000_001))
                    .last_updated_date_time(time)
                    .solution_version_arn("sv")
                    .build(),
            ])
            .next_token("t")
            .build();
        let written = writer.finish(Some("t"));
        assert_eq!(
            String::from_utf8(written).unwrap(),
            serde_json::to_string(&expected).unwrap()
        );
    }

    #[test]
    fn timestamps_match_the_serializer() {
        for micros in [
            0,
            1_700_000_001_000_000,
            1_700_000_001_123_000,
            1_700_000_001_000_001,
            -1_250_000,
            -1,
            1_000,
            -1_000,
            100_000,
            1_700_000_001_100_000,
            1_700_000_001_120_000,
            -1_700_000_001_120_000,
            999_999_999_999_999_000,
            999_999_999_500_000,
            1_000_000_000_001_000,
            -1_000_000_000_010_000,
            1_000_000_000_000_001_000,
            -999_999_999_999_999_000,
            -475_426_305_461_769_000,
            (1 << 53) - 1000,
            (1 << 53) + 1000,
            9_007_199_254_740_000,
            9_007_199_254_741_000,
            i64::MAX,
            i64::MIN,
        ] {
            let time = DateTime::from_micros(micros);
            let mut out = Vec::new();
            write_timestamp(&mut out, time);
            assert_eq!(out, serde_json::to_vec(&time).unwrap(), "{micros}");
        }
    }
}
