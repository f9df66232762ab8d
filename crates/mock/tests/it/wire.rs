//! Wire tests: every error of the awsJson mapping, token tampering, paging, concurrency.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::time::Duration;

use crate::common::*;
use bytes::Bytes;
use personalize_mock::{MockServer, MockService, MAX_BODY_BYTES};
use rstest::rstest;
use serde_json::json;

const JSON_11: (&str, &str) = ("content-type", "application/x-amz-json-1.1");
const TARGET_HDR: (&str, &str) = ("x-amz-target", TARGET);

fn assert_error_shape(reply: &Reply, status: u16, code: &str) {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(reply.error_type(), code, "{}", reply.body);
    assert!(reply.body["message"].is_string(), "{}", reply.body);
    assert_eq!(
        reply
            .headers
            .get("x-amzn-errortype")
            .and_then(|v| v.to_str().ok()),
        Some(code)
    );
    assert_eq!(
        reply.headers.get("content-type").unwrap(),
        "application/x-amz-json-1.1"
    );
    assert!(reply.headers.contains_key("x-amzn-requestid"));
}

#[rstest]
#[case::missing_target("POST", "/", &[JSON_11], "{}", 400, "UnknownOperationException")]
#[case::unknown_target("POST", "/", &[JSON_11, ("x-amz-target", "AmazonPersonalize.ListWidgets")], "{}", 400, "UnknownOperationException")]
#[case::other_service_target("POST", "/", &[JSON_11, ("x-amz-target", "DynamoDB_20120810.ListTables")], "{}", 400, "UnknownOperationException")]
#[case::wrong_content_type("POST", "/", &[("content-type", "application/json"), TARGET_HDR], "{}", 400, "UnknownOperationException")]
#[case::missing_content_type("POST", "/", &[TARGET_HDR], "{}", 400, "UnknownOperationException")]
#[case::get("GET", "/", &[JSON_11, TARGET_HDR], "", 405, "UnknownOperationException")]
#[case::put("PUT", "/", &[JSON_11, TARGET_HDR], "{}", 405, "UnknownOperationException")]
#[case::other_path("POST", "/2018-05-22/jobs", &[JSON_11, TARGET_HDR], "{}", 404, "UnknownOperationException")]
#[case::malformed_json("POST", "/", &[JSON_11, TARGET_HDR], "{\"maxResults\":", 400, "SerializationException")]
#[case::trailing_garbage("POST", "/", &[JSON_11, TARGET_HDR], "{} x", 400, "SerializationException")]
#[case::invalid_utf8("POST", "/", &[JSON_11, TARGET_HDR], &b"{\"nextToken\":\"\xff\"}"[..], 400, "SerializationException")]
#[case::array_body("POST", "/", &[JSON_11, TARGET_HDR], "[]", 400, "SerializationException")]
#[case::string_body("POST", "/", &[JSON_11, TARGET_HDR], "\"x\"", 400, "SerializationException")]
#[case::number_body("POST", "/", &[JSON_11, TARGET_HDR], "1", 400, "SerializationException")]
#[case::null_body("POST", "/", &[JSON_11, TARGET_HDR], "null", 400, "SerializationException")]
#[case::max_results_string("POST", "/", &[JSON_11, TARGET_HDR], r#"{"maxResults":"2"}"#, 400, "SerializationException")]
#[case::max_results_fraction("POST", "/", &[JSON_11, TARGET_HDR], r#"{"maxResults":1.5}"#, 400, "SerializationException")]
#[case::max_results_beyond_i32("POST", "/", &[JSON_11, TARGET_HDR], r#"{"maxResults":1e12}"#, 400, "SerializationException")]
#[case::arn_number("POST", "/", &[JSON_11, TARGET_HDR], r#"{"solutionVersionArn":5}"#, 400, "SerializationException")]
#[case::token_object("POST", "/", &[JSON_11, TARGET_HDR], r#"{"nextToken":{}}"#, 400, "SerializationException")]
#[case::max_results_zero("POST", "/", &[JSON_11, TARGET_HDR], r#"{"maxResults":0}"#, 400, "InvalidInputException")]
#[case::max_results_101("POST", "/", &[JSON_11, TARGET_HDR], r#"{"maxResults":101}"#, 400, "InvalidInputException")]
#[case::max_results_negative("POST", "/", &[JSON_11, TARGET_HDR], r#"{"maxResults":-3}"#, 400, "InvalidInputException")]
#[case::bad_arn("POST", "/", &[JSON_11, TARGET_HDR], r#"{"solutionVersionArn":"arn:aws:s3:::bucket"}"#, 400, "InvalidInputException")]
#[case::non_ascii_token("POST", "/", &[JSON_11, TARGET_HDR], r#"{"nextToken":"é"}"#, 400, "InvalidInputException")]
#[case::bogus_token("POST", "/", &[JSON_11, TARGET_HDR], r#"{"nextToken":"bogus"}"#, 400, "InvalidNextTokenException")]
#[case::empty_token("POST", "/", &[JSON_11, TARGET_HDR], r#"{"nextToken":""}"#, 400, "InvalidNextTokenException")]
#[tokio::test]
async fn errors(
    #[case] method: &str,
    #[case] path: &str,
    #[case] headers: &[(&str, &str)],
    #[case] body: impl AsRef<[u8]>,
    #[case] status: u16,
    #[case] code: &str,
) {
    let server = MockServer::builder().seed(&jobs(3)).start().await.unwrap();
    let body = Bytes::copy_from_slice(body.as_ref());
    let reply = send(&server.url(), method, path, headers, body).await;
    assert_error_shape(&reply, status, code);
}

#[rstest]
#[case::empty_object("{}")]
#[case::empty_body("")]
#[case::whitespace_body(" \n")]
#[case::nulls(r#"{"solutionVersionArn":null,"nextToken":null,"maxResults":null}"#)]
#[case::unknown_members(r#"{"somethingNew":[1,{"a":null}],"maxResults":100}"#)]
#[tokio::test]
async fn lenient_bodies_list_everything(#[case] body: &str) {
    let server = MockServer::builder().seed(&jobs(3)).start().await.unwrap();
    let reply = send(
        &server.url(),
        "POST",
        "/",
        &[JSON_11, TARGET_HDR],
        body.to_owned(),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.arns(), expected_order(&jobs(3), None));
    assert_eq!(reply.token(), None);
}

#[rstest]
#[case::charset("application/x-amz-json-1.1; charset=utf-8")]
#[case::upper_case("Application/X-Amz-Json-1.1")]
#[tokio::test]
async fn content_type_parameters_are_accepted(#[case] content_type: &str) {
    let server = MockServer::builder().seed(&jobs(2)).start().await.unwrap();
    let headers = [
        ("content-type", content_type),
        TARGET_HDR,
        (
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20231114/us-east-1/personalize/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123abcd",
        ),
        ("x-amz-date", "20231114T221321Z"),
    ];
    let reply = send(&server.url(), "POST", "/", &headers, "{}").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.arns().len(), 2);
}

#[tokio::test]
async fn success_headers_and_exact_timestamps() {
    let server = MockServer::builder()
        .seed(&seed_of(&[job(0)]))
        .start()
        .await
        .unwrap();
    let reply = call(&server.url(), json!({})).await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.headers.get("content-type").unwrap(),
        "application/x-amz-json-1.1"
    );
    let id = reply
        .headers
        .get("x-amzn-requestid")
        .unwrap()
        .to_str()
        .unwrap();
    let groups: Vec<usize> = id.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12], "{id}");
    assert!(id.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    let j = &reply.body["batchSegmentJobs"][0];
    // The number is written as the exact decimal, milliseconds intact.
    assert_eq!(j["creationDateTime"].to_string(), "1700000000.123");
    assert_eq!(j["lastUpdatedDateTime"].to_string(), "1700000060.123");
    assert_eq!(j["status"], "CREATE FAILED");
    assert_eq!(j["failureReason"], "out of memory");
    assert_eq!(j["solutionVersionArn"], SV1);
    assert!(reply.body.get("nextToken").is_none());
}

#[tokio::test]
async fn invalid_input_message_is_the_aws_validation_form() {
    let server = MockServer::start().await.unwrap();
    let reply = call(
        &server.url(),
        json!({"maxResults": 101, "solutionVersionArn": "x"}),
    )
    .await;
    assert_eq!(
        reply.body["message"],
        "2 validation errors detected: Value 'x' at 'solutionVersionArn' failed to satisfy \
         constraint: Member must satisfy regular expression pattern: \
         ^arn:([a-z\\d-]+):personalize:.*:.*:.+$; Value '101' at 'maxResults' failed to satisfy \
         constraint: Member must have value less than or equal to 100"
    );
    let long = "A".repeat(1501);
    let reply = call(&server.url(), json!({ "nextToken": long })).await;
    assert_error_shape(&reply, 400, "InvalidInputException");
    assert!(reply.body["message"]
        .as_str()
        .unwrap()
        .contains("at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to 1500"));
}

#[tokio::test]
async fn wrong_type_message_names_the_member() {
    let server = MockServer::start().await.unwrap();
    let reply = call(&server.url(), json!({"nextToken": "t", "maxResults": "2"})).await;
    assert_error_shape(&reply, 400, "SerializationException");
    assert!(
        reply.body["message"]
            .as_str()
            .unwrap()
            .contains("'maxResults'"),
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn oversized_body_gets_413_and_the_server_keeps_serving() {
    let server = MockServer::builder().seed(&jobs(2)).start().await.unwrap();
    let big = format!("{{\"x\":\"{}\"}}", "a".repeat(MAX_BODY_BYTES));
    let reply = send(&server.url(), "POST", "/", &[JSON_11, TARGET_HDR], big).await;
    assert_error_shape(&reply, 413, "RequestEntityTooLargeException");
    // Just under the limit is served.
    let fits = format!("{{\"x\":\"{}\"}}", "a".repeat(MAX_BODY_BYTES - 10));
    let reply = send(&server.url(), "POST", "/", &[JSON_11, TARGET_HDR], fits).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(call(&server.url(), json!({})).await.arns().len(), 2);
}

#[tokio::test]
async fn chunked_oversized_body_gets_413() {
    let server = MockServer::start().await.unwrap();
    let addr = server.addr();
    let status = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let head = format!(
            "POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-amz-json-1.1\r\n\
             x-amz-target: {TARGET}\r\ntransfer-encoding: chunked\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).unwrap();
        let chunk = vec![b' '; 64 * 1024];
        for _ in 0..(MAX_BODY_BYTES / chunk.len() + 2) {
            let frame = format!("{:x}\r\n", chunk.len());
            if stream.write_all(frame.as_bytes()).is_err()
                || stream.write_all(&chunk).is_err()
                || stream.write_all(b"\r\n").is_err()
            {
                break; // the server answered and closed: fine
            }
        }
        // The body never ends: the client stops sending (the server reads the rest of an
        // oversized body, so it would otherwise keep the connection to its read timeout).
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        String::from_utf8_lossy(&response).into_owned()
    })
    .await
    .unwrap();
    assert!(status.starts_with("HTTP/1.1 413"), "{status}");
    assert!(
        status.contains("RequestEntityTooLargeException"),
        "{status}"
    );
    assert_eq!(call(&server.url(), json!({})).await.status, 200);
}

#[tokio::test]
async fn garbage_on_the_socket_does_not_stop_the_server() {
    let server = MockServer::builder().seed(&jobs(1)).start().await.unwrap();
    let addr = server.addr();
    tokio::task::spawn_blocking(move || {
        for garbage in [
            &b"\x00\x01\x02 nonsense\r\n\r\n"[..],
            b"POST / HTTP/9.9\r\n\r\n",
            b"",
        ] {
            let mut stream = std::net::TcpStream::connect(addr).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            stream.write_all(garbage).unwrap();
            stream.shutdown(std::net::Shutdown::Write).unwrap();
            let mut response = Vec::new();
            let _ = stream.read_to_end(&mut response);
        }
    })
    .await
    .unwrap();
    assert_eq!(call(&server.url(), json!({})).await.status, 200);
}

#[tokio::test]
async fn paging_lists_every_job_once_in_order() {
    let all = jobs(250);
    let server = MockServer::builder().seed(&all).start().await.unwrap();
    let url = server.url();
    assert_eq!(
        list_all(&url, None, &[100]).await,
        expected_order(&all, None)
    );
    assert_eq!(
        list_all(&url, Some(SV2), &[7]).await,
        expected_order(&all, Some(SV2))
    );
    let unknown = "arn:aws:personalize:us-east-1:1:solution/none/1";
    assert_eq!(
        list_all(&url, Some(unknown), &[5]).await,
        Vec::<String>::new()
    );
    // Default page size is 100.
    let first = call(&url, json!({})).await;
    assert_eq!(first.arns().len(), 100);
    assert!(first.token().is_some());
}

#[tokio::test]
async fn page_size_may_change_between_pages() {
    let all = jobs(60);
    let server = MockServer::builder().seed(&all).start().await.unwrap();
    let arns = list_all(&server.url(), Some(SV1), &[2, 5, 1, 100, 3]).await;
    assert_eq!(arns, expected_order(&all, Some(SV1)));
}

#[tokio::test]
async fn last_page_has_no_token_even_when_full() {
    let all = jobs(6);
    let server = MockServer::builder().seed(&all).start().await.unwrap();
    let first = call(&server.url(), json!({"maxResults": 3})).await;
    let token = first.token().unwrap();
    let last = call(&server.url(), json!({"maxResults": 3, "nextToken": token})).await;
    assert_eq!(last.arns().len(), 3);
    assert!(last.body.get("nextToken").is_none(), "{}", last.body);
    let empty = MockServer::start().await.unwrap();
    let reply = call(&empty.url(), json!({})).await;
    assert_eq!(reply.body, json!({"batchSegmentJobs": []}));
}

/// A token from page 1 of a listing filtered by SV1, with its server.
async fn issued_token() -> (MockServer, String) {
    let server = MockServer::builder().seed(&jobs(20)).start().await.unwrap();
    let reply = call(
        &server.url(),
        json!({"solutionVersionArn": SV1, "maxResults": 2}),
    )
    .await;
    let token = reply.token().unwrap();
    assert!(token.is_ascii() && token.len() <= 1500);
    (server, token)
}

fn flip(token: &str, at: usize) -> String {
    let mut bytes = token.as_bytes().to_vec();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).unwrap()
}

#[rstest]
#[case::flip_first(|t: &str| flip(t, 0))]
#[case::flip_middle(|t: &str| flip(t, t.len() / 2))]
#[case::flip_last(|t: &str| flip(t, t.len() - 1))]
#[case::truncate_one(|t: &str| t[..t.len() - 1].to_owned())]
#[case::truncate_half(|t: &str| t[..t.len() / 2].to_owned())]
#[case::extend(|t: &str| format!("{t}AA"))]
#[case::padding(|t: &str| format!("{t}="))]
#[case::standard_base64_alphabet(|t: &str| t.replace('-', "+").replace('_', "/") + "+/")]
#[tokio::test]
async fn tampered_tokens_are_refused(#[case] tamper: fn(&str) -> String) {
    let (server, token) = issued_token().await;
    let bad = tamper(&token);
    assert_ne!(bad, token);
    let reply = call(
        &server.url(),
        json!({"solutionVersionArn": SV1, "maxResults": 2, "nextToken": bad}),
    )
    .await;
    assert_error_shape(&reply, 400, "InvalidNextTokenException");
    // The genuine token still works.
    let reply = call(
        &server.url(),
        json!({"solutionVersionArn": SV1, "maxResults": 2, "nextToken": token}),
    )
    .await;
    assert_eq!(reply.status, 200);
}

#[tokio::test]
async fn every_single_byte_flip_is_refused() {
    let (server, token) = issued_token().await;
    let service: MockService = server.service();
    for at in 0..token.len() {
        let body = json!({"solutionVersionArn": SV1, "nextToken": flip(&token, at)});
        let (status, code, reply) = handle(&service, "ListBatchSegmentJobs", &body.to_string());
        assert_eq!(
            (status, code.as_str()),
            (400, "InvalidNextTokenException"),
            "flip at {at}: {reply}"
        );
    }
}

#[rstest]
#[case::other_filter(Some(SV2))]
#[case::no_filter(None)]
#[tokio::test]
async fn token_replayed_with_another_filter_is_refused(#[case] filter: Option<&str>) {
    let (server, token) = issued_token().await;
    let mut body = json!({"maxResults": 2, "nextToken": token});
    if let Some(f) = filter {
        body["solutionVersionArn"] = f.into();
    }
    let reply = call(&server.url(), body).await;
    assert_error_shape(&reply, 400, "InvalidNextTokenException");
}

#[tokio::test]
async fn token_of_another_server_is_refused() {
    let (_first, token) = issued_token().await;
    let (second, _) = issued_token().await;
    let reply = call(
        &second.url(),
        json!({"solutionVersionArn": SV1, "nextToken": token}),
    )
    .await;
    assert_error_shape(&reply, 400, "InvalidNextTokenException");
}

#[tokio::test]
async fn inserts_between_pages_do_not_disturb_a_listing() {
    let original = jobs(300);
    let server = MockServer::builder().seed(&original).start().await.unwrap();
    let url = server.url();
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut extra = 1_000_000;
    loop {
        let mut body = json!({"maxResults": 7});
        if let Some(t) = &token {
            body["nextToken"] = t.clone().into();
        }
        let reply = call(&url, body).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let page = reply.arns();
        // New jobs newer than all, older than all, in the middle, and tied with the cursor job
        // (stored later, so it sorts right after the cursor's timestamp group).
        let last = page.last().cloned();
        let mut new_jobs = vec![job(extra), job(extra + 1), job(extra + 2)];
        new_jobs[0].creation_date_time =
            Some(personalize_model::DateTime::from_secs(2_000_000_000));
        new_jobs[1].creation_date_time = Some(personalize_model::DateTime::from_secs(1));
        new_jobs[2].creation_date_time = original[150].creation_date_time;
        if let Some(last) = last {
            let cursor_job = original
                .iter()
                .find(|j| j.batch_segment_job_arn.as_deref() == Some(&last))
                .unwrap();
            let mut tie = cursor_job.clone();
            tie.batch_segment_job_arn = Some(format!("{last}-tie"));
            new_jobs.push(tie);
        }
        extra += 3;
        server.seed(&seed_of(&new_jobs)).unwrap();
        seen.extend(page);
        token = reply.token();
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen, expected_order(&original, None));
    assert!(
        server.service().len() > 300 + 100,
        "jobs were inserted meanwhile"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_inserts_during_listings() {
    let original = jobs(2_000);
    let server = MockServer::builder().seed(&original).start().await.unwrap();
    let url = server.url();
    // Both listings begin (first page served) before the writer starts.
    let first_a = call(&url, json!({"maxResults": 13})).await;
    let first_b = call(&url, json!({"maxResults": 50, "solutionVersionArn": SV1})).await;
    let service = server.service();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut n = 10_000_000usize;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let mut j = job(n);
                // Spread new jobs over the whole time range, before and after any cursor.
                j.creation_date_time = Some(personalize_model::DateTime::from_millis(
                    1_700_000_000_000 + (n as i64 * 7919) % 700_000,
                ));
                service.seed(&seed_of(&[j])).unwrap();
                n += 1;
                if n % 64 == 0 {
                    std::thread::yield_now();
                }
            }
            n - 10_000_000
        })
    };
    let (rest_a, rest_b) = tokio::join!(
        list_rest(&url, None, 13, first_a.token()),
        list_rest(&url, Some(SV1), 3, first_b.token())
    );
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let inserted = writer.join().unwrap();
    assert!(inserted > 0);
    let a: Vec<String> = first_a.arns().into_iter().chain(rest_a).collect();
    let b: Vec<String> = first_b.arns().into_iter().chain(rest_b).collect();
    let unique: HashSet<_> = a.iter().collect();
    assert_eq!(unique.len(), a.len(), "a job was listed twice");
    assert_eq!(a, expected_order(&original, None));
    assert_eq!(b, expected_order(&original, Some(SV1)));
    // A listing started now sees the new jobs.
    assert_eq!(list_all(&url, None, &[100]).await.len(), 2_000 + inserted);
}

#[tokio::test]
async fn reset_and_seed_through_the_handle() {
    let server = MockServer::start().await.unwrap();
    server.seed(&seed_of(&[job(1)])).unwrap();
    assert_eq!(call(&server.url(), json!({})).await.arns(), [arn(1)]);
    server.reset();
    assert_eq!(
        call(&server.url(), json!({})).await.arns(),
        Vec::<String>::new()
    );
    let refused = server
        .seed(&seed_of(&[
            personalize_model::types::BatchSegmentJobSummary::builder().build(),
        ]))
        .unwrap_err();
    assert!(
        refused.to_string().contains("batchSegmentJobs[0]"),
        "{refused}"
    );
    assert!(server.service().is_empty());
}

#[tokio::test]
async fn shutdown_stops_listening() {
    let server = MockServer::start().await.unwrap();
    let addr = server.addr();
    server.shutdown().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[test]
fn mutated_bodies_never_get_500() {
    use rand::{RngExt, SeedableRng};
    let service = MockService::default();
    service.seed(&jobs(10)).unwrap();
    let seeds: [&[u8]; 3] = [
        br#"{"solutionVersionArn":"arn:aws:personalize:us-east-1:1:solution/a/1","maxResults":5,"nextToken":"AQAAAA"}"#,
        br#"{"maxResults":100}"#,
        br#"{"a":[{"b":null}],"nextToken":null}"#,
    ];
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    for i in 0..5_000 {
        let mut body = seeds[i % seeds.len()].to_vec();
        for _ in 0..rng.random_range(1..6) {
            let at = rng.random_range(0..body.len());
            match rng.random_range(0..3) {
                0 => body[at] = rng.random(),
                1 => {
                    body.remove(at);
                }
                _ => body.insert(at, b"{}[]\":,0-e.\\n"[rng.random_range(0..13)]),
            }
            if body.is_empty() {
                body.push(b'{');
            }
        }
        let request = http::Request::builder()
            .method("POST")
            .uri("/")
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", TARGET)
            .body(Bytes::from(body.clone()))
            .unwrap();
        let response = service.handle(request);
        assert!(
            response.status() == 200 || response.status() == 400,
            "{} for {:?}",
            response.status(),
            String::from_utf8_lossy(&body)
        );
        let parsed: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
        if response.status() == 400 {
            assert!(parsed["__type"].is_string());
        }
    }
    let deep = "[".repeat(100_000);
    let request = http::Request::builder()
        .method("POST")
        .uri("/")
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", TARGET)
        .body(Bytes::from(deep))
        .unwrap();
    assert_eq!(service.handle(request).status(), 400);
}
