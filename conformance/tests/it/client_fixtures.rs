//! Every fixture through personalize-client against a wiremock server answering as recorded:
//! the request it sends must match the recording, its parsed result must be what the recorded
//! response means, and it must equal what the AWS SDK for Rust makes of the same answer, except
//! for the differences listed in `KNOWN_DIFFERENCES` (each of which must still occur).
//!
//! The SDK is driven the same way for every operation: `for_each_operation!` builds the table
//! from operation name to its fluent method, and its output is read back from its `Debug` text
//! (the SDK's types have no serializer; a small reader for that text lives here because no
//! crate parses `Debug` output), keys compared by their letters (`datasetGroupArn` =
//! `dataset_group_arn`) and enum variants by the wire value's letters (`Ecommerce` =
//! `ECOMMERCE`); `@sensitive` members, which the SDK's `Debug` redacts, are not compared.

use std::path::PathBuf;

use aws_sdk_personalize::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_personalize::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_personalize::operation::RequestId as _;
use personalize_conformance::client_replay::{run_fixture, serve_recorded};
use personalize_conformance::fixture::{discover, fixture_name, Fixture, Step};
use personalize_conformance::normalize::canonical;
use personalize_conformance::Outcome;
use rstest::rstest;
use serde_json::{json, Map, Value};

/// A way the AWS SDK for Rust is known to read a response differently from personalize-client.
struct KnownDifference {
    /// Short id, used in snapshots.
    id: &'static str,
    /// Why the SDK differs, and who is right.
    why: &'static str,
    /// Whether a difference at `pointer` (ours vs the SDK's value) is this one.
    applies: fn(pointer: &str, ours: &Value, sdk: &Value) -> bool,
}

const KNOWN_DIFFERENCES: &[KnownDifference] = &[
    KnownDifference {
        id: "sdk-timestamp-f64-imprecision",
        why: "aws-smithy-types keeps the f64 error of epoch seconds in its nanoseconds, so \
              1700000001.123 becomes …21.122999906Z (printed …21.122999Z) and 1700000001.124 \
              …21.124000072Z; boto3 and the JS SDK read …21.123Z and …21.124Z, as \
              personalize-client does",
        applies: timestamp_off_by_f64_error,
    },
    KnownDifference {
        id: "sdk-absent-boolean-is-false",
        why: "the AWS SDK for Rust reads an absent boolean with a model default (Solution's \
              performHPO, performAutoML) as false; personalize-client keeps it absent, as the \
              answer was (boto3 also shows it absent)",
        applies: absent_boolean_read_as_false,
    },
];

/// `ours` is absent and the SDK's value is `false`.
fn absent_boolean_read_as_false(_pointer: &str, ours: &Value, sdk: &Value) -> bool {
    ours.is_null() && *sdk == Value::Bool(false)
}

/// `ours` is a whole millisecond and `sdk` is off it by less than a microsecond (f64 error).
fn timestamp_off_by_f64_error(pointer: &str, ours: &Value, sdk: &Value) -> bool {
    let (Some(ours), Some(sdk)) = (ours.as_str(), sdk.as_str()) else {
        return false;
    };
    if !pointer.ends_with("DateTime") {
        return false;
    }
    let split = |s: &str| -> Option<(String, i64)> {
        let body = s.strip_suffix('Z')?;
        let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
        Some((whole.to_owned(), format!("{frac:0<9}").parse().ok()?))
    };
    match (split(ours), split(sdk)) {
        (Some((w1, n1)), Some((w2, n2))) => {
            w1 == w2 && n1 % 1_000_000 == 0 && n1 != n2 && (n1 - n2).abs() <= 1000
        }
        _ => false,
    }
}

/// The AWS SDK for Rust aimed at a server answering with the step's recorded response.
async fn sdk_client(step: &Step) -> (aws_sdk_personalize::Client, wiremock::MockServer) {
    let server = serve_recorded(&step.response).await;
    let config = aws_sdk_personalize::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(server.uri())
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "secret",
            None,
            None,
            "test",
        ))
        .build();
    (aws_sdk_personalize::Client::from_conf(config), server)
}

/// What the SDK made of an answer, in the view form: the output read back from its `Debug`
/// text (the SDK's types implement no serializer), or the service error's code, message and
/// request id, its variant modeled unless the SDK filed it as `Unhandled`.
fn sdk_result<O: std::fmt::Debug, E: ProvideErrorMetadata + std::fmt::Debug>(
    result: Result<O, SdkError<E, aws_sdk_personalize::config::http::HttpResponse>>,
) -> Value {
    match result {
        Ok(out) => match debug_value(&format!("{out:?}")) {
            Ok(Value::Object(mut map)) => {
                if let Some(id) = map.remove("_request_id") {
                    map.insert("request_id".into(), id);
                }
                json!({ "output": Value::Object(map) })
            }
            Ok(other) => json!({ "output": other }),
            Err(e) => json!({ "error": { "variant": "UnreadableSdkOutput", "detail": e } }),
        },
        Err(SdkError::ServiceError(ctx)) => {
            let err = ctx.err();
            let modeled = !format!("{err:?}").starts_with("Unhandled(");
            json!({ "error": {
                "variant": if modeled { err.code().unwrap_or_default() } else { "Unhandled" },
                "code": err.code(),
                "message": err.message(),
                "status": ctx.raw().status().as_u16(),
                "requestId": err.meta().request_id(),
            }})
        }
        Err(other) => {
            json!({ "error": { "variant": "NotAServiceError", "detail": format!("{other:?}") } })
        }
    }
}

macro_rules! sdk_table {
    ($($name:ident($module:ident)),* $(,)?) => {
        /// Calls the SDK's operation `name` (its fluent method, named like the model's
        /// module) with the empty input: the oracle compares how the answer is read; the
        /// request is checked against the recording by the client replay.
        async fn sdk_call(name: &str, client: &aws_sdk_personalize::Client) -> Option<Value> {
            match name {
                $(stringify!($name) => Some(sdk_result(client.$module().send().await)),)*
                _ => None,
            }
        }
    };
}

personalize_model::for_each_operation!(sdk_table);

/// What the AWS SDK for Rust makes of the recorded response, in the comparable form.
async fn sdk_view(step: &Step) -> Result<Value, String> {
    let name = step
        .request
        .operation()
        .filter(|n| personalize_model::service::operation(n).is_some())
        .or_else(|| personalize_model::service::OPERATIONS.first().copied())
        .ok_or("no operation")?;
    let (client, _server) = sdk_client(step).await;
    sdk_call(name, &client)
        .await
        .ok_or_else(|| format!("the SDK has no operation {name}"))
}

/// Marks an SDK enum variant read from `Debug` (`Ecommerce`), to be compared with the wire
/// value (`ECOMMERCE`) by letters only.
const ENUM: &str = "\u{0}enum:";

/// What the SDK's `Debug` prints for a `@sensitive` member: not the value, so not comparable.
const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// Reads the `Debug` text of an SDK value (structs, `Some`/`None`, strings, numbers, lists,
/// maps, enum variants, timestamps) as JSON: struct fields by name, `None` as null.
fn debug_value(text: &str) -> Result<Value, String> {
    let mut p = DebugParser {
        s: text.as_bytes(),
        at: 0,
    };
    let v = p.value()?;
    p.ws();
    if p.at != p.s.len() {
        return Err(format!("trailing text at {}: {}", p.at, &text[p.at..]));
    }
    Ok(v)
}

struct DebugParser<'a> {
    s: &'a [u8],
    at: usize,
}

impl DebugParser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.s.get(self.at) == Some(&c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(format!("'{}' expected at {}", c as char, self.at))
        }
    }

    /// A bare token: an identifier, a number or a timestamp (`2023-11-14T22:13:21.123Z`).
    fn token(&mut self) -> String {
        self.ws();
        let start = self.at;
        while self.s.get(self.at).is_some_and(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+' | b':' | b'.')
        }) {
            self.at += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.at]).into_owned()
    }

    /// A field name: letters, digits and `_`.
    fn ident(&mut self) -> String {
        self.ws();
        let start = self.at;
        while self
            .s
            .get(self.at)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            self.at += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.at]).into_owned()
    }

    fn string(&mut self) -> Result<String, String> {
        self.expect(b'"')?;
        let mut out = String::new();
        let text = std::str::from_utf8(&self.s[self.at..]).map_err(|e| e.to_string())?;
        let mut chars = text.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.at += i + 1;
                    return Ok(out);
                }
                '\\' => match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, 'r')) => out.push('\r'),
                    Some((_, '0')) => out.push('\0'),
                    Some((_, 'u')) => {
                        let mut hex = String::new();
                        for (_, h) in chars.by_ref() {
                            match h {
                                '{' => {}
                                '}' => break,
                                h => hex.push(h),
                            }
                        }
                        let code = u32::from_str_radix(&hex, 16).map_err(|e| e.to_string())?;
                        out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                    }
                    Some((_, other)) => out.push(other),
                    None => break,
                },
                c => out.push(c),
            }
        }
        Err("unterminated string".into())
    }

    fn value(&mut self) -> Result<Value, String> {
        self.ws();
        match self.s.get(self.at) {
            Some(b'"') => self.string().map(Value::String),
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                while !self.eat(b']') {
                    items.push(self.value()?);
                    self.eat(b',');
                }
                Ok(Value::Array(items))
            }
            Some(b'{') => {
                self.at += 1;
                let mut map = Map::new();
                while !self.eat(b'}') {
                    let key = match self.value()? {
                        Value::String(k) => k,
                        other => other.to_string(),
                    };
                    self.expect(b':')?;
                    map.insert(key, self.value()?);
                    self.eat(b',');
                }
                Ok(Value::Object(map))
            }
            _ => {
                let token = self.token();
                if token.is_empty() {
                    return Err(format!("a value expected at {}", self.at));
                }
                match token.as_str() {
                    "None" => return Ok(Value::Null),
                    "true" => return Ok(Value::Bool(true)),
                    "false" => return Ok(Value::Bool(false)),
                    _ => {}
                }
                if token.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
                    if let Ok(n) = token.parse::<i64>() {
                        return Ok(Value::from(n));
                    }
                    if let Ok(f) = token.parse::<f64>() {
                        return Ok(Value::from(f));
                    }
                    return Ok(Value::String(token));
                }
                if self.eat(b'(') {
                    let inner = self.value()?;
                    self.expect(b')')?;
                    // `Some(x)` is x; a tuple variant (`Unknown(UnknownVariantValue("x"))`)
                    // is the value it wraps.
                    return Ok(inner);
                }
                self.ws();
                if self.s.get(self.at) == Some(&b'{') {
                    self.at += 1;
                    let mut map = Map::new();
                    while !self.eat(b'}') {
                        let field = self.ident();
                        self.expect(b':')?;
                        map.insert(field, self.value()?);
                        self.eat(b',');
                    }
                    return Ok(Value::Object(map));
                }
                Ok(Value::String(format!("{ENUM}{token}")))
            }
        }
    }
}

/// A key reduced to its letters and digits, lower-cased: `datasetGroupArn` and
/// `dataset_group_arn` compare equal.
fn letters(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Whether a leaf difference is not one: an SDK enum variant for the same wire value, or a
/// sensitive member the SDK's `Debug` does not print.
fn same_leaf(ours: &Value, sdk: &Value) -> bool {
    match (ours.as_str(), sdk.as_str()) {
        (_, Some(REDACTED)) => true,
        (Some(ours), Some(sdk)) => sdk
            .strip_prefix(ENUM)
            .is_some_and(|variant| letters(variant) == letters(ours)),
        _ => false,
    }
}

/// Leaf differences between two views: (JSON pointer, ours, sdk).
fn differences(pointer: &str, ours: &Value, sdk: &Value, out: &mut Vec<(String, Value, Value)>) {
    match (ours, sdk) {
        (Value::Object(a), Value::Object(b)) => {
            // Keys matched by their letters; the pointer names ours (else the SDK's).
            let mut keys: std::collections::BTreeMap<
                String,
                (&str, Option<&Value>, Option<&Value>),
            > = std::collections::BTreeMap::new();
            for (k, v) in a.iter().filter(|(_, v)| !v.is_null()) {
                keys.entry(letters(k)).or_insert((k, None, None)).1 = Some(v);
            }
            for (k, v) in b.iter().filter(|(_, v)| !v.is_null()) {
                keys.entry(letters(k)).or_insert((k, None, None)).2 = Some(v);
            }
            let null = Value::Null;
            for (name, x, y) in keys.into_values() {
                differences(
                    &format!("{pointer}/{name}"),
                    x.unwrap_or(&null),
                    y.unwrap_or(&null),
                    out,
                );
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                differences(&format!("{pointer}/{i}"), x, y, out);
            }
        }
        (a, b) if canonical(a) != canonical(b) && !same_leaf(a, b) => {
            out.push((pointer.to_owned(), a.clone(), b.clone()))
        }
        _ => {}
    }
}

/// Each step's differences from the SDK, classified: Ok(known id) or Err(unexplained).
async fn compare_with_sdk(
    fixture: &Fixture,
    ours: &[Value],
) -> Vec<Result<(String, &'static str), String>> {
    let mut found = Vec::new();
    for (i, (step, our_view)) in fixture.steps.iter().zip(ours).enumerate() {
        let sdk = match sdk_view(step).await {
            Ok(view) => view,
            Err(reason) => {
                found.push(Err(format!("step {}: {reason}", i + 1)));
                continue;
            }
        };
        let mut diffs = Vec::new();
        differences("", our_view, &sdk, &mut diffs);
        for (pointer, a, b) in diffs {
            let at = format!("step {}: {pointer}", i + 1);
            match KNOWN_DIFFERENCES
                .iter()
                .find(|k| (k.applies)(&pointer, &a, &b))
            {
                Some(k) => found.push(Ok((at, k.id))),
                None => found.push(Err(format!("{at}: ours {a}, SDK {b}"))),
            }
        }
    }
    found
}

fn load(path: &std::path::Path) -> Fixture {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    Fixture::load(path, fixture_name(&root, path)).unwrap()
}

#[rstest]
#[tokio::test]
async fn fixture_through_personalize_client_matches_recording_and_sdk(
    #[files("fixtures/**/*.json")] path: PathBuf,
) {
    let fixture = load(&path);
    let (outcome, views) = run_fixture(&fixture).await;
    assert_eq!(
        outcome,
        Outcome::Pass,
        "{}: {}",
        fixture.name,
        outcome.detail()
    );
    let sdk = compare_with_sdk(&fixture, &views).await;
    let unexplained: Vec<&String> = sdk.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(
        unexplained.is_empty(),
        "{}: personalize-client and the AWS SDK for Rust disagree beyond the known differences:\n{unexplained:#?}",
        fixture.name
    );
    let known: Vec<String> = sdk
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|(at, id)| format!("{at}: {id}"))
        .collect();
    insta::with_settings!({ description => fixture.description.clone(), omit_expression => true }, {
        insta::assert_json_snapshot!(
            format!("client__{}", fixture.name.replace('/', "__")),
            json!({ "steps": views, "known_differences_from_aws_sdk": known })
        );
    });
}

#[tokio::test]
async fn every_known_difference_still_occurs() {
    let fixtures = discover(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for fixture in &fixtures {
        let (_, views) = run_fixture(fixture).await;
        for (_, id) in compare_with_sdk(fixture, &views)
            .await
            .into_iter()
            .flatten()
        {
            seen.insert(id);
        }
    }
    for known in KNOWN_DIFFERENCES {
        assert!(
            seen.contains(known.id),
            "known difference '{}' no longer occurs in any fixture ({}): remove it from the table",
            known.id,
            known.why
        );
    }
}
