//! The one table of what the model cannot say about each resource kind, and the registry that
//! joins it with what the model does say.
//!
//! The model names the families (`Create<Noun>`, `Describe<Noun>`, `List<Noun>s`, …), the
//! resource and summary shapes, and the parents (`<noun>Arn` members of each Create input).
//! The table adds ARN forms, lifecycles, delete rules and the few fills a Create makes.
//! [`Registry::new`] derives everything else from `personalize_model`'s generated metadata;
//! a kind whose operations are in the model but not in the table (or the reverse) is reported
//! by the registry's tests, not at run time.

use std::collections::HashMap;

use personalize_model::{OperationMeta, StructureMeta, ValueKind};

/// How the ARN of a new resource is formed after `arn:<partition>:personalize:<region>:<account>:`.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ArnForm {
    /// `<type>/<name>`, the name from the Create input's `name` or `jobName`.
    Named(&'static str),
    /// `<type>/<parent's name>/<MEMBER>` (member upper-cased): a dataset is
    /// `dataset/<dataset group name>/<TYPE>`.
    UnderParent(&'static str, &'static str, &'static str),
    /// `<parent ARN>/<generated id>`: a solution version extends its solution's ARN.
    Extends(&'static str),
    /// AWS-owned: `arn:aws:personalize:::<type>/<name>` (catalogue entries, never created).
    Global,
}

/// Status sequences of the documented lifecycles (two transient states, then the final one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Steps(pub [&'static str; 3]);

/// `CREATE PENDING > CREATE IN_PROGRESS > ACTIVE` (most kinds).
pub(crate) const CREATE: Steps = Steps(["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"]);
/// `PENDING > IN PROGRESS > ACTIVE` (batch inference and batch segment jobs).
pub(crate) const JOB: Steps = Steps(["PENDING", "IN PROGRESS", "ACTIVE"]);
/// `PENDING > IN_PROGRESS > COMPLETED` (data deletion jobs).
pub(crate) const DELETION_JOB: Steps = Steps(["PENDING", "IN_PROGRESS", "COMPLETED"]);
/// `DELETE PENDING > DELETE IN_PROGRESS > (gone)`.
pub(crate) const DELETE: Steps = Steps(["DELETE PENDING", "DELETE IN_PROGRESS", ""]);
/// `DELETE PENDING > (gone)` (dataset groups document no `DELETE IN_PROGRESS`).
pub(crate) const DELETE_PENDING: Steps = Steps(["DELETE PENDING", "DELETE PENDING", ""]);
/// `STOP PENDING > STOP IN_PROGRESS > INACTIVE` (recommenders).
pub(crate) const STOP: Steps = Steps(["STOP PENDING", "STOP IN_PROGRESS", "INACTIVE"]);
/// `START PENDING > START IN_PROGRESS > ACTIVE` (recommenders).
pub(crate) const START: Steps = Steps(["START PENDING", "START IN_PROGRESS", "ACTIVE"]);
/// `CREATE STOPPING > CREATE STOPPED` (solution versions; the first step is skipped).
pub(crate) const STOP_CREATION: Steps =
    Steps(["CREATE STOPPING", "CREATE STOPPING", "CREATE STOPPED"]);

/// One row of the table.
#[derive(Clone, Copy, Debug)]
pub(crate) struct KindRule {
    /// The noun of the operation family (`DatasetGroup`).
    pub noun: &'static str,
    /// How its ARN is formed.
    pub arn: ArnForm,
    /// Its creation lifecycle; `None` for kinds without a status (schemas).
    pub create: Option<Steps>,
    /// The statuses Delete passes through before the resource is gone (documented kinds);
    /// `None`: gone at once.
    pub delete: Option<Steps>,
    /// Kinds whose resources under this one refuse its deletion (`ResourceInUseException`);
    /// every other resource under it is deleted with it.
    pub blocked_by: &'static [&'static str],
    /// Kinds whose resources under this one refuse its deletion while they are being created.
    pub blocked_while_creating: &'static [&'static str],
}

const fn row(noun: &'static str, arn: ArnForm, create: Option<Steps>) -> KindRule {
    KindRule {
        noun,
        arn,
        create,
        delete: None,
        blocked_by: &[],
        blocked_while_creating: &[],
    }
}

/// The table: every resource kind of Personalize, in alphabetical order.
pub(crate) const KINDS: &[KindRule] = &[
    row("Algorithm", ArnForm::Global, None),
    row(
        "BatchInferenceJob",
        ArnForm::Named("batch-inference-job"),
        Some(JOB),
    ),
    row(
        "BatchSegmentJob",
        ArnForm::Named("batch-segment-job"),
        Some(JOB),
    ),
    KindRule {
        delete: Some(DELETE),
        ..row("Campaign", ArnForm::Named("campaign"), Some(CREATE))
    },
    row(
        "DataDeletionJob",
        ArnForm::Named("data-deletion-job"),
        Some(DELETION_JOB),
    ),
    KindRule {
        delete: Some(DELETE),
        blocked_while_creating: &["DatasetImportJob", "SolutionVersion"],
        ..row(
            "Dataset",
            ArnForm::UnderParent("dataset", "datasetGroupArn", "datasetType"),
            Some(CREATE),
        )
    },
    row(
        "DatasetExportJob",
        ArnForm::Named("dataset-export-job"),
        Some(CREATE),
    ),
    KindRule {
        delete: Some(DELETE_PENDING),
        blocked_by: &["EventTracker", "Solution", "Dataset"],
        ..row(
            "DatasetGroup",
            ArnForm::Named("dataset-group"),
            Some(CREATE),
        )
    },
    row(
        "DatasetImportJob",
        ArnForm::Named("dataset-import-job"),
        Some(CREATE),
    ),
    KindRule {
        delete: Some(DELETE),
        ..row(
            "EventTracker",
            ArnForm::Named("event-tracker"),
            Some(CREATE),
        )
    },
    row("FeatureTransformation", ArnForm::Global, None),
    row("Filter", ArnForm::Named("filter"), Some(CREATE)),
    row(
        "MetricAttribution",
        ArnForm::Named("metric-attribution"),
        Some(CREATE),
    ),
    row("Recipe", ArnForm::Global, None),
    KindRule {
        delete: Some(DELETE),
        ..row("Recommender", ArnForm::Named("recommender"), Some(CREATE))
    },
    KindRule {
        blocked_by: &["Dataset"],
        ..row("Schema", ArnForm::Named("schema"), None)
    },
    KindRule {
        delete: Some(DELETE),
        blocked_by: &["Campaign"],
        blocked_while_creating: &["SolutionVersion"],
        ..row("Solution", ArnForm::Named("solution"), Some(CREATE))
    },
    row(
        "SolutionVersion",
        ArnForm::Extends("solutionArn"),
        Some(CREATE),
    ),
];

/// Index of a kind in [`KINDS`] and in the registry.
pub(crate) type KindId = usize;

/// A kind as the engine uses it: the table row joined with the model's shapes.
#[derive(Debug)]
pub(crate) struct Kind {
    /// The table row.
    pub rule: &'static KindRule,
    /// The resource shape (what Describe returns), e.g. `DatasetGroup`.
    pub resource: &'static StructureMeta,
    /// Describe output's member holding the resource (`datasetGroup`).
    pub describe_member: &'static str,
    /// The resource's own ARN member (`datasetGroupArn`).
    pub arn_member: &'static str,
    /// The List items' shape (`DatasetGroupSummary`), when the kind has a List operation.
    pub summary: Option<&'static StructureMeta>,
    /// Members of a Create input that name a parent, with the parent's kind.
    pub parents: Vec<(&'static str, KindId)>,
    /// The List input member that narrows the listing to one parent (`datasetGroupArn`).
    pub list_filter: Option<&'static str>,
    /// Words for messages (`dataset group`).
    pub words: String,
}

/// What an operation does, derived from its name and shapes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Action {
    /// `Create<Noun>`.
    Create(KindId),
    /// `Describe<Noun>`.
    Describe(KindId),
    /// `List<Noun>s`: the items member of the output, and the filter members of the input.
    List(KindId),
    /// `Delete<Noun>`.
    Delete(KindId),
    /// `Update<Noun>`.
    Update(KindId),
    /// `Start<Noun>`.
    Start(KindId),
    /// `Stop<Noun>`.
    Stop(KindId),
    /// `TagResource`.
    Tag,
    /// `UntagResource`.
    Untag,
    /// `ListTagsForResource`.
    ListTags,
    /// An operation outside the families, served by a named function in `quirks`.
    Quirk(&'static str),
}

/// Operations that fit no family: each has one named function in `super::quirks`.
pub(crate) const QUIRKS: &[&str] = &[
    "GetSolutionMetrics",
    "ListMetricAttributionMetrics",
    "StopSolutionVersionCreation",
];

/// Every kind and every operation's action, built once from the generated metadata.
#[derive(Debug)]
pub(crate) struct Registry {
    /// Kinds, indexed like [`KINDS`].
    pub kinds: Vec<Kind>,
    /// Action by operation name.
    actions: HashMap<&'static str, (Action, &'static OperationMeta)>,
}

/// Why the registry could not be built: the model and the table disagree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the kinds table does not fit the model: {0}")]
pub(crate) struct RegistryError(pub String);

impl Registry {
    /// Joins [`KINDS`] with the model's operations.
    pub fn new(
        operations: &'static [OperationMeta],
        structure: fn(&str) -> Option<&'static StructureMeta>,
    ) -> Result<Registry, RegistryError> {
        let fail = |what: String| RegistryError(what);
        let find_op = |name: &str| operations.iter().find(|op| op.name == name);
        let kind_of_noun = |noun: &str| KINDS.iter().position(|k| k.noun == noun);
        let mut kinds = Vec::with_capacity(KINDS.len());
        for rule in KINDS {
            let describe = find_op(&format!("Describe{}", rule.noun))
                .ok_or_else(|| fail(format!("no Describe{} operation", rule.noun)))?;
            let member = describe
                .output
                .members
                .iter()
                .find(|m| matches!(m.kind, ValueKind::Structure(_)))
                .ok_or_else(|| fail(format!("Describe{} returns no structure", rule.noun)))?;
            let ValueKind::Structure(shape) = member.kind else {
                return Err(fail(format!("Describe{} returns no structure", rule.noun)));
            };
            let resource = structure(shape).ok_or_else(|| fail(format!("no shape {shape}")))?;
            let arn_member = format!("{}Arn", lower_first(rule.noun));
            let arn_member = resource
                .member(&arn_member)
                .ok_or_else(|| fail(format!("{shape} has no {arn_member}")))?
                .name;
            let list = list_operation(operations, rule.noun);
            let summary = list
                .and_then(items_member)
                .and_then(|(_, element)| structure(element));
            let list_filter = list.and_then(|op| {
                op.input
                    .members
                    .iter()
                    .find(|m| m.name.ends_with("Arn"))
                    .map(|m| m.name)
            });
            kinds.push(Kind {
                rule,
                resource,
                describe_member: member.name,
                arn_member,
                summary,
                parents: Vec::new(),
                list_filter,
                words: words(rule.noun),
            });
        }
        for (id, kind) in kinds.iter_mut().enumerate() {
            let Some(create) = find_op(&format!("Create{}", KINDS[id].noun)) else {
                continue;
            };
            for member in create.input.members {
                if let Some(parent) = kind_of_arn_member(member.name) {
                    kind.parents.push((member.name, parent));
                }
            }
        }
        let mut actions = HashMap::new();
        for op in operations {
            let action = classify(op, &kind_of_noun)
                .ok_or_else(|| fail(format!("operation {} fits no family", op.name)))?;
            actions.insert(op.name, (action, op));
        }
        Ok(Registry { kinds, actions })
    }

    /// The action of operation `name`.
    pub fn action(&self, name: &str) -> Option<(Action, &'static OperationMeta)> {
        self.actions.get(name).copied()
    }

    /// The kind named `noun`.
    pub fn kind_named(&self, noun: &str) -> Option<KindId> {
        self.kinds.iter().position(|k| k.rule.noun == noun)
    }
}

fn classify(op: &OperationMeta, kind_of_noun: &dyn Fn(&str) -> Option<KindId>) -> Option<Action> {
    let name = op.name;
    if QUIRKS.contains(&name) {
        return Some(Action::Quirk(QUIRKS.iter().find(|q| **q == name)?));
    }
    match name {
        "TagResource" => return Some(Action::Tag),
        "UntagResource" => return Some(Action::Untag),
        "ListTagsForResource" => return Some(Action::ListTags),
        _ => {}
    }
    type Family = fn(KindId) -> Action;
    let verbs: [(&str, Family); 7] = [
        ("Create", Action::Create),
        ("Describe", Action::Describe),
        ("Delete", Action::Delete),
        ("Update", Action::Update),
        ("Start", Action::Start),
        ("Stop", Action::Stop),
        ("List", Action::List),
    ];
    for (verb, action) in verbs {
        if let Some(noun) = name.strip_prefix(verb) {
            let noun = if verb == "List" {
                noun.strip_suffix('s')?
            } else {
                noun
            };
            return kind_of_noun(noun).map(action);
        }
    }
    None
}

/// `List<Noun>s`, when the model has it.
fn list_operation(
    operations: &'static [OperationMeta],
    noun: &str,
) -> Option<&'static OperationMeta> {
    let name = format!("List{noun}s");
    operations.iter().find(|op| op.name == name)
}

/// The output member holding a List's items, and the items' structure name.
pub(crate) fn items_member(op: &'static OperationMeta) -> Option<(&'static str, &'static str)> {
    op.output.members.iter().find_map(|m| match m.kind {
        ValueKind::List(ValueKind::Structure(element)) => Some((m.name, *element)),
        _ => None,
    })
}

/// `datasetGroup` from `DatasetGroup`.
pub(crate) fn lower_first(noun: &str) -> String {
    let mut chars = noun.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// The kind a member such as `schemaArn` or `datasetGroupArn` names, if any (its noun with
/// the first letter lower-cased, then `Arn`).
pub(crate) fn kind_of_arn_member(member: &str) -> Option<KindId> {
    let noun = member.strip_suffix("Arn")?;
    KINDS.iter().position(|k| {
        let (first, rest) = k.noun.split_at(1);
        noun.len() == k.noun.len()
            && noun.get(..1).is_some_and(|f| f.eq_ignore_ascii_case(first))
            && noun.get(1..) == Some(rest)
    })
}

/// `dataset group` from `DatasetGroup`.
fn words(noun: &str) -> String {
    let mut out = String::new();
    for c in noun.chars() {
        if c.is_ascii_uppercase() && !out.is_empty() {
            out.push(' ');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}
