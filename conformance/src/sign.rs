//! SigV4 signing of replayed and forwarded requests with the `aws-sigv4` crate.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings,
};
use aws_sigv4::sign::v4;

/// The SigV4 signing name of Amazon Personalize.
pub const SIGNING_NAME: &str = "personalize";

/// Headers that belong to one signature or one connection and are never replayed as recorded.
pub const SIGNATURE_HEADERS: &[&str] = &[
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
    "host",
    "content-length",
    "connection",
    "transfer-encoding",
    "expect",
    "keep-alive",
];

/// A request could not be signed.
#[derive(Debug, thiserror::Error)]
#[error("cannot sign the request for {uri}: {reason}")]
pub struct SignError {
    /// The URI being signed.
    pub uri: String,
    /// Why signing failed.
    pub reason: String,
}

/// Who signs, and for which region.
#[derive(Clone, Debug)]
pub struct Signer {
    credentials: Credentials,
    region: String,
}

/// The public documentation example access key (not a secret).
pub const EXAMPLE_ACCESS_KEY: &str = "AKIDEXAMPLE";
/// The public documentation example secret key (not a secret).
pub const EXAMPLE_SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

impl Signer {
    /// A signer with explicit credentials.
    pub fn new(
        access_key: &str,
        secret_key: &str,
        session_token: Option<String>,
        region: &str,
    ) -> Signer {
        Signer {
            credentials: Credentials::new(
                access_key,
                secret_key,
                session_token,
                None,
                "personalize-conformance",
            ),
            region: region.to_owned(),
        }
    }

    /// The credentials requests are signed with.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The documentation example credentials: what a mock accepts.
    pub fn example(region: &str) -> Signer {
        Signer::new(EXAMPLE_ACCESS_KEY, EXAMPLE_SECRET_KEY, None, region)
    }

    /// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`;
    /// `None` when the key pair is not set.
    pub fn from_env(region: &str) -> Option<Signer> {
        let key = std::env::var("AWS_ACCESS_KEY_ID").ok()?;
        let secret = std::env::var("AWS_SECRET_ACCESS_KEY").ok()?;
        let token = std::env::var("AWS_SESSION_TOKEN").ok();
        Some(Signer::new(&key, &secret, token, region))
    }

    /// The signing region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// Signs `request` (whose URI must be absolute and whose headers must not yet carry a
    /// signature), adding `host`, `x-amz-date`, `authorization` and, when `content_sha256`,
    /// `x-amz-content-sha256`.
    pub fn sign(
        &self,
        request: &mut http::Request<bytes::Bytes>,
        content_sha256: bool,
        time: SystemTime,
    ) -> Result<(), SignError> {
        let uri = request.uri().to_string();
        let fail = |reason: String| SignError {
            uri: uri.clone(),
            reason,
        };
        if !request.headers().contains_key(http::header::HOST) {
            let authority = request
                .uri()
                .authority()
                .ok_or_else(|| fail("the URI has no host".into()))?
                .as_str()
                .to_owned();
            let value = http::HeaderValue::from_str(&authority)
                .map_err(|e| fail(format!("host '{authority}': {e}")))?;
            request.headers_mut().insert(http::header::HOST, value);
        }
        let mut settings = SigningSettings::default();
        if content_sha256 {
            settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
        }
        let identity = self.credentials.clone().into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name(SIGNING_NAME)
            .time(time)
            .settings(settings)
            .build()
            .map_err(|e| fail(e.to_string()))?
            .into();
        let headers: Vec<(&str, &str)> = request
            .headers()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str(), v.to_str().ok()?)))
            .collect();
        let signable = SignableRequest::new(
            request.method().as_str(),
            uri.clone(),
            headers.into_iter(),
            SignableBody::Bytes(request.body()),
        )
        .map_err(|e| fail(e.to_string()))?;
        let (instructions, _signature) = sign(signable, &params)
            .map_err(|e| fail(e.to_string()))?
            .into_parts();
        instructions.apply_to_request_http1x(request);
        Ok(())
    }
}

/// The region in a recorded `Authorization` header's credential scope, if any.
pub fn region_of_authorization(authorization: &str) -> Option<&str> {
    let scope = authorization.split("Credential=").nth(1)?;
    let scope = scope.split([',', ' ']).next()?;
    scope.split('/').nth(2)
}
