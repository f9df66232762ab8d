//! Optional SigV4 verification ("strict mode"): refuses requests that are not signed, for
//! service `personalize`, with the configured credentials, the way AWS refuses them.
//!
//! The expected signature is recomputed from the request as received, over exactly the headers
//! its `SignedHeaders` names ([SigV4 for API requests]): canonical request → string to sign →
//! HMAC-SHA256 with the key derived from the secret, date, region and service. `aws-sigv4`
//! signs outgoing requests with its own choice of headers, so it cannot recompute a received
//! signature; this module is the verifying half, checked against the AWS signing test suite
//! and against requests signed by the AWS SDK for Rust and by `personalize-client`.
//! Signatures are compared in constant time ([`Mac::verify_slice`]).
//!
//! [SigV4 for API requests]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime};

use hmac::{Hmac, KeyInit, Mac};
use http::{HeaderMap, Method, StatusCode, Uri};
use personalize_model::DateTime;
use sha2::{Digest, Sha256};

use crate::wire::WireError;

/// The signing name requests must be scoped to.
pub const SERVICE: &str = "personalize";

/// How far `X-Amz-Date` may be from the server's clock, either way (AWS: 15 minutes).
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// An access key pair the strict mode accepts; `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
}

impl Credentials {
    /// A key pair.
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
        }
    }

    /// The access key id (not secret).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .finish()
    }
}

/// Why `AKID:SECRET` text is not a key pair (the message never repeats the secret).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialsParseError {
    /// No `:` separates the two parts.
    #[error("credentials must be ACCESS_KEY_ID:SECRET_ACCESS_KEY (no ':' found)")]
    MissingColon,
    /// The access key id is empty or not visible ASCII.
    #[error("the access key id before ':' must be non-empty visible ASCII")]
    BadAccessKeyId,
    /// The secret is empty.
    #[error("the secret access key after ':' must not be empty")]
    EmptySecret,
}

impl FromStr for Credentials {
    type Err = CredentialsParseError;

    /// Parses `ACCESS_KEY_ID:SECRET_ACCESS_KEY` (the secret may itself contain `:`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (id, secret) = text
            .split_once(':')
            .ok_or(CredentialsParseError::MissingColon)?;
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(CredentialsParseError::BadAccessKeyId);
        }
        if secret.is_empty() {
            return Err(CredentialsParseError::EmptySecret);
        }
        Ok(Credentials::new(id, secret))
    }
}

/// A refused request: the AWS error code, status and message.
///
/// Every code is answered `400`, as awsJson services answer them (Amazon DynamoDB's error
/// reference lists `MissingAuthenticationTokenException`, `IncompleteSignatureException` and
/// `UnrecognizedClientException` under HTTP 400; awsJson 1.1 services such as Amazon Cognito
/// user pools, ECS and ECR are seen answering `UnrecognizedClientException` and
/// `InvalidSignatureException` with 400). AWS's generic "common errors" page gives 403 for
/// `MissingAuthenticationToken`, which is the query-protocol form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthError {
    /// `__type`: one of `MissingAuthenticationTokenException`, `IncompleteSignatureException`,
    /// `UnrecognizedClientException`, `InvalidSignatureException`.
    pub code: &'static str,
    /// The message, in AWS's words.
    pub message: String,
}

impl AuthError {
    fn missing() -> Self {
        AuthError {
            code: "MissingAuthenticationTokenException",
            message: "Missing Authentication Token".into(),
        }
    }

    fn incomplete(message: impl Into<String>) -> Self {
        AuthError {
            code: "IncompleteSignatureException",
            message: message.into(),
        }
    }

    fn unrecognized() -> Self {
        AuthError {
            code: "UnrecognizedClientException",
            message: "The security token included in the request is invalid.".into(),
        }
    }

    fn invalid(message: impl Into<String>) -> Self {
        AuthError {
            code: "InvalidSignatureException",
            message: message.into(),
        }
    }

    fn mismatch() -> Self {
        Self::invalid(
            "The request signature we calculated does not match the signature you provided. \
             Check your AWS Secret Access Key and signing method. Consult the service \
             documentation for details.",
        )
    }

    /// The HTTP status (always `400`; see the type's documentation).
    pub fn status(&self) -> StatusCode {
        StatusCode::BAD_REQUEST
    }

    /// As the mock's wire error.
    pub fn to_wire(&self) -> WireError {
        WireError::protocol(self.status(), self.code, self.message.clone())
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for AuthError {}

/// Checks SigV4 `Authorization` headers against one key pair, for service `personalize`.
#[derive(Clone, Debug)]
pub struct SigV4Verifier {
    credentials: Credentials,
}

/// The parts of `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`.
struct Authorization<'a> {
    access_key_id: &'a str,
    scope_date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: Vec<&'a str>,
    signed_headers_text: &'a str,
    signature: &'a str,
}

impl SigV4Verifier {
    /// A verifier accepting signatures made with `credentials`.
    pub fn new(credentials: Credentials) -> Self {
        SigV4Verifier { credentials }
    }

    /// The accepted key pair.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Verifies a request as received, against the clock reading `now`.
    pub fn verify(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), AuthError> {
        self.verify_for(SERVICE, method, uri, headers, body, now)
    }

    /// [`SigV4Verifier::verify`] for another signing name (used by the AWS test suite).
    pub fn verify_for(
        &self,
        service: &str,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), AuthError> {
        let Some(header) = headers.get(http::header::AUTHORIZATION) else {
            return Err(AuthError::missing());
        };
        let header = header
            .to_str()
            .map_err(|_| AuthError::incomplete("Authorization header is not visible ASCII."))?;
        let auth = parse_authorization(header)?;
        let amz_date = headers
            .get("x-amz-date")
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| {
                AuthError::incomplete(
                    "Authorization header requires existence of either a 'X-Amz-Date' or a \
                     'Date' header.",
                )
            })?;
        let signed_at = parse_amz_date(amz_date)?;
        if auth.access_key_id != self.credentials.access_key_id {
            return Err(AuthError::unrecognized());
        }
        if auth.service != service {
            return Err(AuthError::invalid(format!(
                "Credential should be scoped to correct service: '{service}'."
            )));
        }
        if auth.scope_date != &amz_date[..8] {
            return Err(AuthError::invalid(format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date \
                 from HTTP: '{}' != '{}', from '{amz_date}'.",
                auth.scope_date,
                &amz_date[..8]
            )));
        }
        if !auth.signed_headers.contains(&"host") {
            return Err(AuthError::invalid(
                "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
            ));
        }
        check_clock(signed_at, amz_date, now)?;
        let canonical = canonical_request(method, uri, headers, &auth, body)?;
        let scope = format!(
            "{}/{}/{}/aws4_request",
            auth.scope_date, auth.region, auth.service
        );
        let string_to_sign = format!(
            "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
            hex(&Sha256::digest(&canonical))
        );
        let key = signing_key(
            &self.credentials.secret_access_key,
            auth.scope_date,
            auth.region,
            auth.service,
        );
        let Some(given) = unhex(auth.signature) else {
            return Err(AuthError::mismatch());
        };
        let mut mac = hmac(&key);
        mac.update(string_to_sign.as_bytes());
        mac.verify_slice(&given).map_err(|_| AuthError::mismatch())
    }
}

fn parse_authorization(header: &str) -> Result<Authorization<'_>, AuthError> {
    let header = header.trim();
    let (algorithm, rest) = header.split_once(' ').unwrap_or((header, ""));
    if algorithm != ALGORITHM {
        return Err(AuthError::incomplete(format!(
            "Unsupported AWS 'algorithm': '{}'. Only {ALGORITHM} is supported.",
            cut(algorithm)
        )));
    }
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let Some((name, value)) = part.trim().split_once('=') else {
            continue;
        };
        match name {
            "Credential" => credential = Some(value),
            "SignedHeaders" => signed = Some(value),
            "Signature" => signature = Some(value),
            _ => {}
        }
    }
    let mut missing = Vec::new();
    for (name, value) in [
        ("Credential", credential),
        ("Signature", signature),
        ("SignedHeaders", signed),
    ] {
        if value.is_none_or(str::is_empty) {
            missing.push(format!("Authorization header requires '{name}' parameter."));
        }
    }
    let (Some(credential), Some(signed), Some(signature)) = (credential, signed, signature) else {
        return Err(AuthError::incomplete(missing.join(" ")));
    };
    if !missing.is_empty() {
        return Err(AuthError::incomplete(missing.join(" ")));
    }
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, scope_date, region, service, terminator] = scope[..] else {
        return Err(AuthError::incomplete(
            "Credential must have exactly 5 slash-delimited elements, e.g. \
             keyid/date/region/service/term.",
        ));
    };
    if terminator != "aws4_request" {
        return Err(AuthError::incomplete(
            "Credential should be scoped with a valid terminator: 'aws4_request'.",
        ));
    }
    if region.is_empty() {
        return Err(AuthError::incomplete(
            "Credential should be scoped to a valid region.",
        ));
    }
    Ok(Authorization {
        access_key_id,
        scope_date,
        region,
        service,
        signed_headers: signed.split(';').collect(),
        signed_headers_text: signed,
        signature,
    })
}

/// `YYYYMMDD'T'HHMMSS'Z'` → the instant.
fn parse_amz_date(text: &str) -> Result<DateTime, AuthError> {
    let bad = || {
        AuthError::incomplete(format!(
            "Date must be in ISO-8601 'basic format'. Got '{}'. See \
             http://en.wikipedia.org/wiki/ISO_8601",
            cut(text)
        ))
    };
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| b[range].iter().all(u8::is_ascii_digit);
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' || !digits(0..8) || !digits(9..15) {
        return Err(bad());
    }
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &text[0..4],
        &text[4..6],
        &text[6..8],
        &text[9..11],
        &text[11..13],
        &text[13..15]
    );
    DateTime::parse_rfc3339(&rfc3339).map_err(|_| bad())
}

/// `DateTime` → `YYYYMMDD'T'HHMMSS'Z'` (whole seconds).
fn amz_date(time: DateTime) -> String {
    DateTime::from_secs(time.secs())
        .to_rfc3339()
        .chars()
        .filter(|c| *c != '-' && *c != ':')
        .collect()
}

fn check_clock(signed_at: DateTime, text: &str, now: SystemTime) -> Result<(), AuthError> {
    let now = DateTime::from(now);
    let skew = MAX_CLOCK_SKEW.as_secs() as i64;
    let minutes = MAX_CLOCK_SKEW.as_secs() / 60;
    if signed_at.secs() < now.secs() - skew {
        return Err(AuthError::invalid(format!(
            "Signature expired: {text} is now earlier than {} ({} - {minutes} min.)",
            amz_date(DateTime::from_secs(now.secs() - skew)),
            amz_date(now)
        )));
    }
    if signed_at.secs() > now.secs() + skew {
        return Err(AuthError::invalid(format!(
            "Signature not yet current: {text} is still later than {} ({} + {minutes} min.)",
            amz_date(DateTime::from_secs(now.secs() + skew)),
            amz_date(now)
        )));
    }
    Ok(())
}

/// The canonical request: method, URI, query, signed headers, their names, body hash.
fn canonical_request(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    auth: &Authorization<'_>,
    body: &[u8],
) -> Result<Vec<u8>, AuthError> {
    let mut out = Vec::with_capacity(512);
    out.extend_from_slice(method.as_str().as_bytes());
    out.push(b'\n');
    out.extend_from_slice(canonical_uri(uri.path()).as_bytes());
    out.push(b'\n');
    out.extend_from_slice(canonical_query(uri.query().unwrap_or("")).as_bytes());
    out.push(b'\n');
    for name in &auth.signed_headers {
        let mut values = headers.get_all(*name).iter().peekable();
        if values.peek().is_none() {
            return Err(AuthError::invalid(format!(
                "The request signature we calculated does not match the signature you \
                 provided: signed header '{}' is not in the request.",
                cut(name)
            )));
        }
        out.extend_from_slice(name.as_bytes());
        out.push(b':');
        for (i, value) in values.enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_trimmed(&mut out, value.as_bytes());
        }
        out.push(b'\n');
    }
    out.push(b'\n');
    out.extend_from_slice(auth.signed_headers_text.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(hex(&Sha256::digest(body)).as_bytes());
    Ok(out)
}

/// A header value with surrounding whitespace removed and inner runs of spaces collapsed.
fn push_trimmed(out: &mut Vec<u8>, value: &[u8]) {
    let mut last_space = false;
    for &b in value.trim_ascii() {
        let space = b == b' ' || b == b'\t';
        if space && last_space {
            continue;
        }
        out.push(if space { b' ' } else { b });
        last_space = space;
    }
}

/// The path with `.`/`..` and empty segments resolved, each segment URI-encoded again (the
/// received path is already encoded once: non-S3 services sign it double-encoded).
fn canonical_uri(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = String::from("/");
    out.push_str(
        &segments
            .iter()
            .map(|s| encode(s.as_bytes()))
            .collect::<Vec<_>>()
            .join("/"),
    );
    if path.ends_with('/') && !segments.is_empty() {
        out.push('/');
    }
    out
}

/// Query parameters decoded, re-encoded with the unreserved set and sorted by name, value.
fn canonical_query(query: &str) -> String {
    let mut params: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (encode(&decode(k)), encode(&decode(v)))
        })
        .collect();
    params.sort();
    params
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes every byte outside `A-Za-z0-9-_.~`.
fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-decodes (a `%` not followed by two hex digits stays as it is).
fn decode(text: &str) -> Vec<u8> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex_value(b[i + 1]), hex_value(b[i + 2])) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fn hex_value(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

fn hmac(key: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length: this cannot fail.
    <Hmac<Sha256> as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()))
}

fn hmac_sha256(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = hmac(key);
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> Vec<u8> {
    let k_date = hmac_sha256(format!("AWS4{secret}").as_bytes(), date);
    let k_region = hmac_sha256(&k_date, region);
    let k_service = hmac_sha256(&k_region, service);
    hmac_sha256(&k_service, "aws4_request")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lower- or upper-case hex → bytes; `None` unless exactly 64 hex digits.
fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() != 64 {
        return None;
    }
    text.as_bytes()
        .chunks(2)
        .map(|pair| Some(hex_value(pair[0])? << 4 | hex_value(pair[1])?))
        .collect()
}

/// Quoted request text, cut to 64 characters.
fn cut(text: &str) -> String {
    text.chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_parse_and_hide_the_secret() {
        let c: Credentials = "AKID:se:cret".parse().unwrap();
        assert_eq!(c.access_key_id(), "AKID");
        assert_eq!(c.secret_access_key, "se:cret");
        let debug = format!("{c:?}");
        assert!(
            !debug.contains("se:cret") && debug.contains("AKID"),
            "{debug}"
        );
        let verifier = format!("{:?}", SigV4Verifier::new(c));
        assert!(!verifier.contains("se:cret"), "{verifier}");
        assert_eq!(
            "AKID".parse::<Credentials>(),
            Err(CredentialsParseError::MissingColon)
        );
        assert_eq!(
            ":s".parse::<Credentials>(),
            Err(CredentialsParseError::BadAccessKeyId)
        );
        assert_eq!(
            "A:".parse::<Credentials>(),
            Err(CredentialsParseError::EmptySecret)
        );
        let err = "AKID:".parse::<Credentials>().unwrap_err().to_string();
        assert!(!err.contains("AKID:"));
    }

    #[test]
    fn amz_dates_round_trip_and_bad_ones_are_incomplete_signatures() {
        let t = parse_amz_date("20150830T123600Z").unwrap();
        assert_eq!(t.secs(), 1_440_938_160);
        assert_eq!(amz_date(t), "20150830T123600Z");
        for bad in [
            "2015-08-30T12:36:00Z",
            "20150830T123600",
            "20151330T123600Z",
            "",
        ] {
            let err = parse_amz_date(bad).unwrap_err();
            assert_eq!(err.code, "IncompleteSignatureException", "{bad}");
        }
    }

    #[test]
    fn canonical_uri_and_query() {
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("//example//"), "/example/");
        assert_eq!(canonical_uri("/example/.."), "/");
        assert_eq!(canonical_uri("/a/./b/../c"), "/a/c");
        assert_eq!(canonical_uri("/example%20space/"), "/example%2520space/");
        assert_eq!(canonical_query("b=2&a=1&a=0"), "a=0&a=1&b=2");
        assert_eq!(canonical_query("Param1"), "Param1=");
        assert_eq!(canonical_query("k=%7e+x"), "k=~%2Bx");
        assert_eq!(decode("%4"), b"%4");
        assert_eq!(decode("%zz%41"), b"%zzA");
    }

    #[test]
    fn header_values_are_trimmed_and_collapsed() {
        let mut out = Vec::new();
        push_trimmed(&mut out, b"  a   b \t c  ");
        assert_eq!(out, b"a b c");
    }

    #[test]
    fn signatures_must_be_64_hex_digits() {
        assert!(unhex(&"ab".repeat(32)).is_some());
        assert!(unhex(&"AB".repeat(32)).is_some());
        assert!(unhex(&"ab".repeat(31)).is_none());
        assert!(unhex(&"zz".repeat(32)).is_none());
    }
}
