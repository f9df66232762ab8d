//! The fixture file format, its discovery from a directory and the fixtures built into the
//! crate (see `build.rs`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A fixture that could not be read or makes no sense.
#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    /// The file or directory could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not a fixture in JSON form.
    #[error("{path} is not a valid fixture: {source}")]
    Json {
        /// The fixture file.
        path: PathBuf,
        /// Where the JSON went wrong.
        source: serde_json::Error,
    },
    /// The JSON is well formed but inconsistent.
    #[error("{path}: {reason}")]
    Invalid {
        /// The fixture file.
        path: PathBuf,
        /// What is inconsistent.
        reason: String,
    },
}

/// One conformance case: the state it needs and the exchange(s) it expects.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// `group/name`, from the file's path under the fixtures directory (not stored in the file).
    #[serde(skip)]
    pub name: String,
    /// What the case checks, in one or two sentences.
    pub description: String,
    /// Where the request came from (a recording, the model, the recording proxy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Jobs the target must hold; absent when the case does not depend on stored state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<Seed>,
    /// JSON pointers into response bodies whose values vary (must be present, value not compared).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volatile: Vec<String>,
    /// JSON pointers into response bodies that are not compared at all (may be absent).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    /// JSON pointers into response bodies whose string values must match a regular expression
    /// (for values that vary or whose exact text is not knowable, such as a message's wording).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub patterns: BTreeMap<String, String>,
    /// How the listed items (the List output's items member) are compared across the steps.
    #[serde(
        default,
        rename = "itemOrder",
        skip_serializing_if = "ItemOrder::is_any"
    )]
    pub item_order: ItemOrder,
    /// A status schedule for the built-in mock (`"1s,1s"`: each of a lifecycle's two transient
    /// statuses lasts one second), whose clock then moves only by the steps' `advanceSeconds`:
    /// for cases that watch statuses change in order. Only the built-in mock's clock can be
    /// moved: such a case is not run against a URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    /// The exchanges, in order.
    pub steps: Vec<Step>,
}

/// The state a fixture needs, in the mock's seed-file form: resources under their List
/// output's items member (`{"datasetGroups": [...], "batchSegmentJobs": [...]}`), each a
/// summary or a full resource as Describe shows it. Timestamps may be left out when the case
/// does not compare them; a target then sets them. Resources are made in member order, so
/// parents come first when their members sort first; the seeder orders by ARN references.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Seed(pub BTreeMap<String, Vec<Value>>);

impl Seed {
    /// Every seeded resource with its items member.
    pub fn items(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0
            .iter()
            .flat_map(|(member, items)| items.iter().map(move |item| (member.as_str(), item)))
    }

    /// Whether the case needs an empty store (a seed that lists no resources).
    pub fn is_empty(&self) -> bool {
        self.0.values().all(Vec::is_empty)
    }
}

/// Whether the order of listed jobs is part of the expectation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemOrder {
    /// The order is undocumented: each page must hold as many items as recorded, and all
    /// pages together the same items, in any order.
    #[default]
    Any,
    /// Every page must list exactly the recorded items in the recorded order.
    Exact,
}

impl ItemOrder {
    fn is_any(&self) -> bool {
        *self == ItemOrder::Any
    }
}

/// One request and the response it must get.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Seconds the built-in mock's clock moves forward before this step (with `schedule`).
    #[serde(
        default,
        rename = "advanceSeconds",
        skip_serializing_if = "Option::is_none"
    )]
    pub advance_seconds: Option<u64>,
    /// The request as sent.
    pub request: RecordedRequest,
    /// The response the service answers.
    pub response: RecordedResponse,
}

/// An HTTP request as a client sent it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: String,
    /// Path and query.
    pub path: String,
    /// Headers, names lower-cased.
    pub headers: BTreeMap<String, String>,
    /// The exact body bytes, as text.
    pub body: String,
    /// Where the body's `nextToken` comes from when it is not the literal recorded value.
    #[serde(default, rename = "nextToken", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<TokenSource>,
}

/// A token the harness substitutes into a request body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSource {
    /// `true`: use the `nextToken` of the previous step's actual response.
    #[serde(rename = "fromPreviousResponse")]
    pub from_previous_response: bool,
}

/// An HTTP response as the service answers it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedResponse {
    /// HTTP status code.
    pub status: u16,
    /// Other statuses the service may answer with, where the sources disagree (the AWS API
    /// Reference gives 400 for every Personalize error; the Smithy model's `@httpError` gives
    /// 403/404/409 for some). Clients read the error from `__type`, not from the status.
    #[serde(
        default,
        rename = "otherStatuses",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub other_statuses: Vec<u16>,
    /// The headers that matter (names lower-cased).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The JSON body.
    pub body: Value,
}

impl RecordedRequest {
    /// A header by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    /// The operation name from `X-Amz-Target` (`AmazonPersonalize.CreateBatchSegmentJob` gives
    /// `CreateBatchSegmentJob`), when the header has the service's prefix.
    pub fn operation(&self) -> Option<&str> {
        self.header("x-amz-target")?
            .strip_prefix(TARGET_PREFIX)?
            .strip_prefix('.')
    }
}

/// The `X-Amz-Target` prefix of Amazon Personalize.
pub const TARGET_PREFIX: &str = "AmazonPersonalize";

impl Fixture {
    /// Reads one fixture file; `name` is how reports call it.
    pub fn load(path: &Path, name: impl Into<String>) -> Result<Fixture, FixtureError> {
        let text = std::fs::read_to_string(path).map_err(|source| FixtureError::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text, path, name)
    }

    /// Parses one fixture's text; `path` is where it came from (for errors), `name` is how
    /// reports call it.
    pub fn parse(
        text: &str,
        path: &Path,
        name: impl Into<String>,
    ) -> Result<Fixture, FixtureError> {
        let mut fixture: Fixture =
            serde_json::from_str(text).map_err(|source| FixtureError::Json {
                path: path.to_owned(),
                source,
            })?;
        fixture.name = name.into();
        fixture.check().map_err(|reason| FixtureError::Invalid {
            path: path.to_owned(),
            reason,
        })?;
        Ok(fixture)
    }

    /// The expected `nextToken` of step `i`'s response, if it has one.
    pub fn recorded_token(&self, i: usize) -> Option<&str> {
        self.steps.get(i)?.response.body.get("nextToken")?.as_str()
    }

    /// Whether the case needs the target to hold a given set of jobs.
    pub fn needs_seed(&self) -> bool {
        self.seed.is_some()
    }

    /// The operation the case is about: its first step's, when that names an operation of the
    /// service (`None` for a protocol case).
    pub fn operation(&self) -> Option<&str> {
        self.steps
            .iter()
            .filter_map(|s| s.request.operation())
            .find(|name| personalize_model::service::operation(name).is_some())
    }

    fn check(&self) -> Result<(), String> {
        if self.steps.is_empty() {
            return Err("has no steps".into());
        }
        if let Some(schedule) = &self.schedule {
            schedule
                .parse::<personalize_mock::Schedule>()
                .map_err(|e| format!("schedule '{schedule}': {e}"))?;
        } else if self.steps.iter().any(|s| s.advance_seconds.is_some()) {
            return Err("a step has advanceSeconds but the case has no schedule".into());
        }
        for member in self.seed.iter().flat_map(|s| s.0.keys()) {
            if !personalize_model::service::OPERATION_METAS
                .iter()
                .any(|op| crate::operations::items_member(op) == Some(member.as_str()))
            {
                return Err(format!(
                    "seed member '{member}' is not the items member of any List operation"
                ));
            }
        }
        for (i, step) in self.steps.iter().enumerate() {
            if step
                .request
                .next_token
                .as_ref()
                .is_some_and(|t| t.from_previous_response)
            {
                let Some(token) = i.checked_sub(1).and_then(|p| self.recorded_token(p)) else {
                    return Err(format!(
                        "step {i} takes its nextToken from the previous response, which has none"
                    ));
                };
                let quoted = serde_json::to_string(token).map_err(|e| e.to_string())?;
                if !step.request.body.contains(&quoted) {
                    return Err(format!(
                        "step {i}'s body does not contain the recorded token {quoted} to replace"
                    ));
                }
            }
        }
        for (pointer, pattern) in &self.patterns {
            let regex = regex::Regex::new(pattern)
                .map_err(|e| format!("pattern for '{pointer}' is not a regular expression: {e}"))?;
            for (i, step) in self.steps.iter().enumerate() {
                if let Some(value) = step.response.body.pointer(pointer) {
                    if !value.as_str().is_some_and(|v| regex.is_match(v)) {
                        return Err(format!(
                            "step {}'s expected {pointer} {value} does not match its own pattern {pattern}",
                            i + 1
                        ));
                    }
                }
            }
        }
        for pointer in self
            .volatile
            .iter()
            .chain(&self.ignore)
            .chain(self.patterns.keys())
        {
            if !pointer.starts_with('/') {
                return Err(format!(
                    "'{pointer}' is not a JSON pointer (must start with '/')"
                ));
            }
        }
        Ok(())
    }
}

/// Every `*.json` fixture under `dir` (recursively), sorted by name (`group/name`).
pub fn discover(dir: &Path) -> Result<Vec<Fixture>, FixtureError> {
    let mut files = Vec::new();
    collect(dir, &mut files)?;
    files.sort();
    files
        .iter()
        .map(|path| Fixture::load(path, fixture_name(dir, path)))
        .collect()
}

/// `group/name` for a fixture file under `root`.
pub fn fixture_name(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path).with_extension("");
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), FixtureError> {
    let io = |source| FixtureError::Io {
        path: dir.to_owned(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(())
}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_fixtures.rs"));
}

/// Every fixture built into the crate (the `fixtures/` directory at build time), sorted by
/// name as [`discover`] sorts them.
pub fn embedded() -> Result<Vec<Fixture>, FixtureError> {
    embedded::EMBEDDED
        .iter()
        .map(|(name, text)| {
            let origin = PathBuf::from(format!("(built in) fixtures/{name}.json"));
            Fixture::parse(text, &origin, *name)
        })
        .collect()
}

/// The fixtures about the named operations (all when `operations` is empty); an error naming
/// any that is not an operation of the service.
pub fn select(fixtures: Vec<Fixture>, operations: &[String]) -> Result<Vec<Fixture>, String> {
    if let Some(unknown) = operations
        .iter()
        .find(|name| personalize_model::service::operation(name).is_none())
    {
        return Err(format!(
            "--operations: {unknown} is not an operation of the service"
        ));
    }
    if operations.is_empty() {
        return Ok(fixtures);
    }
    Ok(fixtures
        .into_iter()
        .filter(|f| {
            f.operation()
                .is_some_and(|op| operations.iter().any(|o| o == op))
        })
        .collect())
}
