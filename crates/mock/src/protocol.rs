//! TEMPORARY stand-in until the generated dispatch lands.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::wire::WireError;

/// Longest value quoted back in an error message before it is cut.
const QUOTE_LIMIT: usize = 200;

/// Parses `body` as the input of operation `operation`.
pub(crate) fn parse<T: DeserializeOwned + Default>(
    body: &[u8],
    operation: &str,
) -> Result<T, WireError> {
    let Some(first) = body.iter().find(|b| !b.is_ascii_whitespace()) else {
        return Ok(T::default());
    };
    // The common case, read in one pass; anything refused is read again below, only to
    // explain what is wrong (the `Value` pass also accepts duplicate members, last one wins).
    if *first == b'{' {
        if let Ok(input) = serde_json::from_slice(body) {
            return Ok(input);
        }
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| WireError::serialization(format!("request body is not valid JSON: {e}")))?;
    let Value::Object(members) = value else {
        return Err(WireError::serialization(format!(
            "request body must be a JSON object, got {}",
            kind(&value)
        )));
    };
    match serde_json::from_value(Value::Object(members.clone())) {
        Ok(input) => Ok(input),
        Err(e) => Err(WireError::serialization(
            wrong_member::<T>(&members)
                .unwrap_or_else(|| format!("request body does not match {operation}Request: {e}")),
        )),
    }
}

/// Names the first member whose value has the wrong JSON type.
fn wrong_member<T: DeserializeOwned>(members: &Map<String, Value>) -> Option<String> {
    members.iter().find_map(|(name, value)| {
        let mut alone = Map::new();
        alone.insert(name.clone(), value.clone());
        let err = serde_json::from_value::<T>(Value::Object(alone)).err()?;
        Some(format!(
            "Value {} at '{name}' cannot be read as the member's type: {err}",
            quote(&value.to_string())
        ))
    })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `'text'`, cut to [`QUOTE_LIMIT`] characters.
pub(crate) fn quote(text: &str) -> String {
    let mut chars = text.chars();
    let cut: String = chars.by_ref().take(QUOTE_LIMIT).collect();
    if chars.next().is_some() {
        format!("'{cut}…'")
    } else {
        format!("'{cut}'")
    }
}

use bytes::Bytes as B;
use http::{HeaderMap, Response};
use personalize_model::{Operation, OperationError, Validate};

/// Who asks.
#[derive(Clone, Debug)]
pub struct Context {
    /// Request id.
    pub request_id: String,
    /// Account.
    pub account: String,
    /// Region.
    pub region: String,
}

/// An output, typed or as JSON bytes.
pub enum Reply<T> {
    /// Typed.
    Output(T),
    /// Bytes.
    Json(B),
}

/// Headers and body.
pub struct ProtocolRequest<'a> {
    /// Headers.
    pub headers: &'a HeaderMap,
    /// Body.
    pub body: &'a B,
}

/// Serves one operation.
pub fn serve<O: Operation>(
    ctx: &Context,
    request: &ProtocolRequest<'_>,
    handler: impl FnOnce(&Context, O::Input) -> Result<Reply<O::Output>, O::Error>,
) -> Response<B> {
    let input = match parse::<O::Input>(request.body, O::NAME) {
        Ok(input) => input,
        Err(e) => return crate::wire::error(&e, &ctx.request_id),
    };
    if let Err(errors) = input.validate() {
        return crate::wire::error(
            &WireError::protocol(
                http::StatusCode::BAD_REQUEST,
                "InvalidInputException",
                errors.to_string(),
            ),
            &ctx.request_id,
        );
    }
    match handler(ctx, input) {
        Ok(Reply::Output(o)) => crate::wire::success(&o, &ctx.request_id),
        Ok(Reply::Json(bytes)) => {
            if cfg!(debug_assertions) {
                if let Err(e) = serde_json::from_slice::<O::Output>(&bytes) {
                    return crate::wire::error(
                        &WireError::protocol(
                            http::StatusCode::INTERNAL_SERVER_ERROR,
                            "InternalFailure",
                            format!(
                                "{}: output does not parse: {e}: {}",
                                O::NAME,
                                String::from_utf8_lossy(&bytes)
                            ),
                        ),
                        &ctx.request_id,
                    );
                }
            }
            crate::wire::success_body(bytes, &ctx.request_id)
        }
        Err(e) => {
            let code: &'static str = O::ERRORS
                .iter()
                .find(|m| m.code == e.code())
                .map(|m| m.code)
                .unwrap_or(match e.code() {
                    "InvalidInputException" => "InvalidInputException",
                    "ResourceNotFoundException" => "ResourceNotFoundException",
                    "ResourceInUseException" => "ResourceInUseException",
                    "ResourceAlreadyExistsException" => "ResourceAlreadyExistsException",
                    _ => "InternalFailure",
                });
            crate::wire::error(
                &WireError::protocol(
                    http::StatusCode::BAD_REQUEST,
                    code,
                    e.message().unwrap_or_default().to_owned(),
                ),
                &ctx.request_id,
            )
        }
    }
}
