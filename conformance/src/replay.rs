//! Replaying a fixture's requests against a running server, re-signed afresh.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use serde_json::Value;

use crate::fixture::{Fixture, RecordedRequest};
use crate::http::{parse_base_url, HttpClient, HttpResponse, TransportError};
use crate::rename::Renames;
use crate::sign::{region_of_authorization, SignError, Signer, SIGNATURE_HEADERS};

/// A replay could not be carried out (as opposed to a wrong answer).
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// The target was not reachable or did not speak HTTP.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The request could not be signed.
    #[error(transparent)]
    Sign(#[from] SignError),
    /// The recorded request cannot be turned into an HTTP request.
    #[error("fixture {fixture}, step {step}: {reason}")]
    BadRequest {
        /// The fixture.
        fixture: String,
        /// The step index.
        step: usize,
        /// What is wrong.
        reason: String,
    },
}

/// One request as sent and the response received.
#[derive(Clone, Debug, PartialEq)]
pub struct Observed {
    /// The body sent (the recorded bytes, with a followed token substituted).
    pub body_sent: String,
    /// The response.
    pub response: HttpResponse,
}

/// Replays fixtures against one base URL.
#[derive(Clone, Debug)]
pub struct Replayer {
    base: http::Uri,
    client: HttpClient,
    signer: Option<Signer>,
}

/// Default time limit for one request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

impl Replayer {
    /// A replayer for `base_url` (such as `http://127.0.0.1:4566`), signing with the example
    /// credentials in the region each recording names.
    pub fn new(base_url: &str) -> Result<Replayer, TransportError> {
        Ok(Replayer {
            base: parse_base_url(base_url)?,
            client: HttpClient::new(DEFAULT_TIMEOUT),
            signer: None,
        })
    }

    /// Signs with these credentials and region instead.
    pub fn with_signer(mut self, signer: Signer) -> Replayer {
        self.signer = Some(signer);
        self
    }

    /// The base URL.
    pub fn base(&self) -> &http::Uri {
        &self.base
    }

    /// Sends each step in turn, following tokens the target hands out. Stops early when a
    /// step needs a token the previous response did not carry.
    pub async fn replay(&self, fixture: &Fixture) -> Result<Vec<Observed>, ReplayError> {
        Ok(self.replay_renamed(fixture, Renames::new()).await?.0)
    }

    /// Like [`Replayer::replay`], sending each request with the target's values for recorded
    /// ones (`renames`, plus the ARN each `Create<Noun>` answers in place of the
    /// recorded one); returns what was observed and every rename in force at the end.
    pub async fn replay_renamed(
        &self,
        fixture: &Fixture,
        renames: Renames,
    ) -> Result<(Vec<Observed>, Renames), ReplayError> {
        self.replay_with(fixture, renames, |_| {}).await
    }

    /// Like [`Replayer::replay_renamed`], calling `before_step` with each step before it is
    /// sent (the built-in mock moves its clock there).
    pub async fn replay_with(
        &self,
        fixture: &Fixture,
        mut renames: Renames,
        before_step: impl Fn(&crate::fixture::Step),
    ) -> Result<(Vec<Observed>, Renames), ReplayError> {
        let mut observed: Vec<Observed> = Vec::new();
        for (i, step) in fixture.steps.iter().enumerate() {
            before_step(step);
            let mut body = renames.apply_to_body(&step.request.body);
            if step
                .request
                .next_token
                .as_ref()
                .is_some_and(|t| t.from_previous_response)
            {
                let previous = observed.last().and_then(|o| actual_token(&o.response));
                let (Some(recorded), Some(actual)) = (
                    i.checked_sub(1).and_then(|p| fixture.recorded_token(p)),
                    previous,
                ) else {
                    break;
                };
                body = substitute_token(&body, recorded, &actual);
            }
            let request =
                self.build(&step.request, &body)
                    .map_err(|reason| ReplayError::BadRequest {
                        fixture: fixture.name.clone(),
                        step: i,
                        reason,
                    })?;
            let response = self.client.send(request).await?;
            if let Some((recorded, actual)) = assigned_arn(step, &response) {
                renames.push(recorded, actual);
            }
            observed.push(Observed {
                body_sent: body,
                response,
            });
        }
        Ok((observed, renames))
    }

    /// The recorded request with its signature headers dropped, aimed at the target, and
    /// signed afresh.
    pub fn build(
        &self,
        recorded: &RecordedRequest,
        body: &str,
    ) -> Result<http::Request<Bytes>, String> {
        let path = if recorded.path.starts_with('/') {
            recorded.path.clone()
        } else {
            format!("/{}", recorded.path)
        };
        let base = self.base.to_string();
        let uri = format!("{}{}", base.trim_end_matches('/'), path);
        let mut builder = http::Request::builder()
            .method(recorded.method.as_str())
            .uri(&uri);
        for (name, value) in &recorded.headers {
            if SIGNATURE_HEADERS.contains(&name.as_str()) {
                continue;
            }
            builder = builder.header(name.as_str(), value.as_str());
        }
        let body = Bytes::from(body.to_owned());
        let mut request = builder
            .header(http::header::CONTENT_LENGTH, body.len())
            .body(body)
            .map_err(|e| format!("cannot build the request for {uri}: {e}"))?;
        let region = recorded
            .header("authorization")
            .and_then(region_of_authorization)
            .unwrap_or("us-east-1");
        let signer = match &self.signer {
            Some(s) => s.clone(),
            None => Signer::example(region),
        };
        signer
            .sign(
                &mut request,
                recorded.headers.contains_key("x-amz-content-sha256"),
                SystemTime::now(),
            )
            .map_err(|e| e.to_string())?;
        Ok(request)
    }
}

/// The recorded and the actual ARN of the resource a successful `Create<Noun>` step made
/// (its output's `<noun>Arn` member).
pub fn assigned_arn(
    step: &crate::fixture::Step,
    response: &HttpResponse,
) -> Option<(String, String)> {
    let op = personalize_model::service::operation(step.request.operation()?)?;
    if !op.name.starts_with("Create") || response.status != 200 {
        return None;
    }
    let member = crate::operations::created_arn_member(op)?;
    let recorded = step.response.body.get(member)?.as_str()?;
    let body: Value = serde_json::from_slice(&response.body).ok()?;
    let actual = body.get(member)?.as_str()?;
    Some((recorded.to_owned(), actual.to_owned()))
}

/// The `nextToken` string of a response body, when it has a non-empty one.
pub fn actual_token(response: &HttpResponse) -> Option<String> {
    let body: Value = serde_json::from_slice(&response.body).ok()?;
    body.get("nextToken")?
        .as_str()
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// `body` with the JSON string `recorded` replaced by the JSON string `actual`.
pub fn substitute_token(body: &str, recorded: &str, actual: &str) -> String {
    let (Ok(from), Ok(to)) = (
        serde_json::to_string(recorded),
        serde_json::to_string(actual),
    ) else {
        return body.to_owned();
    };
    body.replacen(&from, &to, 1)
}
