//! A lenient reader of HTTP/1.1 message text, the input format of the `mock_handler` and
//! `client_response` fuzz targets (so saved inputs are readable and easy to write by hand).
//!
//! `START LINE \n Name: value \n ... \n \n body`: lines end in `\n` or `\r\n`; the head ends at
//! the first empty line (no empty line: no body). Header lines that hyper would refuse (no
//! colon, an invalid name or value) are dropped, since such a message never reaches the code
//! under test; repeated headers are kept in order.

use http::header::{HeaderName, HeaderValue};
use http::HeaderMap;

/// A message read from fuzz input.
#[derive(Debug)]
pub struct Message<'a> {
    /// The start line, split on spaces (empty words dropped).
    pub start: Vec<&'a [u8]>,
    /// The header fields that are valid HTTP.
    pub headers: HeaderMap,
    /// Everything after the empty line.
    pub body: &'a [u8],
}

/// Splits `input` into start line, headers and body.
pub fn parse(input: &[u8]) -> Message<'_> {
    let (head, body) = split_head(input);
    let mut lines = head
        .split(|b| *b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line));
    let start = lines
        .next()
        .unwrap_or_default()
        .split(|b| *b == b' ')
        .filter(|w| !w.is_empty())
        .collect();
    let mut headers = HeaderMap::new();
    for line in lines {
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            continue;
        };
        let (name, value) = (&line[..colon], trim(&line[colon + 1..]));
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(trim(name)),
            HeaderValue::from_bytes(value),
        ) {
            headers.append(name, value);
        }
    }
    Message {
        start,
        headers,
        body,
    }
}

/// `(head, body)`, split at the first empty line.
fn split_head(input: &[u8]) -> (&[u8], &[u8]) {
    for i in 0..input.len() {
        if input[i..].starts_with(b"\n\n") {
            return (&input[..i], &input[i + 2..]);
        }
        if input[i..].starts_with(b"\n\r\n") {
            return (&input[..i], &input[i + 3..]);
        }
    }
    (input, &[])
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t'))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t'))
        .map_or(start, |i| i + 1);
    &bytes[start..end.max(start)]
}
