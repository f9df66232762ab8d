//! SigV4 signing with the `aws-sigv4` crate.

use std::time::SystemTime;

use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use bytes::Bytes;
use http::Request;

use crate::config::Credentials;
use crate::error::ConstructionError;

/// The signing identity built once from [`Credentials`].
#[derive(Debug, Clone)]
pub(crate) struct SigningIdentity(Identity);

impl From<&Credentials> for SigningIdentity {
    fn from(credentials: &Credentials) -> Self {
        let credentials = aws_credential_types::Credentials::new(
            credentials.access_key_id(),
            credentials.secret_access_key(),
            credentials.session_token().map(str::to_owned),
            None,
            "personalize-client",
        );
        Self(credentials.into())
    }
}

/// Signs `request` in place with SigV4: adds `X-Amz-Date`, `Authorization` and, for temporary
/// credentials, `X-Amz-Security-Token`. Every header already on the request is signed except
/// `User-Agent` (and the other headers `aws-sigv4` leaves out by default).
pub fn sign_request(
    request: &mut Request<Bytes>,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
) -> Result<(), ConstructionError> {
    sign_with_identity(
        request,
        &SigningIdentity::from(credentials),
        region,
        service,
        time,
    )
}

pub(crate) fn sign_with_identity(
    request: &mut Request<Bytes>,
    identity: &SigningIdentity,
    region: &str,
    service: &str,
    time: SystemTime,
) -> Result<(), ConstructionError> {
    let failed = |e: &dyn std::fmt::Display| ConstructionError::Signing(e.to_string());
    let params = v4::SigningParams::builder()
        .identity(&identity.0)
        .region(region)
        .name(service)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| failed(&e))?
        .into();
    let mut headers = Vec::with_capacity(request.headers().len());
    for (name, value) in request.headers() {
        let value = value
            .to_str()
            .map_err(|_| failed(&format!("header {name} is not visible ASCII")))?;
        headers.push((name.as_str(), value));
    }
    let uri = request.uri().to_string();
    let signable = SignableRequest::new(
        request.method().as_str(),
        uri,
        headers.into_iter(),
        SignableBody::Bytes(request.body()),
    )
    .map_err(|e| failed(&e))?;
    let (instructions, _signature) = sign(signable, &params)
        .map_err(|e| failed(&e))?
        .into_parts();
    instructions.apply_to_request_http1x(request);
    Ok(())
}
