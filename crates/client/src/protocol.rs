//! The awsJson 1.1 wire format: request assembly and response/error parsing, generic over operations.

use bytes::Bytes;
use http::header::{HeaderMap, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, HOST, USER_AGENT};
use http::{Method, Request, StatusCode, Uri};
use personalize_model::{Operation, OperationError};
use serde_json::Value;

use crate::error::{ConstructionError, Error, ResponseError, ServiceError};

/// The `User-Agent` this client sends.
pub const USER_AGENT_VALUE: &str = concat!("personalize-client/", env!("CARGO_PKG_VERSION"));

/// Header carrying the operation target.
pub const X_AMZ_TARGET: &str = "x-amz-target";

/// Serializes an input to compact JSON; unset members are omitted, so an empty input is `{}`.
pub fn serialize_input<O: Operation>(input: &O::Input) -> Result<Bytes, ConstructionError> {
    serde_json::to_vec(input)
        .map(Bytes::from)
        .map_err(|source| ConstructionError::Serialize {
            operation: O::NAME,
            source,
        })
}

/// What goes into every attempt of one call: the serialized input and what the input decides
/// about the request beyond its body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payload {
    /// The JSON body.
    pub body: Bytes,
    /// The `@endpoint` host prefix with its `@hostLabel`s filled in (`foo.bar.`), if any.
    pub host_prefix: Option<String>,
    /// The `Content-Encoding` the body was compressed with (`@requestCompression`), if any.
    pub content_encoding: Option<&'static str>,
}

/// Bodies smaller than this are sent uncompressed even for `@requestCompression` operations
/// (the AWS SDKs' default `request_min_compression_size_bytes`).
pub const MIN_COMPRESSION_BYTES: usize = 10_240;

/// gzip of `body` (flate2, the ecosystem's deflate crate).
fn gzip(body: &[u8]) -> Result<Bytes, ConstructionError> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(body)
        .and_then(|()| encoder.finish())
        .map(Bytes::from)
        .map_err(|e| ConstructionError::Request(format!("gzip of the body failed: {e}")))
}

/// Serializes `input` and resolves the operation's host prefix from it.
pub fn prepare<O: Operation>(input: &O::Input) -> Result<Payload, ConstructionError> {
    let host_prefix = O::host_prefix(input).map_err(|e| ConstructionError::HostLabel {
        operation: O::NAME,
        source: e,
    })?;
    let body = serialize_input::<O>(input)?;
    // `@requestCompression`: gzip is the one encoding Smithy defines so far.
    if O::REQUEST_COMPRESSION.contains(&"gzip") && body.len() >= MIN_COMPRESSION_BYTES {
        return Ok(Payload {
            body: gzip(&body)?,
            host_prefix,
            content_encoding: Some("gzip"),
        });
    }
    Ok(Payload {
        body,
        host_prefix,
        content_encoding: None,
    })
}

/// The unsigned request for `O` carrying `payload`: `POST` to the operation's URI (`/`) under
/// the endpoint's path, to the endpoint's host behind the payload's host prefix, with `Host`,
/// `Content-Type`, `Content-Length`, `X-Amz-Target` and `User-Agent`.
pub fn build_request<O: Operation>(
    endpoint: &Uri,
    payload: &Payload,
) -> Result<Request<Bytes>, ConstructionError> {
    let endpoint_authority = endpoint
        .authority()
        .ok_or_else(|| ConstructionError::Request(format!("endpoint {endpoint} has no host")))?;
    let authority = match &payload.host_prefix {
        None => endpoint_authority.as_str().to_owned(),
        Some(prefix) => format!("{prefix}{}", endpoint_authority.as_str()),
    };
    // The operation's URI is `/`, appended to whatever path the endpoint has.
    let path = format!("{}/", endpoint.path().trim_end_matches('/'));
    let uri = Uri::builder()
        .scheme(endpoint.scheme_str().unwrap_or("https"))
        .authority(authority.as_str())
        .path_and_query(path)
        .build()
        .map_err(|e| ConstructionError::Request(e.to_string()))?;
    let host = HeaderValue::from_str(host_header(endpoint, &authority))
        .map_err(|e| ConstructionError::Request(format!("host header: {e}")))?;
    let body = payload.body.clone();
    let mut builder = Request::builder();
    if let Some(encoding) = payload.content_encoding {
        builder = builder.header(http::header::CONTENT_ENCODING, encoding);
    }
    builder
        .method(Method::POST)
        .uri(uri)
        .header(HOST, host)
        .header(CONTENT_TYPE, O::SERVICE.protocol.content_type())
        .header(CONTENT_LENGTH, body.len())
        .header(X_AMZ_TARGET, O::TARGET)
        .header(USER_AGENT, USER_AGENT_VALUE)
        .body(body)
        .map_err(|e| ConstructionError::Request(e.to_string()))
}

/// The `Host` header hyper would send: the authority without user info and without the
/// scheme's default port.
fn host_header<'a>(endpoint: &Uri, authority: &'a str) -> &'a str {
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let default_port = match endpoint.scheme_str() {
        Some("http") => ":80",
        _ => ":443",
    };
    authority.strip_suffix(default_port).unwrap_or(authority)
}

/// The request id of a response (`x-amzn-RequestId`, else `x-amz-request-id`).
pub fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-amzn-requestid", "x-amz-request-id"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Turns a complete response into the operation's output or error.
pub fn parse_response<O: Operation>(
    status: StatusCode,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<O::Output, Error<O::Error>> {
    let request_id = request_id(headers);
    if status.is_success() {
        // An operation the model gives no output: whatever body comes is not read (a service
        // may add output later; the suite's handles_unexpected_json_output).
        let body = if O::UNIT_OUTPUT { Bytes::new() } else { body };
        let parsed = if body.iter().all(u8::is_ascii_whitespace) {
            serde_json::from_slice::<O::Output>(b"{}")
        } else {
            // One UTF-8 check of the whole body, then a parse that skips the per-string
            // checks (a fifth faster on a page of 100 jobs); invalid UTF-8 goes through
            // `from_slice`, whose error says where.
            match std::str::from_utf8(&body) {
                Ok(text) => serde_json::from_str::<O::Output>(text),
                Err(_) => serde_json::from_slice::<O::Output>(&body),
            }
        };
        return match parsed {
            Ok(mut output) => {
                personalize_model::RequestId::set_request_id(&mut output, request_id);
                Ok(output)
            }
            Err(source) => Err(Error::Response(ResponseError {
                operation: O::NAME,
                status: status.as_u16(),
                request_id,
                snippet: snippet(&body),
                source,
            })),
        };
    }
    // Like botocore: a response naming no code is known by its status, and when it says
    // nothing at all, the status's reason phrase stands in for the message.
    let json = serde_json::from_slice::<Value>(&body).unwrap_or(Value::Null);
    let ErrorDetails { code, message } = ErrorDetails::from_json(headers, &json);
    let (code, message) = match (code, message) {
        (Some(code), message) => (code, message),
        (None, Some(message)) => (status.as_u16().to_string(), Some(message)),
        (None, None) => (
            status.as_u16().to_string(),
            status.canonical_reason().map(str::to_owned),
        ),
    };
    Err(Error::Service(ServiceError {
        err: O::Error::from_body(&code, &json, message),
        status: status.as_u16(),
        request_id,
        raw_body: body,
    }))
}

/// The first 200 characters of a body, for error messages.
fn snippet(body: &[u8]) -> String {
    String::from_utf8_lossy(body).chars().take(200).collect()
}

/// Code and message read off an error response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorDetails {
    /// The code, stripped of namespace (`ns#`) and suffix (`:...`).
    pub code: Option<String>,
    /// The message (`message`, `Message` or `errorMessage`).
    pub message: Option<String>,
}

impl ErrorDetails {
    /// Code from the `X-Amzn-ErrorType` header, else the body's `code`, else its `__type`;
    /// message from the body's `message`, `Message` or `errorMessage`. A body that is not a
    /// JSON object contributes nothing.
    pub fn parse(headers: &HeaderMap, body: &[u8]) -> Self {
        let json = serde_json::from_slice::<Value>(body).unwrap_or(Value::Null);
        Self::from_json(headers, &json)
    }

    /// [`ErrorDetails::parse`] on a body already read as JSON.
    pub fn from_json(headers: &HeaderMap, json: &Value) -> Self {
        let field = |names: &[&str]| {
            let object = json.as_object()?;
            names
                .iter()
                .find_map(|name| object.get(*name)?.as_str().map(str::to_owned))
        };
        let clean = |raw: String| Some(sanitize_code(&raw).to_owned()).filter(|c| !c.is_empty());
        let code = headers
            .get("x-amzn-errortype")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| clean(v.to_owned()))
            .or_else(|| field(&["code"]).and_then(clean))
            .or_else(|| field(&["__type"]).and_then(clean));
        let message = field(&["message", "Message", "errorMessage"]);
        Self { code, message }
    }
}

/// `aws.protocoljson#Foo:http://internal/` → `Foo`.
pub fn sanitize_code(raw: &str) -> &str {
    let before_colon = raw.split(':').next().unwrap_or(raw);
    before_colon
        .rsplit('#')
        .next()
        .unwrap_or(before_colon)
        .trim()
}

#[cfg(test)]
mod tests {
    use http::{HeaderMap, StatusCode};
    use personalize_model::operation::list_batch_segment_jobs::ListBatchSegmentJobs;

    use super::*;

    fn parse(body: &[u8]) -> Result<<ListBatchSegmentJobs as Operation>::Output, String> {
        parse_response::<ListBatchSegmentJobs>(
            StatusCode::OK,
            &HeaderMap::new(),
            Bytes::copy_from_slice(body),
        )
        .map_err(|e| e.to_string())
    }

    #[test]
    fn a_body_of_valid_utf8_parses_with_its_non_ascii_text() {
        let output = parse(
            r#"{"batchSegmentJobs":[{"jobName":"jöb-ü","failureReason":"日本"}]}"#.as_bytes(),
        )
        .unwrap();
        let job = &output.batch_segment_jobs.unwrap()[0];
        assert_eq!(job.job_name.as_deref(), Some("jöb-ü"));
        assert_eq!(job.failure_reason.as_deref(), Some("日本"));
    }

    #[test]
    fn the_body_of_an_operation_without_output_is_not_read() {
        use personalize_model::operation::delete_campaign::DeleteCampaign;
        let mut headers = HeaderMap::new();
        headers.insert("x-amzn-requestid", "r-1".parse().unwrap());
        for body in [&b""[..], b"{}", b"{\"later\": 1}", b"not json"] {
            let output = parse_response::<DeleteCampaign>(
                StatusCode::OK,
                &headers,
                Bytes::copy_from_slice(body),
            )
            .unwrap();
            assert_eq!(
                personalize_model::RequestId::request_id(&output),
                Some("r-1")
            );
        }
    }

    #[test]
    fn invalid_utf8_in_a_200_body_is_a_response_error_saying_where() {
        let error = parse(b"{\"batchSegmentJobs\":[{\"jobName\":\"j\xff\"}]}").unwrap_err();
        assert!(error.contains("HTTP 200"), "{error}");
        assert!(
            error.contains("invalid unicode code point at line 1 column 35"),
            "{error}"
        );
    }
}
