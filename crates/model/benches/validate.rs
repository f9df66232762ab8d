//! Nanoseconds to validate a full `ListBatchSegmentJobs` input (every member set), as the mock
//! does for every request: `cargo bench -p personalize-model --bench validate`.
//!
//! `personalize-bench` reads the medians from `target/criterion/validate_list_batch_segment_jobs_input/`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use personalize_model::operation::list_batch_segment_jobs::ListBatchSegmentJobsInput;
use personalize_model::validation::PatternDfa;
use personalize_model::Validate;
use regex_automata::dfa::{dense, Automaton, StartKind};

/// What a client sends for the second page of one solution version's jobs: a 67-character
/// ARN and a 164-character token (the size of the mock's tokens).
fn typical() -> ListBatchSegmentJobsInput {
    ListBatchSegmentJobsInput::builder()
        .solution_version_arn("arn:aws:personalize:us-east-1:123456789012:solution/segments-7/00000007")
        .next_token("AQAAAAAAAA9CQQEABf0-gnLNcGFybjphd3M6cGVyc29uYWxpemU6dXMtZWFzdC0xOjEyMzQ1Njc4OTAxMjpiYXRjaC1zZWdtZW50LWpvYi9zZWdtZW50cy0wMDAwMDk5pX1G2Nq9Gk8aU2kE3rUUp6k1p4PT6cRZ0LpZKX4Yl3A")
        .max_results(100)
        .build()
}

/// The longest valid values: a 256-character ARN and a 1500-character token.
fn longest() -> ListBatchSegmentJobsInput {
    let prefix = "arn:aws:personalize:us-east-1:123456789012:solution/";
    let arn = format!("{prefix}{}", "s".repeat(256 - prefix.len()));
    ListBatchSegmentJobsInput::builder()
        .solution_version_arn(arn)
        .next_token("t".repeat(1500))
        .max_results(100)
        .build()
}

fn validate(c: &mut Criterion) {
    let mut group = c.benchmark_group("validate_list_batch_segment_jobs_input");
    for (name, input) in [("typical", typical()), ("longest", longest())] {
        assert!(input.validate().is_ok(), "{name} input must be valid");
        group.bench_function(name, |b| b.iter(|| black_box(&input).validate()));
    }
    group.finish();
}

/// A dense DFA serialized as `cargo xtask codegen` does it (anchored-only for `^...`).
fn serialized(pattern: &str) -> (Vec<u8>, usize) {
    let build = |start| {
        dense::Builder::new()
            .configure(dense::DFA::config().start_kind(start).minimize(true))
            .build(pattern)
            .expect("the pattern compiles")
    };
    let mut dfa = build(StartKind::Unanchored);
    if dfa.is_always_start_anchored() {
        dfa = build(StartKind::Anchored);
    }
    dfa.to_bytes_native_endian()
}

/// The `NextToken` pattern `^\p{ASCII}{0,1500}$` as the generated code would check it without
/// its byte check (a DFA search) versus the byte check it amounts to.
fn next_token_pattern(c: &mut Criterion) {
    let (buf, pad) = serialized("^\\p{ASCII}{0,1500}$");
    let dfa = PatternDfa::from_dense_bytes(&buf[pad..]).expect("the DFA deserializes");
    let token = typical().next_token.unwrap_or_default();
    let mut group = c.benchmark_group("next_token_pattern");
    group.bench_function("dfa", |b| b.iter(|| dfa.is_match(black_box(&token))));
    group.bench_function("is_ascii", |b| b.iter(|| black_box(&token).is_ascii()));
    group.finish();
}

/// The `Arn` pattern on a typical ARN: one search, versus reading the DFA from its bytes
/// (what `LazyDfa` does once, not per check).
fn arn_pattern(c: &mut Criterion) {
    let translated = "^arn:([a-z0-9-]+):personalize:[^\\n\\r\\x{2028}\\x{2029}]*:[^\\n\\r\\x{2028}\\x{2029}]*:[^\\n\\r\\x{2028}\\x{2029}]+$";
    let (buf, pad) = serialized(translated);
    let bytes = &buf[pad..];
    let dfa = PatternDfa::from_dense_bytes(bytes).expect("the DFA deserializes");
    let arn = typical().solution_version_arn.unwrap_or_default();
    assert_eq!(dfa.is_match(&arn), Some(true));
    let mut group = c.benchmark_group("arn_pattern");
    group.bench_function("search", |b| b.iter(|| dfa.is_match(black_box(&arn))));
    group.bench_function("from_bytes", |b| {
        b.iter(|| PatternDfa::from_dense_bytes(black_box(bytes)).is_ok())
    });
    group.finish();
}

criterion_group!(benches, validate, next_token_pattern, arn_pattern);
criterion_main!(benches);
