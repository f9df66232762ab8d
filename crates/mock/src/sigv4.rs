//! Optional SigV4 verification ("strict mode"): refuses requests that are not signed, for
//! service `personalize`, with the configured credentials, the way AWS refuses them; and
//! [`credential_scope`], the lenient reading of the scope every request is served under.
//!
//! The `Authorization` header is parsed here (AWS's error codes and messages, in AWS's order
//! of checks); the signature ([SigV4 for API requests]) is recomputed by `aws-sigv4`, the AWS
//! SDK for Rust's signer, given
//! the received request reduced to what the signer signed: method, path and query as received,
//! exactly the headers `SignedHeaders` names (every value of a repeated name, in order), the
//! body, the time from `X-Amz-Date`, and the scope's region and service. `X-Amz-Date` and a
//! signed `X-Amz-Security-Token` are not passed as headers: `aws-sigv4` adds them itself, from
//! the time and from the session token. The two signatures are compared in constant time
//! (`subtle`). The 27 cases of the AWS signing test suite in `tests/sigv4_vectors` verify this
//! way, duplicate header keys and path normalization included (`tests/sigv4.rs`).
//!
//! What `aws-sigv4` cannot recompute, and so is refused as a mismatch
//! (`InvalidSignatureException`):
//! - a signature whose `SignedHeaders` leaves out `x-amz-date`: `aws-sigv4` always signs the
//!   `x-amz-date` header it writes. AWS asks that every `x-amz-*` header sent be signed and
//!   every SDK signs it (`tests/sigv4.rs`, `an_unsigned_x_amz_date_is_refused`);
//! - a `SignedHeaders` list that is not sorted lower case: `aws-sigv4` writes the list it
//!   signed sorted, as the SigV4 specification requires
//!   (`a_signed_headers_list_out_of_order_is_refused`).
//!
//! [SigV4 for API requests]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{
    sign, SessionTokenMode, SignableBody, SignableRequest, SigningSettings,
};
use aws_sigv4::sign::v4::SigningParams;
use aws_smithy_runtime_api::client::identity::Identity;
use http::{HeaderMap, Method, StatusCode, Uri};
use personalize_model::DateTime;
use subtle::ConstantTimeEq;

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
    scope: CredentialScope<'a>,
    signed_headers: &'a str,
    signature: &'a str,
}

/// The credential scope of a SigV4 `Authorization` header: `AKID/DATE/REGION/SERVICE/aws4_request`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CredentialScope<'a> {
    /// The access key id (the mock's account key).
    pub access_key_id: &'a str,
    /// The scope date, `YYYYMMDD` as sent (not checked).
    pub date: &'a str,
    /// The region the request was signed for.
    pub region: &'a str,
    /// The signing name (service) the request was signed for.
    pub service: &'a str,
}

/// The credential scope of a request's `Authorization: AWS4-HMAC-SHA256 Credential=...` header,
/// without checking the signature or the date; `None` when there is no such header, or its
/// `Credential` is not five `/`-separated parts with the first four non-empty.
pub fn credential_scope(headers: &HeaderMap) -> Option<CredentialScope<'_>> {
    let header = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let (algorithm, rest) = header.trim().split_once(' ')?;
    if algorithm != ALGORITHM {
        return None;
    }
    let [credential, _, _] = parameters(rest);
    let (scope, _terminator) = split_credential(credential?)?;
    [scope.access_key_id, scope.date, scope.region, scope.service]
        .iter()
        .all(|part| !part.is_empty())
        .then_some(scope)
}

/// `Credential`, `SignedHeaders` and `Signature` of the `Authorization` header's parameter
/// list (the text after the algorithm); a later repeat wins.
fn parameters(rest: &str) -> [Option<&str>; 3] {
    let mut found = [None; 3];
    for part in rest.split(',') {
        let Some((name, value)) = part.trim().split_once('=') else {
            continue;
        };
        let slot = match name {
            "Credential" => 0,
            "SignedHeaders" => 1,
            "Signature" => 2,
            _ => continue,
        };
        found[slot] = Some(value);
    }
    found
}

/// `AKID/DATE/REGION/SERVICE/TERMINATOR` → the scope and the terminator; `None` unless five parts.
fn split_credential(credential: &str) -> Option<(CredentialScope<'_>, &str)> {
    let mut parts = credential.split('/');
    let mut next = || parts.next();
    let scope = CredentialScope {
        access_key_id: next()?,
        date: next()?,
        region: next()?,
        service: next()?,
    };
    let terminator = next()?;
    parts.next().is_none().then_some((scope, terminator))
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
        let scope = &auth.scope;
        if scope.access_key_id != self.credentials.access_key_id {
            return Err(AuthError::unrecognized());
        }
        if scope.service != service {
            return Err(AuthError::invalid(format!(
                "Credential should be scoped to correct service: '{service}'."
            )));
        }
        if scope.date != &amz_date[..8] {
            return Err(AuthError::invalid(format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date \
                 from HTTP: '{}' != '{}', from '{amz_date}'.",
                scope.date,
                &amz_date[..8]
            )));
        }
        if !auth.signed_headers.split(';').any(|name| name == "host") {
            return Err(AuthError::invalid(
                "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
            ));
        }
        check_clock(signed_at, amz_date, now)?;
        let (signed_headers, expected) =
            self.recompute(method, uri, headers, &auth, body, signed_at)?;
        let given = auth.signature.to_ascii_lowercase();
        let same_signature = bool::from(given.as_bytes().ct_eq(expected.as_bytes()));
        // The list is part of what is signed: aws-sigv4's own must be the one sent.
        if same_signature && signed_headers == auth.signed_headers {
            Ok(())
        } else {
            Err(AuthError::mismatch())
        }
    }

    /// The `SignedHeaders` list and signature `aws-sigv4` gives the request reduced to what
    /// `auth` says was signed.
    fn recompute(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        auth: &Authorization<'_>,
        body: &[u8],
        signed_at: DateTime,
    ) -> Result<(String, String), AuthError> {
        let mut signed = Vec::new();
        let mut session_token = None;
        for name in auth.signed_headers.split(';') {
            let mut values = headers.get_all(name).iter().peekable();
            if values.peek().is_none() {
                return Err(AuthError::invalid(format!(
                    "The request signature we calculated does not match the signature you \
                     provided: signed header '{}' is not in the request.",
                    cut(name)
                )));
            }
            for value in values {
                // Only visible ASCII was signed by an SDK; anything else cannot match.
                let value = value.to_str().map_err(|_| AuthError::mismatch())?;
                match name {
                    // aws-sigv4 writes these two itself, from the time and the session token.
                    "x-amz-date" => {}
                    "x-amz-security-token" => session_token = Some(value.to_owned()),
                    _ => signed.push((name, value)),
                }
            }
        }
        let identity: Identity = aws_credential_types::Credentials::new(
            &self.credentials.access_key_id,
            &self.credentials.secret_access_key,
            session_token,
            None,
            "personalize-mock",
        )
        .into();
        let mut settings = SigningSettings::default();
        settings.excluded_headers = None;
        settings.session_token_mode = SessionTokenMode::Include;
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(signed_at.secs().max(0) as u64);
        let params = SigningParams::builder()
            .identity(&identity)
            .region(auth.scope.region)
            .name(auth.scope.service)
            .time(time)
            .settings(settings)
            .build()
            .map_err(|_| AuthError::mismatch())?
            .into();
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        let signable = SignableRequest::new(
            method.as_str(),
            path,
            signed.into_iter(),
            SignableBody::Bytes(body),
        )
        .map_err(|_| AuthError::mismatch())?;
        let (instructions, signature) = sign(signable, &params)
            .map_err(|_| AuthError::mismatch())?
            .into_parts();
        let signed_headers = instructions
            .headers()
            .find(|(name, _)| *name == "authorization")
            .and_then(|(_, value)| parameters(value.split_once(' ')?.1)[1])
            .ok_or_else(AuthError::mismatch)?
            .to_owned();
        Ok((signed_headers, signature))
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
    let [credential, signed, signature] = parameters(rest);
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
    let (Some(credential), Some(signed_headers), Some(signature)) = (credential, signed, signature)
    else {
        return Err(AuthError::incomplete(missing.join(" ")));
    };
    if !missing.is_empty() {
        return Err(AuthError::incomplete(missing.join(" ")));
    }
    let Some((scope, terminator)) = split_credential(credential) else {
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
    if scope.region.is_empty() {
        return Err(AuthError::incomplete(
            "Credential should be scoped to a valid region.",
        ));
    }
    Ok(Authorization {
        scope,
        signed_headers,
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

    fn with_authorization(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::AUTHORIZATION,
            http::HeaderValue::from_str(value).unwrap(),
        );
        headers
    }

    #[test]
    fn credential_scope_reads_a_sigv4_authorization_header() {
        let headers = with_authorization(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/personalize/aws4_request, \
             SignedHeaders=host;x-amz-date, Signature=00",
        );
        assert_eq!(
            credential_scope(&headers),
            Some(CredentialScope {
                access_key_id: "AKIDEXAMPLE",
                date: "20150830",
                region: "eu-west-1",
                service: "personalize",
            })
        );
        // Lenient: no signature, another terminator, any order of parameters.
        let headers = with_authorization("AWS4-HMAC-SHA256 Credential=A/d/r/s/t");
        let scope = credential_scope(&headers).unwrap();
        assert_eq!(
            (scope.access_key_id, scope.date, scope.region, scope.service),
            ("A", "d", "r", "s")
        );
        let headers = with_authorization(
            "  AWS4-HMAC-SHA256 Signature=ab,SignedHeaders=host,  Credential=K/d/us-east-1/s/aws4_request ",
        );
        assert_eq!(credential_scope(&headers).unwrap().region, "us-east-1");
    }

    #[test]
    fn credential_scope_is_none_without_a_parseable_credential() {
        assert_eq!(credential_scope(&HeaderMap::new()), None);
        for value in [
            "Basic dXNlcjpwYXNz",
            "AWS4-HMAC-SHA256",
            "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00",
            "AWS4-HMAC-SHA256 Credential=",
            "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/personalize",
            "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/personalize/aws4_request/x",
            "AWS4-HMAC-SHA256 Credential=AKID/20150830//personalize/aws4_request",
            "AWS4-HMAC-SHA256 Credential=/20150830/us-east-1/personalize/aws4_request",
            "AWS4-ECDSA-P256-SHA256 Credential=AKID/20150830/personalize/aws4_request",
        ] {
            assert_eq!(
                credential_scope(&with_authorization(value)),
                None,
                "{value}"
            );
        }
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::AUTHORIZATION,
            http::HeaderValue::from_bytes(b"AWS4-HMAC-SHA256 Credential=\xff/d/r/s/t").unwrap(),
        );
        assert_eq!(credential_scope(&headers), None);
    }
}
