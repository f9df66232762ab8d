//! The resource engine: every Personalize operation served from the model's metadata and the
//! one table in [`kinds`].
//!
//! An operation's action comes from its name and shapes (`Create<Noun>`, `Describe<Noun>`,
//! `List<Noun>s`, `Delete<Noun>`, `Update<Noun>`, `Start`/`Stop<Noun>`, the tag operations);
//! the three operations outside the families are named functions in [`quirks`]. Inputs arrive
//! validated against the model (the protocol layer does that); the engine adds what the model
//! cannot say: parents that must exist, duplicate ARNs, lifecycles, delete rules, paging.
//!
//! State is kept per account and region ([`store::Partition`]); AWS-owned catalogue entries
//! (recipes, algorithms, feature transformations) live in a partition of their own, as their
//! ARNs (`arn:aws:personalize:::recipe/…`) say.

mod catalogue;
mod doc;
pub(crate) mod kinds;
pub(crate) mod lifecycle;
mod quirks;
pub(crate) mod seed;
mod store;
pub(crate) mod token;

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use personalize_model::{OperationMeta, StructureMeta};
use serde_json::{json, Value};

use doc::Members;
use kinds::{Action, ArnForm, Kind, KindId, Registry, Steps};
use lifecycle::{Clock, Schedules};
use store::{Partition, Pending, Resource};
use token::TokenCodec;

/// Page size when a List sets no `maxResults` (the model's documented default).
pub const DEFAULT_MAX_RESULTS: usize = 100;

/// The most tags a resource may carry (AWS's limit for Personalize resources).
pub(crate) const MAX_TAGS: usize = 50;

/// Who is asking: the account and region the request's credentials name.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Caller<'a> {
    /// Twelve-digit account id.
    pub account: &'a str,
    /// Region name.
    pub region: &'a str,
}

/// An error the engine answers with: a code of the service's error shapes and its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct EngineError {
    /// `ResourceNotFoundException`, …
    pub code: &'static str,
    /// AWS-style message.
    pub message: String,
}

fn error(code: &'static str, message: impl Into<String>) -> EngineError {
    EngineError {
        code,
        message: message.into(),
    }
}

fn invalid(message: impl Into<String>) -> EngineError {
    error("InvalidInputException", message)
}

/// Partition key: account and region (both empty for the AWS-owned catalogue).
type Place = (Box<str>, Box<str>);

/// The engine: registry, state, clock, schedules and token key.
#[derive(Debug)]
pub(crate) struct Engine {
    registry: Registry,
    structure: fn(&str) -> Option<&'static StructureMeta>,
    partitions: RwLock<HashMap<Place, Arc<RwLock<Partition>>>>,
    catalogue: Arc<RwLock<Partition>>,
    recipe_domains: HashMap<String, String>,
    tokens: TokenCodec,
    clock: RwLock<Clock>,
    schedules: RwLock<Schedules>,
    ids: std::sync::atomic::AtomicU64,
    changes: std::sync::atomic::AtomicU64,
}

fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

impl Engine {
    /// An engine for Personalize's generated model, with the shipped catalogue.
    pub fn new() -> Result<Engine, kinds::RegistryError> {
        let registry = Registry::new(
            personalize_model::service::OPERATION_METAS,
            personalize_model::schema::structure,
        )?;
        let mut engine = Engine {
            structure: personalize_model::schema::structure,
            partitions: RwLock::new(HashMap::new()),
            catalogue: Arc::new(RwLock::new(Partition::new(registry.kinds.len()))),
            recipe_domains: HashMap::new(),
            tokens: TokenCodec::random(),
            clock: RwLock::new(Clock::System),
            schedules: RwLock::new(Schedules::default()),
            ids: std::sync::atomic::AtomicU64::new(0),
            changes: std::sync::atomic::AtomicU64::new(0),
            registry,
        };
        catalogue::load(&mut engine).map_err(kinds::RegistryError)?;
        Ok(engine)
    }

    /// Sets the clock resource times come from.
    pub fn set_clock(&self, clock: Clock) {
        *write(&self.clock) = clock;
    }

    /// Sets the lifecycle delays for resources created from now on.
    pub fn set_schedules(&self, schedules: Schedules) {
        *write(&self.schedules) = schedules;
    }

    /// The lifecycle delays in force.
    pub fn schedules(&self) -> Schedules {
        read(&self.schedules).clone()
    }

    /// The current time in microseconds.
    fn now(&self) -> i64 {
        read(&self.clock).now().as_micros()
    }

    /// The registry (kinds and actions).
    pub(crate) fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Empties every account's resources (the catalogue stays).
    pub fn reset(&self) {
        for partition in read(&self.partitions).values() {
            write(partition).clear();
        }
        self.changed();
    }

    /// How many changes the state has seen (persistence writes when this moves).
    pub fn changes(&self) -> u64 {
        self.changes.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn changed(&self) {
        self.changes
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// Number of resources in every account and region (not the catalogue).
    pub fn len(&self) -> usize {
        read(&self.partitions).values().map(|p| read(p).len()).sum()
    }

    /// The resource with this ARN (any account and region), as Describe returns it.
    pub fn get(&self, arn: &str) -> Option<Value> {
        let (region, account) = seed::place_of(arn).unwrap_or(("", ""));
        let key: Place = (account.into(), region.into());
        let partition = if key.0.is_empty() && key.1.is_empty() {
            self.catalogue.clone()
        } else {
            read(&self.partitions).get(&key)?.clone()
        };
        // Statuses are derived from time: show what a Describe now would.
        self.advance(&partition);
        let p = read(&partition);
        let resource = p.get(arn)?;
        let members = doc::read(&resource.doc);
        let shape = self.registry.kinds[resource.kind].resource;
        serde_json::from_slice(&doc::project(&members, shape)).ok()
    }

    fn partition(&self, caller: Caller<'_>) -> Option<Arc<RwLock<Partition>>> {
        let key: Place = (caller.account.into(), caller.region.into());
        read(&self.partitions).get(&key).cloned()
    }

    fn partition_mut(&self, account: &str, region: &str) -> Arc<RwLock<Partition>> {
        if account.is_empty() && region.is_empty() {
            return self.catalogue.clone();
        }
        let key: Place = (account.into(), region.into());
        if let Some(p) = read(&self.partitions).get(&key) {
            return p.clone();
        }
        write(&self.partitions)
            .entry(key)
            .or_insert_with(|| Arc::new(RwLock::new(Partition::new(self.registry.kinds.len()))))
            .clone()
    }

    /// The partition holding resources of `kind` for `caller`.
    fn home(&self, caller: Caller<'_>, kind: KindId) -> Option<Arc<RwLock<Partition>>> {
        if matches!(self.registry.kinds[kind].rule.arn, ArnForm::Global) {
            Some(self.catalogue.clone())
        } else {
            self.partition(caller)
        }
    }

    /// Serves operation `name` with a validated input; the output as JSON bytes.
    pub fn call(
        &self,
        caller: Caller<'_>,
        name: &str,
        input: Value,
    ) -> Result<Vec<u8>, EngineError> {
        let Some((action, op)) = self.registry.action(name) else {
            return Err(error(
                "UnknownOperationException",
                format!("{name} is not an operation of the engine's model"),
            ));
        };
        let Value::Object(input) = input else {
            return Err(invalid("the request body is not a JSON object"));
        };
        if let Some(partition) = self.partition(caller) {
            self.advance(&partition);
        }
        let reads = matches!(
            action,
            Action::Describe(_) | Action::List(_) | Action::ListTags
        ) || matches!(
            action,
            Action::Quirk("GetSolutionMetrics" | "ListMetricAttributionMetrics")
        );
        let result = self.serve(caller, action, op, input);
        if result.is_ok() && !reads {
            self.changed();
        }
        result
    }

    fn serve(
        &self,
        caller: Caller<'_>,
        action: Action,
        op: &'static OperationMeta,
        input: Members,
    ) -> Result<Vec<u8>, EngineError> {
        match action {
            Action::Create(kind) => self.create(caller, kind, op, input),
            Action::Describe(kind) => self.describe(caller, kind, &input),
            Action::List(kind) => self.list(caller, kind, op, &input),
            Action::Delete(kind) => self.delete(caller, kind, &input),
            Action::Update(kind) => self.update(caller, kind, op, input),
            Action::Start(kind) => {
                self.start_stop(caller, kind, op, &input, "INACTIVE", kinds::START)
            }
            Action::Stop(kind) => self.start_stop(caller, kind, op, &input, "ACTIVE", kinds::STOP),
            Action::Tag => self.tag(caller, &input),
            Action::Untag => self.untag(caller, &input),
            Action::ListTags => self.list_tags(caller, &input),
            Action::Quirk(name) => quirks::serve(self, caller, name, op, &input),
        }
    }

    /// Applies the status changes due by now in `partition`.
    fn advance(&self, partition: &RwLock<Partition>) {
        let now = self.now();
        if read(partition).next_due().is_none_or(|due| due > now) {
            return;
        }
        let mut p = write(partition);
        self.changed();
        for arn in p.take_due(now) {
            let Some(resource) = p.get(&arn) else {
                continue;
            };
            let Some(pending) = resource.pending.as_deref().copied() else {
                continue;
            };
            let (step, since) = pending.step_at(now);
            if step == 2 && pending.steps[2].is_empty() {
                p.remove(&arn);
                continue;
            }
            let kind = resource.kind;
            let mut members = doc::read(&resource.doc);
            set_status(
                &mut members,
                &self.registry.kinds[kind],
                &pending,
                step,
                since,
            );
            let (doc, summary) = self.render(kind, &members);
            p.update(&arn, |r| {
                r.doc = doc;
                r.summary = summary;
                if step == 2 {
                    r.pending = None;
                }
            });
            self.refresh_latest(&mut p, kind, &members);
        }
    }

    /// Keeps a parent's `latest<Noun>` member (a solution's `latestSolutionVersion`) showing
    /// its newest resource of `kind_id` as that resource is now.
    fn refresh_latest(&self, p: &mut Partition, kind_id: KindId, members: &Members) {
        let kind = &self.registry.kinds[kind_id];
        let block = format!("latest{}", kind.rule.noun);
        let own_arn = members.get(kind.arn_member).and_then(Value::as_str);
        let created = members.get("creationDateTime").and_then(Value::as_f64);
        for (member, parent_kind) in &kind.parents {
            let parent = &self.registry.kinds[*parent_kind];
            let Some(shape) = parent.resource.member(&block).and_then(|m| match m.kind {
                personalize_model::ValueKind::Structure(name) => (self.structure)(name),
                _ => None,
            }) else {
                continue;
            };
            let Some(parent_arn) = members.get(*member).and_then(Value::as_str) else {
                continue;
            };
            let Some(stored) = p.get(parent_arn).filter(|r| r.kind == *parent_kind) else {
                continue;
            };
            let mut parent_members = doc::read(&stored.doc);
            let current = parent_members.get(&block);
            let shows_self = current
                .and_then(|c| c.get(kind.arn_member))
                .and_then(Value::as_str)
                == own_arn;
            let older = current
                .and_then(|c| c.get("creationDateTime"))
                .and_then(Value::as_f64)
                .is_none_or(|c| created.is_some_and(|n| n >= c));
            if !(current.is_none() || shows_self || older) {
                continue;
            }
            let Ok(latest) = serde_json::from_slice::<Value>(&doc::project(members, shape)) else {
                continue;
            };
            parent_members.insert(block.clone(), latest);
            let (doc, summary) = self.render(*parent_kind, &parent_members);
            p.update(parent_arn, |r| {
                r.doc = doc;
                r.summary = summary;
            });
        }
    }

    /// A resource's doc and (when it differs) summary bytes.
    fn render(&self, kind: KindId, members: &Members) -> (Box<[u8]>, Option<Box<[u8]>>) {
        let k = &self.registry.kinds[kind];
        let orders: Vec<&StructureMeta> = k.summary.into_iter().chain([k.resource]).collect();
        let doc = doc::write(members, &orders);
        let summary = k
            .summary
            .map(|shape| doc::project(members, shape))
            .filter(|s| s[..] != doc[..]);
        // Copied into allocations of their exact size: shrinking the written buffers in place
        // would leave a hole of up to half their size beside every stored resource.
        (Box::from(&doc[..]), summary.as_deref().map(Box::from))
    }

    /// Looks up `arn` as a resource of `kind` for `caller`.
    fn find(&self, caller: Caller<'_>, kind: KindId, arn: &str) -> Result<Members, EngineError> {
        let not_found = || self.not_found(kind, arn);
        let partition = self.home(caller, kind).ok_or_else(not_found)?;
        let p = read(&partition);
        let resource = p
            .get(arn)
            .filter(|r| r.kind == kind)
            .ok_or_else(not_found)?;
        Ok(doc::read(&resource.doc))
    }

    fn not_found(&self, kind: KindId, arn: &str) -> EngineError {
        error(
            "ResourceNotFoundException",
            format!(
                "Could not find {} with ARN {arn}.",
                self.registry.kinds[kind].words
            ),
        )
    }

    fn arn_input<'i>(&self, kind: &Kind, input: &'i Members) -> Result<&'i str, EngineError> {
        input
            .get(kind.arn_member)
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(format!("1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null", kind.arn_member)))
    }

    fn create(
        &self,
        caller: Caller<'_>,
        kind_id: KindId,
        op: &'static OperationMeta,
        mut members: Members,
    ) -> Result<Vec<u8>, EngineError> {
        let kind = &self.registry.kinds[kind_id];
        let tags = take_tags(&mut members)?;
        // Where the model lets Create answer ResourceInUseException, a parent must be ACTIVE
        // ("You must wait until the status of the dataset group is ACTIVE before adding a
        // dataset", "Wait until the status shows as ACTIVE before calling CreateCampaign").
        let parent_in_use = op.errors.iter().any(|e| e.code == "ResourceInUseException");
        let mut parents = Vec::new();
        for (member, parent_kind) in &kind.parents {
            if let Some(arn) = members.get(*member).and_then(Value::as_str) {
                let parent = self.find(caller, *parent_kind, arn)?;
                if let Some(status) = parent.get("status").and_then(Value::as_str) {
                    if parent_in_use && status != "ACTIVE" {
                        return Err(error(
                            "ResourceInUseException",
                            format!(
                                "The {} {arn} is in {status} state; it must be ACTIVE first.",
                                self.registry.kinds[*parent_kind].words
                            ),
                        ));
                    }
                }
                parents.push((*member, *parent_kind, parent));
            }
        }
        for (_, _, parent) in &parents {
            for m in kind.resource.members {
                if !members.contains_key(m.name) && inheritable(m.name) {
                    if let Some(v) = parent.get(m.name) {
                        members.insert(m.name.to_owned(), v.clone());
                    }
                }
            }
        }
        let tail = match kind.rule.arn {
            ArnForm::Named(ty) => format!("{ty}/{}", name_of(&members)),
            ArnForm::UnderParent(ty, parent_member, member) => {
                let parent_name = parents
                    .iter()
                    .find(|(m, ..)| *m == parent_member)
                    .and_then(|(.., doc)| doc.get("name"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                // The API Reference's ARNs spell the type in capitals whatever case the
                // request used: `datasetType` "Interactions" makes `dataset/<group>/INTERACTIONS`.
                let own = members
                    .get(member)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_ascii_uppercase();
                format!("{ty}/{parent_name}/{own}")
            }
            ArnForm::Extends(parent_member) => {
                let parent = members
                    .get(parent_member)
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let parent_tail = parent.splitn(6, ':').nth(5).unwrap_or_default();
                format!("{parent_tail}/{}", self.next_id())
            }
            ArnForm::Global => {
                return Err(invalid(format!(
                    "{} resources are owned by AWS",
                    kind.words
                )))
            }
        };
        let arn = format!(
            "arn:aws:personalize:{}:{}:{tail}",
            caller.region, caller.account
        );
        let partition = self.partition_mut(caller.account, caller.region);
        if read(&partition).get(&arn).is_some() {
            return Err(error(
                "ResourceAlreadyExistsException",
                format!("A {} with ARN {arn} already exists.", kind.words),
            ));
        }
        let now = self.now();
        members.insert(kind.arn_member.to_owned(), Value::from(arn.as_str()));
        quirks::fill(self, caller, kind, &mut members);
        let mut pending = None;
        if let Some(steps) = kind.rule.create {
            let delays = self.schedules().delays(kind.rule.noun);
            let p = Pending {
                steps: steps.0,
                start: now,
                delays,
                on_update: false,
            };
            let (step, since) = p.step_at(now);
            set_status(&mut members, kind, &p, step, since);
            if step < 2 {
                pending = Some(Box::new(p));
            }
        }
        stamp(&mut members, kind.resource, now, true);
        let filter = self.filter_value(kind_id, &members, &parents);
        let (doc, summary) = self.render(kind_id, &members);
        let output = doc::project(&members, op.output);
        let mut p = write(&partition);
        if p.get(&arn).is_some() {
            return Err(error(
                "ResourceAlreadyExistsException",
                format!("A {} with ARN {arn} already exists.", kind.words),
            ));
        }
        let filter = filter.map(|f| p.intern_filter(kind_id, &f));
        p.insert(Resource {
            kind: kind_id,
            doc,
            summary,
            arn: arn.as_str().into(),
            created: now,
            seq: 0,
            filter,
            pending,
        });
        p.set_tags(&arn, tags);
        self.refresh_latest(&mut p, kind_id, &members);
        Ok(output)
    }

    /// The value of `kind`'s List filter for a resource with these members: its own member of
    /// that name, else a parent's (a campaign's solution is its solution version's).
    fn filter_value(
        &self,
        kind_id: KindId,
        members: &Members,
        parents: &[(&'static str, KindId, Members)],
    ) -> Option<String> {
        let filter = self.registry.kinds[kind_id].list_filter?;
        if let Some(v) = members.get(filter).and_then(Value::as_str) {
            return Some(v.to_owned());
        }
        for (member, parent_kind, parent) in parents {
            if let Some(v) = parent.get(filter).and_then(Value::as_str) {
                return Some(v.to_owned());
            }
            // A parent whose ARN extends the filter's (a solution version's extends its
            // solution's), when the parent itself is not stored.
            if let ArnForm::Extends(base) = self.registry.kinds[*parent_kind].rule.arn {
                if base == filter {
                    let arn = members.get(*member).and_then(Value::as_str)?;
                    return arn.rsplit_once('/').map(|(head, _)| head.to_owned());
                }
            }
        }
        None
    }

    fn next_id(&self) -> String {
        let n = self.ids.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("{:08x}", (splitmix(n) >> 32) as u32)
    }

    fn describe(
        &self,
        caller: Caller<'_>,
        kind_id: KindId,
        input: &Members,
    ) -> Result<Vec<u8>, EngineError> {
        let kind = &self.registry.kinds[kind_id];
        let arn = self.arn_input(kind, input)?;
        let members = self.find(caller, kind_id, arn)?;
        let body = doc::project(&members, kind.resource);
        let mut out = Vec::with_capacity(body.len() + kind.describe_member.len() + 8);
        out.extend_from_slice(b"{");
        out.extend_from_slice(Value::from(kind.describe_member).to_string().as_bytes());
        out.push(b':');
        out.extend_from_slice(&body);
        out.push(b'}');
        Ok(out)
    }

    fn list(
        &self,
        caller: Caller<'_>,
        kind_id: KindId,
        op: &'static OperationMeta,
        input: &Members,
    ) -> Result<Vec<u8>, EngineError> {
        let kind = &self.registry.kinds[kind_id];
        let (items_member, _) = kinds::items_member(op).ok_or_else(|| {
            error(
                "InternalFailure",
                format!("{} has no items member", op.name),
            )
        })?;
        let filter = kind
            .list_filter
            .and_then(|f| input.get(f))
            .and_then(Value::as_str);
        // A List that models ResourceNotFoundException refuses a parent that does not exist.
        if let (Some(member), Some(value)) = (kind.list_filter, filter) {
            if op
                .errors
                .iter()
                .any(|e| e.code == "ResourceNotFoundException")
            {
                if let Some(parent_kind) = kinds::kind_of_arn_member(member) {
                    self.find(caller, parent_kind, value)?;
                }
            }
        }
        let keep = catalogue::list_filter(self, input);
        let limit = page_size(input);
        let binding = binding(
            op.name,
            caller,
            &[filter.unwrap_or_default(), &keep.describe()],
        );
        let partition = self.home(caller, kind_id);
        let guard = partition.as_ref().map(|p| read(p));
        let snapshot_now = guard.as_ref().map_or(0, |p| p.snapshot());
        let (after, snapshot) = match input.get("nextToken").and_then(Value::as_str) {
            None => (None, snapshot_now),
            Some(token) => {
                let (cursor, snapshot) = self.tokens.open(token, &binding).map_err(|reason| {
                    error(
                        "InvalidNextTokenException",
                        format!("Invalid next token: {reason}"),
                    )
                })?;
                (Some(cursor), snapshot)
            }
        };
        let mut out = Vec::with_capacity(64 + limit * 320);
        out.extend_from_slice(b"{");
        out.extend_from_slice(Value::from(items_member).to_string().as_bytes());
        out.extend_from_slice(b":[");
        let mut next = None;
        if let Some(p) = &guard {
            let page = p.page(kind_id, filter, after, snapshot, limit, &|r| keep.keeps(r));
            for (i, resource) in page.items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(resource.summary_bytes());
            }
            next = page.next;
        }
        out.push(b']');
        if let Some(cursor) = next {
            out.extend_from_slice(b",\"nextToken\":");
            let token = self.tokens.seal(cursor, snapshot, &binding);
            out.extend_from_slice(Value::from(token).to_string().as_bytes());
        }
        out.push(b'}');
        Ok(out)
    }

    fn delete(
        &self,
        caller: Caller<'_>,
        kind_id: KindId,
        input: &Members,
    ) -> Result<Vec<u8>, EngineError> {
        let kind = &self.registry.kinds[kind_id];
        let arn = self.arn_input(kind, input)?.to_owned();
        let members = self.find(caller, kind_id, &arn)?;
        let partition = self.partition_mut(caller.account, caller.region);
        let mut p = write(&partition);
        let status = members
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if is_transient(status) {
            return Err(error(
                "ResourceInUseException",
                format!(
                    "The {} {arn} is in {status} state and cannot be deleted.",
                    kind.words
                ),
            ));
        }
        let descendants = self.descendants(&p, kind_id, &arn);
        for (child_kind, child_arn, child_status) in &descendants {
            let child = &self.registry.kinds[*child_kind];
            if kind.rule.blocked_by.contains(&child.rule.noun) {
                return Err(error(
                    "ResourceInUseException",
                    format!(
                        "The {} {arn} still has a {} ({child_arn}); delete it first.",
                        kind.words, child.words
                    ),
                ));
            }
            if kind.rule.blocked_while_creating.contains(&child.rule.noun)
                && is_transient(child_status)
            {
                return Err(error(
                    "ResourceInUseException",
                    format!(
                        "The {} {arn} has a {} in {child_status} state ({child_arn}).",
                        kind.words, child.words
                    ),
                ));
            }
        }
        // Versions trained on a dataset hang off its dataset group, not off the dataset
        // ("can't delete a dataset if an associated … SolutionVersion is in the CREATE
        // PENDING or IN PROGRESS state"): for a kind kept under a container
        // (`ArnForm::UnderParent`), blocking kinds that are not its own children are looked
        // for in the whole container.
        if let ArnForm::UnderParent(_, container, _) = kind.rule.arn {
            let group = members.get(container).and_then(Value::as_str);
            let group_kind = kind.parents.iter().find(|(m, _)| *m == container);
            if let (Some(group), Some((_, group_kind))) = (group, group_kind) {
                let others = self.descendants(&p, *group_kind, group);
                for (other_kind, other_arn, other_status) in others {
                    let other = &self.registry.kinds[other_kind];
                    let own_child = other.parents.iter().any(|(_, pk)| *pk == kind_id);
                    if !own_child
                        && kind.rule.blocked_while_creating.contains(&other.rule.noun)
                        && is_transient(&other_status)
                    {
                        return Err(error(
                            "ResourceInUseException",
                            format!(
                                "The {} {arn} has an associated {} in {other_status} state ({other_arn}).",
                                kind.words, other.words
                            ),
                        ));
                    }
                }
            }
        }
        for (_, child_arn, _) in &descendants {
            p.remove(child_arn);
        }
        let delays = self.schedules().delays(kind.rule.noun);
        if let Some(steps) = kind.rule.delete.filter(|_| delays != [0, 0]) {
            let now = self.now();
            let pending = Pending {
                steps: steps.0,
                start: now,
                delays,
                on_update: false,
            };
            let mut members = members;
            set_status(&mut members, kind, &pending, 0, now);
            let (doc, summary) = self.render(kind_id, &members);
            p.update(&arn, |r| {
                r.doc = doc;
                r.summary = summary;
                r.pending = Some(Box::new(pending));
            });
        } else {
            p.remove(&arn);
        }
        Ok(b"{}".to_vec())
    }

    /// Every resource under `arn` (children, their children, …): kind, ARN, status.
    fn descendants(
        &self,
        p: &Partition,
        kind_id: KindId,
        arn: &str,
    ) -> Vec<(KindId, String, String)> {
        let mut found = Vec::new();
        let mut queue = vec![(kind_id, arn.to_owned())];
        while let Some((parent_kind, parent_arn)) = queue.pop() {
            for (child_kind, child) in self.registry.kinds.iter().enumerate() {
                for (member, pk) in &child.parents {
                    if *pk != parent_kind {
                        continue;
                    }
                    for r in p.children(child_kind, member, &parent_arn) {
                        if found
                            .iter()
                            .any(|(_, a, _): &(KindId, String, String)| a == r.arn())
                        {
                            continue;
                        }
                        let status = doc::read(&r.doc)
                            .get("status")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned();
                        found.push((child_kind, r.arn().to_owned(), status));
                        queue.push((child_kind, r.arn().to_owned()));
                    }
                }
            }
        }
        found
    }

    fn update(
        &self,
        caller: Caller<'_>,
        kind_id: KindId,
        op: &'static OperationMeta,
        input: Members,
    ) -> Result<Vec<u8>, EngineError> {
        let kind = &self.registry.kinds[kind_id];
        let arn = self.arn_input(kind, &input)?.to_owned();
        let mut members = self.find(caller, kind_id, &arn)?;
        let status = members
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or("ACTIVE");
        if status != "ACTIVE" {
            return Err(error(
                "ResourceInUseException",
                format!(
                    "The {} {arn} is in {status} state; it can be updated when ACTIVE.",
                    kind.words
                ),
            ));
        }
        for (member, value) in &input {
            if member == kind.arn_member {
                continue;
            }
            if let Some(parent_kind) = kinds::kind_of_arn_member(member) {
                if let Some(other) = value.as_str() {
                    self.find(caller, parent_kind, other)?;
                }
            }
        }
        quirks::update(op, &input, &mut members)?;
        let now = self.now();
        for (member, value) in &input {
            if member != kind.arn_member && kind.resource.member(member).is_some() {
                members.insert(member.clone(), value.clone());
            }
        }
        let mut pending = None;
        let block_name = format!("latest{}Update", kind.rule.noun);
        if let Some(block) = kind.resource.member(&block_name) {
            if let personalize_model::ValueKind::Structure(shape) = block.kind {
                if let Some(shape) = (self.structure)(shape) {
                    let mut update = Members::new();
                    for m in shape.members {
                        if let Some(v) = input.get(m.name).or_else(|| members.get(m.name)) {
                            if !matches!(
                                m.name,
                                "status"
                                    | "failureReason"
                                    | "creationDateTime"
                                    | "lastUpdatedDateTime"
                            ) {
                                update.insert(m.name.to_owned(), v.clone());
                            }
                        }
                    }
                    stamp(&mut update, shape, now, true);
                    let p = Pending {
                        steps: kinds::CREATE.0,
                        start: now,
                        delays: self.schedules().delays(kind.rule.noun),
                        on_update: true,
                    };
                    let (step, since) = p.step_at(now);
                    members.insert(block_name.clone(), Value::Object(update));
                    set_status(&mut members, kind, &p, step, since);
                    if step < 2 {
                        pending = Some(Box::new(p));
                    }
                }
            }
        }
        stamp(&mut members, kind.resource, now, false);
        let (doc, summary) = self.render(kind_id, &members);
        let partition = self.partition_mut(caller.account, caller.region);
        write(&partition).update(&arn, |r| {
            r.doc = doc;
            r.summary = summary;
            r.pending = pending;
        });
        Ok(doc::project(&members, op.output))
    }

    fn start_stop(
        &self,
        caller: Caller<'_>,
        kind_id: KindId,
        op: &'static OperationMeta,
        input: &Members,
        from: &str,
        steps: Steps,
    ) -> Result<Vec<u8>, EngineError> {
        let kind = &self.registry.kinds[kind_id];
        let arn = self.arn_input(kind, input)?.to_owned();
        let members = self.find(caller, kind_id, &arn)?;
        let status = members
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if status != from {
            return Err(error(
                "ResourceInUseException",
                format!(
                    "The {} {arn} is in {status} state; {} needs it {from}.",
                    kind.words, op.name
                ),
            ));
        }
        self.move_along(caller, kind_id, &arn, members, steps)?;
        Ok(doc::project(input, op.output))
    }

    /// Starts `steps` on a resource now, on its kind's schedule.
    fn move_along(
        &self,
        caller: Caller<'_>,
        kind_id: KindId,
        arn: &str,
        mut members: Members,
        steps: Steps,
    ) -> Result<(), EngineError> {
        let kind = &self.registry.kinds[kind_id];
        let now = self.now();
        let p = Pending {
            steps: steps.0,
            start: now,
            delays: self.schedules().delays(kind.rule.noun),
            on_update: false,
        };
        let (step, since) = p.step_at(now);
        set_status(&mut members, kind, &p, step, since);
        let (doc, summary) = self.render(kind_id, &members);
        let partition = self.partition_mut(caller.account, caller.region);
        let mut store = write(&partition);
        store.update(arn, |r| {
            r.doc = doc;
            r.summary = summary;
            r.pending = (step < 2).then(|| Box::new(p));
        });
        self.refresh_latest(&mut store, kind_id, &members);
        Ok(())
    }

    /// The partition and kind holding `arn` for `caller` (any kind).
    fn any(&self, caller: Caller<'_>, arn: &str) -> Result<Arc<RwLock<Partition>>, EngineError> {
        let not_found = || {
            error(
                "ResourceNotFoundException",
                format!("Could not find resource with ARN {arn}."),
            )
        };
        let partition = self.partition(caller).ok_or_else(not_found)?;
        if read(&partition).get(arn).is_none() {
            return Err(not_found());
        }
        Ok(partition)
    }

    fn tag(&self, caller: Caller<'_>, input: &Members) -> Result<Vec<u8>, EngineError> {
        let arn = input
            .get("resourceArn")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let partition = self.any(caller, arn)?;
        let mut p = write(&partition);
        let mut tags = p.tags(arn).map(<[_]>::to_vec).unwrap_or_default();
        let mut given = input.clone();
        for (key, value) in take_tags(&mut given)? {
            match tags.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => tags.push((key, value)),
            }
        }
        if tags.len() > MAX_TAGS {
            return Err(too_many_tags(tags.len()));
        }
        p.set_tags(arn, tags);
        Ok(b"{}".to_vec())
    }

    fn untag(&self, caller: Caller<'_>, input: &Members) -> Result<Vec<u8>, EngineError> {
        let arn = input
            .get("resourceArn")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let partition = self.any(caller, arn)?;
        let mut p = write(&partition);
        let keys: Vec<&str> = input
            .get("tagKeys")
            .and_then(Value::as_array)
            .map(|keys| keys.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut tags = p.tags(arn).map(<[_]>::to_vec).unwrap_or_default();
        tags.retain(|(k, _)| !keys.contains(&k.as_str()));
        p.set_tags(arn, tags);
        Ok(b"{}".to_vec())
    }

    fn list_tags(&self, caller: Caller<'_>, input: &Members) -> Result<Vec<u8>, EngineError> {
        let arn = input
            .get("resourceArn")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let partition = self.any(caller, arn)?;
        let p = read(&partition);
        let tags: Vec<Value> = p
            .tags(arn)
            .unwrap_or_default()
            .iter()
            .map(|(k, v)| json!({"tagKey": k, "tagValue": v}))
            .collect();
        Ok(serde_json::to_vec(&json!({ "tags": tags })).unwrap_or_default())
    }
}

/// `{"tags":[{"tagKey","tagValue"}]}` taken out of an input.
fn take_tags(members: &mut Members) -> Result<Vec<(String, String)>, EngineError> {
    let Some(Value::Array(tags)) = members.remove("tags") else {
        return Ok(Vec::new());
    };
    let mut out: Vec<(String, String)> = Vec::with_capacity(tags.len());
    for tag in tags {
        let key = tag
            .get("tagKey")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let value = tag
            .get("tagValue")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match out.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value.to_owned(),
            None => out.push((key.to_owned(), value.to_owned())),
        }
    }
    if out.len() > MAX_TAGS {
        return Err(too_many_tags(out.len()));
    }
    Ok(out)
}

fn too_many_tags(n: usize) -> EngineError {
    error(
        "TooManyTagsException",
        format!("A resource can have at most {MAX_TAGS} tags; this request would leave it {n}."),
    )
}

/// Members a new resource does not take from its parents.
fn inheritable(member: &str) -> bool {
    !matches!(
        member,
        "name"
            | "jobName"
            | "status"
            | "failureReason"
            | "creationDateTime"
            | "lastUpdatedDateTime"
    ) && !member.starts_with("latest")
}

fn name_of(members: &Members) -> &str {
    members
        .get("name")
        .or_else(|| members.get("jobName"))
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// Whether a status is one a resource passes through (`CREATE PENDING`, `IN PROGRESS`, …).
fn is_transient(status: &str) -> bool {
    status.contains("PENDING")
        || status.contains("IN_PROGRESS")
        || status.contains("IN PROGRESS")
        || status.contains("STOPPING")
}

/// Sets the status `pending` shows at step `step` (begun at `since`) on the resource or on its
/// `latest<Noun>Update` block.
fn set_status(members: &mut Members, kind: &Kind, pending: &Pending, step: usize, since: i64) {
    let time = doc::timestamp(personalize_model::DateTime::from_micros(since));
    let status = Value::from(pending.steps[step]);
    if pending.on_update {
        let block = format!("latest{}Update", kind.rule.noun);
        if let Some(Value::Object(update)) = members.get_mut(&block) {
            update.insert("status".to_owned(), status);
            update.insert("lastUpdatedDateTime".to_owned(), time.clone());
        }
        if step == 2 {
            members.insert("lastUpdatedDateTime".to_owned(), time);
        }
        return;
    }
    if kind.resource.member("status").is_some() {
        members.insert("status".to_owned(), status);
    }
    if kind.resource.member("lastUpdatedDateTime").is_some() {
        members.insert("lastUpdatedDateTime".to_owned(), time);
    }
}

/// Sets `creationDateTime` (when `created`) and `lastUpdatedDateTime` where `shape` has them.
fn stamp(members: &mut Members, shape: &StructureMeta, now: i64, created: bool) {
    let time = doc::timestamp(personalize_model::DateTime::from_micros(now));
    if created && shape.member("creationDateTime").is_some() {
        members.insert("creationDateTime".to_owned(), time.clone());
    }
    if shape.member("lastUpdatedDateTime").is_some() {
        members.insert("lastUpdatedDateTime".to_owned(), time);
    }
}

fn page_size(input: &Members) -> usize {
    input
        .get("maxResults")
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(DEFAULT_MAX_RESULTS)
}

/// What a page token is bound to: the operation, the caller's place and the filters.
fn binding(op: &str, caller: Caller<'_>, filters: &[&str]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    for part in [op, caller.account, caller.region].iter().chain(filters) {
        out.extend_from_slice(&(part.len() as u64).to_be_bytes());
        out.extend_from_slice(part.as_bytes());
    }
    out
}

/// A fixed 64-bit mixer (SplitMix64's finaliser): deterministic ids that look random.
fn splitmix(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests;
