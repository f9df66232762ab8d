//! Running every fixture against a target: the built-in mock (seeded per case) or any URL.

use std::time::Duration;

use personalize_mock::{Clock, ManualClock, MockServer, Schedule, Schedules};
use personalize_model::DateTime;
use serde_json::Value;

use crate::compare::judge_renamed;
use crate::fixture::{Fixture, Seed};
use crate::http::{parse_base_url, TransportError};
use crate::operations;
use crate::rename::{is_job_name, unique_name, Renames};
use crate::replay::{Observed, ReplayError, Replayer};
use crate::report::{CaseReport, Outcome, Suite};
use crate::seeding::{not_creatable, ApiSeeder, SeedFailure, DEFAULT_SEED_TIMEOUT};
use crate::sign::Signer;
use personalize_model::service::operation;

/// Name of the built-in mock in reports.
pub const BUILTIN_MOCK: &str = "built-in mock (personalize-mock)";

/// Where the built-in mock's manual clock starts for a case with a status schedule
/// (2023-11-14T22:13:20Z; timestamps are volatile in such cases).
const MANUAL_CLOCK_START: i64 = 1_700_000_000;

/// Why a case that needs an empty store is not run against a URL.
pub const NEEDS_EMPTY_STORE: &str = "needs an empty store: a running target may hold other \
     resources, and not every kind can be deleted through the API";

/// Why a case that lists every stored resource is not run against a URL when it also stores
/// some.
pub const LISTS_EVERY_JOB: &str = "lists every resource of a kind the target holds, without a \
     parent filter: a running target also holds other cases' resources";

/// The target refused the connection or is not a usable URL: the run cannot start.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// Bad URL or refused connection.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The built-in mock could not start.
    #[error("the built-in mock could not start: {0}")]
    Mock(String),
}

/// Builds the built-in mock's seed file from a fixture's seed: every resource as given
/// (summary or full), with the timestamps its resource shape has and the fixture leaves to
/// the target set to now.
pub fn seed_file(seed: &Seed) -> Value {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let mut out = serde_json::Map::new();
    for (member, items) in &seed.0 {
        let shape = resource_shape(member);
        let items: Vec<Value> = items
            .iter()
            .map(|item| {
                let mut members = item.as_object().cloned().unwrap_or_default();
                for stamp in ["creationDateTime", "lastUpdatedDateTime"] {
                    if shape.is_some_and(|s| s.member(stamp).is_some()) {
                        members.entry(stamp).or_insert_with(|| Value::from(now));
                    }
                }
                Value::Object(members)
            })
            .collect();
        out.insert(member.clone(), Value::Array(items));
    }
    Value::Object(out)
}

/// The resource shape (as Describe shows it) of the resources under a List items member.
fn resource_shape(items_member: &str) -> Option<&'static personalize_model::StructureMeta> {
    let create = operations::create_for_items(items_member)?;
    let describe = operations::describe_for(create)?;
    let member = operations::described_member(describe)?;
    match describe.output.member(member)?.kind {
        personalize_model::ValueKind::Structure(shape) => {
            personalize_model::schema::structure(shape)
        }
        _ => None,
    }
}

/// Starts a fresh built-in mock holding the fixture's seed, inserted directly with its exact
/// values (full resources keep every member, as a create would have recorded them).
pub async fn start_seeded_mock(fixture: &Fixture) -> Result<MockServer, String> {
    start_mock(fixture, None).await
}

async fn start_mock(fixture: &Fixture, clock: Option<&ManualClock>) -> Result<MockServer, String> {
    let mut builder = MockServer::builder();
    if let Some(seed) = &fixture.seed {
        builder = builder.seed(&seed_file(seed));
    }
    if let (Some(schedule), Some(clock)) = (&fixture.schedule, clock) {
        let schedule: Schedule = schedule.parse().map_err(|e| format!("{e}"))?;
        builder = builder
            .schedules(Schedules::all(schedule))
            .clock(Clock::Manual(clock.clone()));
    }
    builder.start().await.map_err(|e| e.to_string())
}

/// Why a case with a status schedule is not run against a URL.
pub const NEEDS_CLOCK: &str = "watches statuses change on a schedule: needs a target whose clock \
     and status delays the harness controls (the built-in mock)";

/// Replays one fixture against a fresh built-in mock; returns the outcome and what was observed.
pub async fn run_on_builtin_mock(fixture: &Fixture) -> (Outcome, Vec<Observed>) {
    let clock = ManualClock::new(DateTime::from_secs(MANUAL_CLOCK_START));
    let server = match start_mock(fixture, Some(&clock)).await {
        Ok(s) => s,
        Err(e) => {
            return (
                Outcome::Fail {
                    diff: format!("cannot start the mock: {e}"),
                },
                Vec::new(),
            )
        }
    };
    let result = match Replayer::new(&server.url()) {
        Ok(replayer) => {
            let advance = |step: &crate::fixture::Step| {
                if let Some(secs) = step.advance_seconds {
                    clock.advance(Duration::from_secs(secs));
                }
            };
            replayer.replay_with(fixture, Renames::new(), advance).await
        }
        Err(e) => Err(ReplayError::from(e)),
    };
    server.shutdown().await;
    match result {
        Ok((observed, renames)) => (judge_renamed(fixture, &observed, &renames), observed),
        Err(e) => (
            Outcome::Fail {
                diff: e.to_string(),
            },
            Vec::new(),
        ),
    }
}

/// Every fixture against the built-in mock, each on its own freshly seeded server.
pub async fn run_builtin_mock(fixtures: &[Fixture]) -> Suite {
    let mut cases = Vec::with_capacity(fixtures.len());
    for fixture in fixtures {
        let (outcome, _) = run_on_builtin_mock(fixture).await;
        cases.push(CaseReport {
            name: fixture.name.clone(),
            operation: fixture.operation().map(str::to_owned),
            outcome,
        });
    }
    Suite {
        target: BUILTIN_MOCK.to_owned(),
        cases,
    }
}

/// How to run against a URL.
#[derive(Clone, Debug)]
pub struct UrlOptions {
    /// Signing credentials and region (default: the example key, the recording's region).
    pub signer: Option<Signer>,
    /// Bound on waiting for one seeded job to become ACTIVE.
    pub seed_timeout: Duration,
    /// Makes job names and solution versions unique to this run (the target's store is
    /// shared by every case and outlives the run).
    pub run_tag: String,
}

impl Default for UrlOptions {
    fn default() -> Self {
        UrlOptions {
            signer: None,
            seed_timeout: DEFAULT_SEED_TIMEOUT,
            run_tag: run_tag(),
        }
    }
}

/// A short tag unique to this run: base 36 of the clock's milliseconds, last 6 digits.
pub fn run_tag() -> String {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    base36(millis % 36u128.pow(6), 6)
}

/// The tag of the `index`th case of a run: the run's tag and the index in base 36.
pub fn case_tag(run_tag: &str, index: usize) -> String {
    format!("{run_tag}{}", base36(index as u128, 1))
}

fn base36(mut n: u128, width: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    while n > 0 || out.len() < width {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Every fixture against a running server at `url`, signed with `signer` (see [`run_url_with`]).
pub async fn run_url(
    url: &str,
    fixtures: &[Fixture],
    signer: Option<Signer>,
) -> Result<Suite, TargetError> {
    let options = UrlOptions {
        signer,
        ..UrlOptions::default()
    };
    run_url_with(url, fixtures, &options).await
}

/// Every fixture against a running server at `url`. Cases needing stored jobs are seeded
/// through CreateBatchSegmentJob and DescribeBatchSegmentJob; those needing values a create
/// cannot set are "not run" with the reason. Fails before running anything when the URL is
/// unusable or the server refuses connections.
pub async fn run_url_with(
    url: &str,
    fixtures: &[Fixture],
    options: &UrlOptions,
) -> Result<Suite, TargetError> {
    probe(url).await?;
    let mut replayer = Replayer::new(url)?;
    if let Some(signer) = &options.signer {
        replayer = replayer.with_signer(signer.clone());
    }
    let seeder = ApiSeeder::new(url, options.signer.as_ref(), options.seed_timeout)
        .map_err(TargetError::Mock)?;
    let mut cases = Vec::with_capacity(fixtures.len());
    for (index, fixture) in fixtures.iter().enumerate() {
        let tag = case_tag(&options.run_tag, index);
        let outcome = run_one_on_url(&replayer, &seeder, fixture, &tag).await;
        cases.push(CaseReport {
            name: fixture.name.clone(),
            operation: fixture.operation().map(str::to_owned),
            outcome,
        });
    }
    Ok(Suite {
        target: url.to_owned(),
        cases,
    })
}

async fn run_one_on_url(
    replayer: &Replayer,
    seeder: &ApiSeeder,
    fixture: &Fixture,
    tag: &str,
) -> Outcome {
    let mut renames = match plan_for_shared_target(fixture, tag) {
        Ok(r) => r,
        Err(outcome) => return outcome,
    };
    for (member, item) in seed_order(fixture.seed.as_ref()) {
        match seeder.seed(member, item, &mut renames).await {
            Ok(()) => {}
            Err(SeedFailure::NotImplemented(reason)) => return Outcome::NotImplemented { reason },
            Err(SeedFailure::Failed(reason)) => {
                return Outcome::NotRun {
                    reason: format!("could not seed: {reason}"),
                }
            }
        }
    }
    match replayer.replay_renamed(fixture, renames).await {
        Ok((observed, renames)) => judge_renamed(fixture, &observed, &renames),
        Err(e) => Outcome::Fail {
            diff: e.to_string(),
        },
    }
}

/// The seeded resources in an order a target can create them: a resource after every other
/// seeded resource whose ARN one of its members names (its parents).
pub fn seed_order(seed: Option<&Seed>) -> Vec<(&str, &Value)> {
    let mut left: Vec<(&str, &Value)> = seed.map(|s| s.items().collect()).unwrap_or_default();
    let mut ordered = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let arns: Vec<Option<String>> = left.iter().map(|(m, i)| own_arn(m, i)).collect();
        let ready = left.iter().enumerate().position(|(i, (_, item))| {
            let mut names = Vec::new();
            strings(item, &mut names);
            !arns
                .iter()
                .enumerate()
                .any(|(j, arn)| j != i && arn.as_ref().is_some_and(|a| names.contains(&a.as_str())))
        });
        // A reference cycle cannot be created in any order: take the first and let it fail.
        ordered.push(left.remove(ready.unwrap_or(0)));
    }
    ordered
}

/// The ARN a seeded resource names itself by (`datasetGroupArn` under `datasetGroups`).
fn own_arn(items_member: &str, item: &Value) -> Option<String> {
    let create = operations::create_for_items(items_member)?;
    let own = operations::own_arn_member(create)?;
    item.get(&own).and_then(Value::as_str).map(str::to_owned)
}

fn strings<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
    match value {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// What a case needs to run on a target whose store it shares with every other case and run:
/// the names to make unique (names the case creates or seeds, and the parents it lists by
/// when those are not seeded, so a listing shows only this case's resources), or why it
/// cannot run there.
pub fn plan_for_shared_target(fixture: &Fixture, tag: &str) -> Result<Renames, Outcome> {
    if fixture.schedule.is_some() {
        return Err(Outcome::NotRun {
            reason: NEEDS_CLOCK.to_owned(),
        });
    }
    if fixture.seed.as_ref().is_some_and(Seed::is_empty) {
        return Err(Outcome::NotRun {
            reason: NEEDS_EMPTY_STORE.to_owned(),
        });
    }
    let seed: Vec<(&str, &Value)> = fixture.seed.iter().flat_map(Seed::items).collect();
    let loose: Vec<&str> = fixture
        .volatile
        .iter()
        .chain(&fixture.ignore)
        .chain(fixture.patterns.keys())
        .filter_map(|p| p.rsplit('/').next())
        .collect();
    let not_seedable = seed.iter().find_map(|(member, item)| {
        let mut named = Vec::new();
        strings(item, &mut named);
        let parents: Vec<&Value> = seed
            .iter()
            .filter(|(m, i)| own_arn(m, i).is_some_and(|arn| named.contains(&arn.as_str())))
            .map(|(_, i)| *i)
            .filter(|i| !std::ptr::eq(*i, *item))
            .collect();
        not_creatable(member, item, &parents, &loose)
    });
    if let Some(reason) = not_seedable {
        return Err(Outcome::NotSeedable { reason });
    }
    let bodies: Vec<(&str, Value)> = fixture
        .steps
        .iter()
        .map(|s| {
            (
                s.request.operation().unwrap_or_default(),
                serde_json::from_str(&s.request.body).unwrap_or(Value::Null),
            )
        })
        .collect();
    let creates: Vec<&Value> = bodies
        .iter()
        .filter(|(op, _)| op.starts_with("Create"))
        .map(|(_, b)| b)
        .collect();
    let lists: Vec<&Value> = bodies
        .iter()
        .filter(|(op, _)| {
            op.starts_with("List")
                && operation(op).is_some_and(|o| operations::items_member(o).is_some())
        })
        .map(|(_, b)| b)
        .collect();
    let stores = !seed.is_empty() || !creates.is_empty();
    let arn_filters = |v: &Value| -> Vec<String> {
        v.as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| k.ends_with("Arn"))
            .filter_map(|(_, v)| v.as_str().map(str::to_owned))
            .collect()
    };
    if stores && lists.iter().any(|b| arn_filters(b).is_empty()) {
        return Err(Outcome::NotRun {
            reason: LISTS_EVERY_JOB.to_owned(),
        });
    }
    let text = |v: &Value, member: &str| v.get(member).and_then(Value::as_str).map(str::to_owned);
    let mut renames = Renames::new();
    for name in seed
        .iter()
        .map(|(_, item)| *item)
        .chain(creates.iter().copied())
        .flat_map(|v| [text(v, "name"), text(v, "jobName")])
        .flatten()
        .filter(|n| is_job_name(n))
    {
        renames.push(name.clone(), unique_name(&name, tag));
    }
    if stores && !lists.is_empty() {
        let seeded: Vec<String> = seed
            .iter()
            .filter_map(|(member, item)| own_arn(member, item))
            .collect();
        for arn in lists.iter().flat_map(|b| arn_filters(b)) {
            let unique = format!("{arn}-{tag}");
            if !seeded.contains(&arn) && unique.chars().count() <= 256 {
                renames.push(arn, unique);
            }
        }
    }
    Ok(renames)
}

/// Connects once to the URL's host and port, so an unreachable target is one clear error.
pub async fn probe(url: &str) -> Result<(), TransportError> {
    let uri = parse_base_url(url)?;
    let host = uri.host().unwrap_or("127.0.0.1").trim_matches(['[', ']']);
    let port = uri.port_u16().unwrap_or(80);
    let connect = tokio::net::TcpStream::connect((host, port));
    match tokio::time::timeout(Duration::from_secs(5), connect).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(TransportError::Failed {
            url: url.to_owned(),
            reason: format!("cannot connect to {host}:{port}: {e}"),
        }),
        Err(_) => Err(TransportError::Timeout {
            url: url.to_owned(),
            secs: 5,
        }),
    }
}
