//! awsJson 1.1 responses: success bodies and `{"__type","message"}` errors.

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use http::{Response, StatusCode};
use personalize_model::Protocol;
use serde::Serialize;

/// The `Content-Type` of every response.
pub const CONTENT_TYPE_JSON: &str = Protocol::AwsJson1_1.content_type();

// Header names are `HeaderName` constants, so that no name is parsed per request.

/// Header carrying the request id.
pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-amzn-requestid");

/// `X-Amz-Target`, the header naming an awsJson request's operation.
pub const TARGET_HEADER: HeaderName = HeaderName::from_static("x-amz-target");

/// Header carrying the error code, as AWS sends it next to `__type`.
pub const ERROR_TYPE_HEADER: HeaderName = HeaderName::from_static("x-amzn-errortype");

/// An error response: status, `__type` code and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError {
    /// HTTP status.
    pub status: StatusCode,
    /// `__type`.
    pub code: &'static str,
    /// `message`.
    pub message: String,
}

/// The status the model gives a modeled error of the operation (400 when it lists none).
impl WireError {
    /// A protocol-level error (not in the model), with its own status.
    pub fn protocol(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        WireError {
            status,
            code,
            message: message.into(),
        }
    }

    /// `400 SerializationException`: the body is not the JSON the operation takes.
    pub fn serialization(message: impl Into<String>) -> Self {
        Self::protocol(StatusCode::BAD_REQUEST, "SerializationException", message)
    }

    /// `400 UnknownOperationException`: no operation matches the request.
    pub fn unknown_operation(message: impl Into<String>) -> Self {
        Self::protocol(
            StatusCode::BAD_REQUEST,
            "UnknownOperationException",
            message,
        )
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    #[serde(rename = "__type")]
    code: &'a str,
    message: &'a str,
}

fn base(status: StatusCode, request_id: &str, body: Bytes) -> Response<Bytes> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_JSON));
    if let Ok(value) = HeaderValue::from_str(request_id) {
        headers.insert(REQUEST_ID_HEADER, value);
    }
    response
}

/// A 200 response with `output` as its JSON body.
pub fn success<T: Serialize>(output: &T, request_id: &str) -> Response<Bytes> {
    match serde_json::to_vec(output) {
        Ok(body) => base(StatusCode::OK, request_id, Bytes::from(body)),
        Err(e) => error(
            &WireError::protocol(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalFailure",
                format!("the mock could not serialize its response: {e}"),
            ),
            request_id,
        ),
    }
}

/// A 200 response with `body`, already JSON, as its body.
pub fn success_body(body: Bytes, request_id: &str) -> Response<Bytes> {
    base(StatusCode::OK, request_id, body)
}

/// An error response: status, `__type`/`message` body and `X-Amzn-ErrorType` header.
pub fn error(err: &WireError, request_id: &str) -> Response<Bytes> {
    let header = HeaderValue::from_static(err.code);
    error_response(err.status, err.code, Some(header), &err.message, request_id)
}

/// An operation error's response: `__type` and the error's own members (`message`, or all of a
/// modeled error's members) as the body, the code in `X-Amzn-ErrorType` when it can be a header.
pub fn error_with_members(
    status: StatusCode,
    code: &str,
    members: serde_json::Value,
    request_id: &str,
) -> Response<Bytes> {
    let mut object = serde_json::Map::new();
    object.insert("__type".to_owned(), serde_json::Value::from(code));
    if let serde_json::Value::Object(members) = members {
        object.extend(members.into_iter().filter(|(k, _)| k != "__type"));
    }
    let body = serde_json::to_vec(&object)
        .unwrap_or_else(|_| format!("{{\"__type\":\"{code}\"}}").into_bytes());
    let mut response = base(status, request_id, Bytes::from(body));
    if let Ok(value) = HeaderValue::from_str(code) {
        response.headers_mut().insert(ERROR_TYPE_HEADER, value);
    }
    response
}

fn error_response(
    status: StatusCode,
    code: &str,
    code_header: Option<HeaderValue>,
    message: &str,
    request_id: &str,
) -> Response<Bytes> {
    let body = serde_json::to_vec(&ErrorBody { code, message })
        .unwrap_or_else(|_| format!("{{\"__type\":\"{code}\"}}").into_bytes());
    let mut response = base(status, request_id, Bytes::from(body));
    let headers = response.headers_mut();
    if let Some(value) = code_header {
        headers.insert(ERROR_TYPE_HEADER, value);
    }
    if status == StatusCode::METHOD_NOT_ALLOWED {
        headers.insert(http::header::ALLOW, HeaderValue::from_static("POST"));
    }
    response
}

/// A fresh request id in the UUID form AWS uses (random, version 4 layout).
pub fn request_id() -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut bytes: [u8; 16] = rand::random();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    // Written into an array (the dashes are already in place), then copied into the string
    // once: pushing 36 characters one by one checks the capacity 36 times.
    let mut id = [b'-'; 36];
    let mut at = 0;
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            at += 1;
        }
        if let Some(pair) = id.get_mut(at..at + 2) {
            pair.copy_from_slice(&[HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 0xf)]]);
        }
        at += 2;
    }
    String::from_utf8_lossy(&id).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_version_4_uuids() {
        let id = request_id();
        assert_eq!(id.len(), 36, "{id}");
        let groups: Vec<&str> = id.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12],
            "{id}"
        );
        assert!(id
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)));
        assert!(groups[2].starts_with('4'), "{id}");
        assert!(groups[3].starts_with(['8', '9', 'a', 'b']), "{id}");
        assert_ne!(request_id(), id);
    }
}
