//! `@requestCompression` end to end, which the suite's own cases cannot show for the server
//! (they give no request to serve): the client gzips a large body and says so, leaves a small
//! one alone, and the mock reads the gzipped request back into the same input.

use std::cell::RefCell;
use std::io::Read;

use personalize_client::{Client, Config, Credentials};
use personalize_mock::protocol::{handle, serve};
use personalize_mock::{Context, Reply};
use personalize_model::Operation;
use protocol_tests_model::operation::put_with_content_encoding::{
    PutWithContentEncoding, PutWithContentEncodingInput,
};

fn client() -> Client {
    Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url("https://example.com")
            .credentials(Credentials::new("AKIDEXAMPLE", "SECRET", None))
            .build()
            .unwrap(),
    )
}

fn input(len: usize) -> PutWithContentEncodingInput {
    PutWithContentEncodingInput::builder()
        .data("x".repeat(len))
        .build()
}

#[test]
fn a_large_body_is_gzipped_and_the_mock_reads_it_back() {
    let input = input(20_000);
    let request = client()
        .signed_request::<PutWithContentEncoding>(&input)
        .unwrap();
    assert_eq!(request.headers()["content-encoding"], "gzip");
    assert!(
        request.body().len() < 1_000,
        "{} bytes",
        request.body().len()
    );
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(&request.body()[..])
        .read_to_end(&mut json)
        .unwrap();
    assert_eq!(json, serde_json::to_vec(&input).unwrap());

    let ctx = Context::new("r");
    let seen = RefCell::new(None);
    let response = handle(&ctx, &request, |target, parts| {
        (target == PutWithContentEncoding::TARGET.as_bytes()).then(|| {
            serve::<PutWithContentEncoding>(&ctx, parts, |_, got| {
                seen.replace(Some(got));
                Ok(Reply::Output(Default::default()))
            })
        })
    });
    assert_eq!(response.status(), 200);
    assert_eq!(seen.into_inner(), Some(input));
}

#[test]
fn a_small_body_is_sent_as_is() {
    let request = client()
        .signed_request::<PutWithContentEncoding>(&input(100))
        .unwrap();
    assert!(request.headers().get("content-encoding").is_none());
    assert!(request.body().starts_with(b"{\""));
}

#[test]
fn the_mock_refuses_a_body_that_is_not_the_gzip_it_claims() {
    let mut request = client()
        .signed_request::<PutWithContentEncoding>(&input(100))
        .unwrap();
    request
        .headers_mut()
        .insert("content-encoding", "gzip".parse().unwrap());
    let ctx = Context::new("r");
    let response = handle(&ctx, &request, |_, parts| {
        Some(serve::<PutWithContentEncoding>(&ctx, parts, |_, _| {
            Ok(Reply::Output(Default::default()))
        }))
    });
    assert_eq!(response.status(), 400);
    let body = String::from_utf8_lossy(response.body());
    assert!(body.contains("not valid gzip"), "{body}");
}
