//! What the model cannot state and no family covers: one named function per quirk, each
//! called from the generic path.

use serde_json::{json, Value};

use super::doc::Members;
use super::kinds::{Kind, STOP_CREATION};
use super::{error, invalid, splitmix, Caller, Engine, EngineError};
use personalize_model::OperationMeta;

/// Serves the operations outside the families (`kinds::QUIRKS`).
pub(super) fn serve(
    engine: &Engine,
    caller: Caller<'_>,
    name: &str,
    op: &'static OperationMeta,
    input: &Members,
) -> Result<Vec<u8>, EngineError> {
    match name {
        "GetSolutionMetrics" => solution_metrics(engine, caller, input),
        "StopSolutionVersionCreation" => stop_solution_version_creation(engine, caller, input),
        "ListMetricAttributionMetrics" => metric_attribution_metrics(engine, caller, op, input),
        other => Err(error(
            "InternalFailure",
            format!("no quirk function for {other}"),
        )),
    }
}

/// Members a Create fills that no input gives: an event tracker's tracking id and account,
/// a solution version's training type and mode.
pub(super) fn fill(engine: &Engine, caller: Caller<'_>, kind: &Kind, members: &mut Members) {
    match kind.rule.noun {
        "EventTracker" => {
            let arn = members
                .get(kind.arn_member)
                .and_then(Value::as_str)
                .unwrap_or_default();
            members.insert("trackingId".to_owned(), Value::from(uuid_from(arn, engine)));
            members.insert("accountId".to_owned(), Value::from(caller.account));
        }
        "SolutionVersion" => {
            members
                .entry("trainingMode")
                .or_insert_with(|| Value::from("FULL"));
            members.insert("trainingType".to_owned(), Value::from("MANUAL"));
        }
        _ => {}
    }
}

/// Update quirks: UpdateMetricAttribution adds and removes metrics by name.
pub(super) fn update(
    op: &OperationMeta,
    input: &Members,
    members: &mut Members,
) -> Result<(), EngineError> {
    if op.name != "UpdateMetricAttribution" {
        return Ok(());
    }
    let mut metrics = members
        .get("metrics")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let name_of = |m: &Value| {
        m.get("metricName")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    if let Some(Value::Array(remove)) = input.get("removeMetrics") {
        let remove: Vec<&str> = remove.iter().filter_map(Value::as_str).collect();
        metrics.retain(|m| name_of(m).is_none_or(|n| !remove.contains(&n.as_str())));
    }
    if let Some(Value::Array(add)) = input.get("addMetrics") {
        for metric in add {
            let name = name_of(metric).unwrap_or_default();
            if metrics.iter().any(|m| name_of(m).as_deref() == Some(&name)) {
                return Err(error(
                    "ResourceAlreadyExistsException",
                    format!("A metric named {name} already exists in this metric attribution."),
                ));
            }
            metrics.push(metric.clone());
        }
    }
    members.insert("metrics".to_owned(), Value::Array(metrics));
    Ok(())
}

fn solution_version(
    engine: &Engine,
    caller: Caller<'_>,
    input: &Members,
) -> Result<(usize, String, Members), EngineError> {
    let kind = engine
        .registry
        .kind_named("SolutionVersion")
        .ok_or_else(|| error("InternalFailure", "no SolutionVersion kind"))?;
    let arn = input
        .get("solutionVersionArn")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("solutionVersionArn is required"))?
        .to_owned();
    let members = engine.find(caller, kind, &arn)?;
    Ok((kind, arn, members))
}

/// GetSolutionMetrics: deterministic metrics of an ACTIVE solution version, derived from its
/// ARN (the same version always gets the same values; values lie in [0, 1]).
fn solution_metrics(
    engine: &Engine,
    caller: Caller<'_>,
    input: &Members,
) -> Result<Vec<u8>, EngineError> {
    let (_, arn, members) = solution_version(engine, caller, input)?;
    let status = members
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if status != "ACTIVE" {
        return Err(error(
            "ResourceInUseException",
            format!(
                "The solution version {arn} is in {status} state; metrics exist once it is ACTIVE."
            ),
        ));
    }
    let seed = arn.bytes().fold(0u64, |h, b| splitmix(h ^ u64::from(b)));
    let mut metrics = serde_json::Map::new();
    for (i, name) in [
        "coverage",
        "mean_reciprocal_rank_at_25",
        "normalized_discounted_cumulative_gain_at_10",
        "normalized_discounted_cumulative_gain_at_25",
        "normalized_discounted_cumulative_gain_at_5",
        "precision_at_10",
        "precision_at_25",
        "precision_at_5",
    ]
    .into_iter()
    .enumerate()
    {
        let bits = splitmix(seed.wrapping_add(i as u64)) >> 44;
        let value = (bits as f64 / f64::from(1u32 << 20) * 10_000.0).round() / 10_000.0;
        metrics.insert(name.to_owned(), Value::from(value));
    }
    Ok(
        serde_json::to_vec(&json!({"solutionVersionArn": arn, "metrics": metrics}))
            .unwrap_or_default(),
    )
}

/// StopSolutionVersionCreation: a version being created moves to `CREATE STOPPING`, then
/// `CREATE STOPPED`.
fn stop_solution_version_creation(
    engine: &Engine,
    caller: Caller<'_>,
    input: &Members,
) -> Result<Vec<u8>, EngineError> {
    let (kind, arn, members) = solution_version(engine, caller, input)?;
    let status = members
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !matches!(status, "CREATE PENDING" | "CREATE IN_PROGRESS") {
        return Err(error(
            "ResourceInUseException",
            format!("The solution version {arn} is in {status} state; only a version being created can be stopped."),
        ));
    }
    engine.move_along(caller, kind, &arn, members, STOP_CREATION)?;
    Ok(b"{}".to_vec())
}

/// ListMetricAttributionMetrics: the metrics a metric attribution was created with (and
/// updated to), paged by position.
fn metric_attribution_metrics(
    engine: &Engine,
    caller: Caller<'_>,
    op: &'static OperationMeta,
    input: &Members,
) -> Result<Vec<u8>, EngineError> {
    let kind = engine
        .registry
        .kind_named("MetricAttribution")
        .ok_or_else(|| error("InternalFailure", "no MetricAttribution kind"))?;
    let Some(arn) = input.get("metricAttributionArn").and_then(Value::as_str) else {
        return Ok(b"{\"metrics\":[]}".to_vec());
    };
    let members = engine.find(caller, kind, arn)?;
    let metrics = members
        .get("metrics")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let binding = super::binding(op.name, caller, &[arn]);
    let start = match input.get("nextToken").and_then(Value::as_str) {
        None => 0,
        Some(token) => {
            let (cursor, _) = engine.tokens.open(token, &binding).map_err(|reason| {
                error(
                    "InvalidNextTokenException",
                    format!("Invalid next token: {reason}"),
                )
            })?;
            usize::try_from(cursor.seq).unwrap_or(usize::MAX)
        }
    };
    let limit = super::page_size(input);
    let page: Vec<Value> = metrics.iter().skip(start).take(limit).cloned().collect();
    let mut out = json!({ "metrics": page });
    if start + limit < metrics.len() {
        let cursor = super::store::Cursor {
            created: 0,
            seq: (start + limit) as u64,
        };
        out["nextToken"] = Value::from(engine.tokens.seal(cursor, 0, &binding));
    }
    Ok(serde_json::to_vec(&out).unwrap_or_default())
}

/// A UUID-shaped id derived from `seed` and the engine's id counter (deterministic per run).
fn uuid_from(seed: &str, engine: &Engine) -> String {
    let id = engine.next_id();
    let h = seed
        .bytes()
        .chain(id.bytes())
        .fold(0u64, |h, b| splitmix(h ^ u64::from(b)));
    let l = splitmix(h);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        h >> 32,
        (h >> 16) & 0xffff,
        h & 0xfff,
        0x8000 | (l >> 48 & 0x3fff),
        l & 0xffff_ffff_ffff
    )
}
