//! Seeding a running target through its public API, the same way for every resource kind:
//! each seeded resource (under its List output's items member) is made with the `Create<Noun>`
//! its items member names, its input built from the resource's members the Create input has
//! (placeholders for required ones a summary does not show), and awaited with
//! `Describe<Noun>` until it has the status the fixture needs. Resources whose values a create
//! cannot set (exact timestamps, a transient or failed status, a failure reason, members the
//! Create input does not have) make the case "not run" with the reason.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use personalize_client::{
    Client, Config, Credentials, Error, Operation, OperationError, RetryConfig,
};
use personalize_model::schema::structure;
use personalize_model::{MemberMeta, OperationMeta, ValueKind};
use serde_json::{Map, Value};

use crate::operations::{
    self, create_for_items, created_arn_member, describe_for, described_member, own_arn_member,
    OperationVisitor,
};
use crate::rename::Renames;
use crate::sign::{Signer, EXAMPLE_ACCESS_KEY, EXAMPLE_SECRET_KEY};

/// Default bound on waiting for one seeded resource to reach its status.
pub const DEFAULT_SEED_TIMEOUT: Duration = Duration::from_secs(60);

/// Placeholder for a required S3 location a summary-shaped seed does not show (no listing
/// shows it, so no case can depend on it).
pub const PLACEHOLDER_S3: &str = "s3://personalize-conformance-seed/data/";
/// Placeholder for a required role a summary-shaped seed does not show.
pub const PLACEHOLDER_ROLE: &str = "arn:aws:iam::123456789012:role/PersonalizeConformanceSeed";

/// Final statuses a create can reach without anything going wrong.
pub const FINAL_STATUSES: &[&str] = &["ACTIVE", "COMPLETED"];

/// Members every resource has that a create sets by itself.
const SET_BY_CREATE: &[&str] = &["status"];

/// Why a seeded resource cannot be made through its Create operation, or `None` when it can.
///
/// Members the Create input does not take are fine when the service fills them by itself: a
/// value the same member of a parent has (a solution version's `datasetGroupArn` is its
/// solution's; `parents` are the seeded resources whose ARNs `item` names), or a member the case
/// matches loosely (its name is the last segment of a `volatile`, `ignore` or `patterns`
/// pointer: an event tracker's `trackingId`).
pub fn not_creatable(
    items_member: &str,
    item: &Value,
    parents: &[&Value],
    loose: &[&str],
) -> Option<String> {
    let name = item
        .get("name")
        .or_else(|| item.get("jobName"))
        .and_then(Value::as_str)
        .unwrap_or("(unnamed)");
    let Some(create) = create_for_items(items_member) else {
        return Some(format!(
            "needs {items_member} resource {name}, which no Create operation of the service makes"
        ));
    };
    let own = own_arn_member(create).unwrap_or_default();
    let mut needs = Vec::new();
    for member in ["creationDateTime", "lastUpdatedDateTime"] {
        if item.get(member).is_some_and(|v| !v.is_null()) {
            needs.push(format!("exact {member}"));
        }
    }
    match item.get("status").and_then(Value::as_str) {
        None => {}
        Some(s) if FINAL_STATUSES.contains(&s) => {}
        Some(other) => needs.push(format!("status {other}")),
    }
    if item.get("failureReason").is_some_and(|v| !v.is_null()) {
        needs.push("a failureReason".into());
    }
    if let Some(map) = item.as_object() {
        for (member, value) in map {
            let settable = create.input.member(member).is_some()
                || *member == own
                || SET_BY_CREATE.contains(&member.as_str())
                || member.ends_with("DateTime")
                || member == "failureReason"
                || loose.contains(&member.as_str())
                || parents.iter().any(|p| p.get(member) == Some(value));
            if !settable && !value.is_null() {
                needs.push(format!("{member} {value}"));
            }
        }
    }
    if !needs.is_empty() {
        return Some(format!(
            "needs {} of {name}; {} cannot set {}",
            needs.join(", "),
            create.name,
            if needs.len() == 1 { "it" } else { "them" }
        ));
    }
    None
}

/// Seeding could not be done.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SeedFailure {
    /// The target does not implement an operation seeding needs.
    #[error("{0}")]
    NotImplemented(String),
    /// The target answered, but the resource could not be made or did not reach its status.
    #[error("{0}")]
    Failed(String),
}

/// Creates resources on a running target through personalize-client.
#[derive(Clone, Debug)]
pub struct ApiSeeder {
    client: Client,
    timeout: Duration,
    poll: Duration,
}

impl ApiSeeder {
    /// A seeder for `url`, signing like the replayer (`signer`, else the example key in
    /// us-east-1); waits at most `timeout` per resource.
    pub fn new(url: &str, signer: Option<&Signer>, timeout: Duration) -> Result<Self, String> {
        let (access, secret, token, region) = match signer {
            Some(s) => (
                s.credentials().access_key_id().to_owned(),
                s.credentials().secret_access_key().to_owned(),
                s.credentials().session_token().map(str::to_owned),
                s.region().to_owned(),
            ),
            None => (
                EXAMPLE_ACCESS_KEY.to_owned(),
                EXAMPLE_SECRET_KEY.to_owned(),
                None,
                "us-east-1".to_owned(),
            ),
        };
        let config = Config::builder()
            .region(region)
            .endpoint_url(url)
            .credentials(Credentials::new(access, secret, token))
            .attempt_timeout(Duration::from_secs(15))
            .retry(RetryConfig::disabled())
            .build()
            .map_err(|e| format!("cannot configure personalize-client for {url}: {e}"))?;
        Ok(ApiSeeder {
            client: Client::new(config),
            timeout,
            poll: Duration::from_millis(100),
        })
    }

    /// Creates the resource `item` listed under `items_member` (names and ARNs read through
    /// `renames`) and waits until it has its status; records the ARN the target assigned in
    /// place of the seed's.
    pub async fn seed(
        &self,
        items_member: &str,
        item: &Value,
        renames: &mut Renames,
    ) -> Result<(), SeedFailure> {
        // Messages name the resource as the fixture does, so a report does not vary by run.
        let name = item
            .get("name")
            .or_else(|| item.get("jobName"))
            .and_then(Value::as_str)
            .unwrap_or("(unnamed)")
            .to_owned();
        let create = create_for_items(items_member).ok_or_else(|| {
            SeedFailure::Failed(format!("no Create operation makes {items_member}"))
        })?;
        let input = create_input(create, item, renames);
        let output = self.call(create.name, input, &name).await?;
        let member = created_arn_member(create).unwrap_or_default();
        let Some(arn) = output
            .get(member)
            .and_then(Value::as_str)
            .map(str::to_owned)
        else {
            return Err(SeedFailure::Failed(format!(
                "seeding {name}: {} answered no {member}",
                create.name
            )));
        };
        if let Some(recorded) = item.get(member).and_then(Value::as_str) {
            renames.push(recorded, arn.clone());
        }
        let want = item.get("status").and_then(Value::as_str);
        self.wait(create, &name, &arn, want).await
    }

    async fn call(&self, op: &str, input: Value, name: &str) -> Result<Value, SeedFailure> {
        let call = Call {
            client: &self.client,
            input,
            name,
        };
        match operations::visit(op, call) {
            Some(future) => future.await,
            None => Err(SeedFailure::Failed(format!("{op} is not an operation"))),
        }
    }

    async fn wait(
        &self,
        create: &OperationMeta,
        name: &str,
        arn: &str,
        want: Option<&str>,
    ) -> Result<(), SeedFailure> {
        let Some(describe) = describe_for(create) else {
            return Ok(());
        };
        let own = own_arn_member(create).unwrap_or_default();
        let resource = described_member(describe).unwrap_or_default();
        let start = Instant::now();
        loop {
            let mut input = Map::new();
            input.insert(own.clone(), Value::from(arn));
            let output = self.call(describe.name, Value::Object(input), name).await?;
            let status = output
                .get(resource)
                .and_then(|r| r.get("status"))
                .and_then(Value::as_str);
            let Some(status) = status else {
                // A kind without a status (a schema) exists once created.
                return Ok(());
            };
            if want.is_none_or(|w| w == status) && FINAL_STATUSES.contains(&status) {
                return Ok(());
            }
            if status.contains("FAILED") {
                let reason = output
                    .get(resource)
                    .and_then(|r| r.get("failureReason"))
                    .and_then(Value::as_str)
                    .unwrap_or("no reason given");
                return Err(SeedFailure::Failed(format!(
                    "seeding {name}: it ended {status} ({reason})"
                )));
            }
            if start.elapsed() >= self.timeout {
                return Err(SeedFailure::Failed(format!(
                    "seeding {name}: not {} within {:?} (last status {status})",
                    want.unwrap_or("ACTIVE"),
                    self.timeout
                )));
            }
            tokio::time::sleep(self.poll).await;
        }
    }
}

/// One call of any operation with a JSON input, answering the output as JSON.
struct Call<'a> {
    client: &'a Client,
    input: Value,
    name: &'a str,
}

impl<'a> OperationVisitor for Call<'a> {
    type Output = Pin<Box<dyn Future<Output = Result<Value, SeedFailure>> + Send + 'a>>;
    fn visit<O: Operation>(self) -> Self::Output {
        Box::pin(async move {
            let input: O::Input = serde_json::from_value(self.input).map_err(|e| {
                SeedFailure::Failed(format!(
                    "seeding {}: the seed is not a {} input ({e})",
                    self.name,
                    O::NAME
                ))
            })?;
            let output = self
                .client
                .call::<O>(input)
                .await
                .map_err(|e| failure(O::NAME, self.name, &e))?;
            serde_json::to_value(&output)
                .map_err(|e| SeedFailure::Failed(format!("{}: {e}", O::NAME)))
        })
    }
}

/// The Create input for a seeded resource: the members of the Create input the resource
/// has (read with the target's names), and placeholders for required ones it lacks.
pub fn create_input(create: &OperationMeta, item: &Value, renames: &Renames) -> Value {
    let mut input = Map::new();
    for member in create.input.members {
        match item.get(member.name).filter(|v| !v.is_null()) {
            Some(value) => {
                input.insert(member.name.to_owned(), renames.apply_to_value(value));
            }
            None if member.required => {
                if let Some(value) = placeholder(member) {
                    input.insert(member.name.to_owned(), value);
                }
            }
            None => {}
        }
    }
    Value::Object(input)
}

/// A value for a required member a summary does not show: roles and S3 locations get the
/// placeholders, structures their required members.
fn placeholder(member: &MemberMeta) -> Option<Value> {
    match (member.target, member.kind) {
        ("RoleArn", _) => Some(Value::from(PLACEHOLDER_ROLE)),
        ("S3Location", _) => Some(Value::from(PLACEHOLDER_S3)),
        (_, ValueKind::Structure(shape)) => {
            let shape = structure(shape)?;
            let mut out = Map::new();
            for m in shape.members.iter().filter(|m| m.required) {
                out.insert(m.name.to_owned(), placeholder(m)?);
            }
            Some(Value::Object(out))
        }
        _ => None,
    }
}

fn failure<E: OperationError>(operation: &str, name: &str, e: &Error<E>) -> SeedFailure {
    let code = e.code().unwrap_or_default();
    let lower = code.to_ascii_lowercase();
    let status = e.status().unwrap_or_default();
    // A 5xx that names no AWS error code (personalize-client, like botocore, then uses the
    // status as the code: an HTML page or a bare status), a 501, or a NotImplemented-style
    // code: the target lacks the operation. Anything else is an answer: the create was refused.
    let not_aws_code = code.is_empty()
        || code.bytes().all(|b| b.is_ascii_digit())
        || code.contains(char::is_whitespace);
    let not_implemented = status == 501
        || (status >= 500 && not_aws_code)
        || lower.contains("notimplemented")
        || lower.contains("notyetimplemented");
    if not_implemented {
        SeedFailure::NotImplemented(format!(
            "seeding {name} needs {operation}: HTTP {status}{}",
            if code.is_empty() || code == status.to_string() {
                String::new()
            } else {
                format!(" ({code})")
            }
        ))
    } else {
        SeedFailure::Failed(format!("seeding {name}: {operation} answered {e}"))
    }
}
