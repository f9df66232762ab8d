//! The shape space: every Smithy shape the generator emits, resolved to Rust names, Rust types,
//! serde wire names and the constraint checks their traits ask for. No tokens are produced
//! here; `emit` turns this description into code.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use serde_json::Value;

use crate::docs;
use crate::pattern;
use crate::slice::Operations;
use crate::smithy::{is_prelude, shape_name, traits, Member, Model, Shape};
use crate::CodegenError;

/// Type names the generated modules import or rely on; shapes with these names get `Shape` appended.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Eq",
    "Serialize",
    "Deserialize",
    "Validate",
    "Validator",
    "Rule",
    "LazyDfa",
    "DfaBytes",
    "DateTime",
    "Blob",
    "Document",
    "BTreeMap",
    "Self",
    "Some",
    "None",
    "Ok",
    "Err",
];

/// Where a generated type lives.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Module {
    /// `crate::types`.
    Types,
    /// `crate::error`.
    Error,
    /// `crate::operation::<snake>`.
    Operation(String),
}

/// A Rust type a member can have (without the outer `Option`).
#[derive(Clone, Debug, PartialEq)]
pub enum RustType {
    /// `String`
    String,
    /// `bool`
    Bool,
    /// `i8`
    I8,
    /// `i16`
    I16,
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f32`
    F32,
    /// `f64`
    F64,
    /// `crate::DateTime`
    DateTime,
    /// `crate::Blob`
    Blob,
    /// `crate::Document`
    Document,
    /// `Vec<T>`
    List(Box<RustType>),
    /// `BTreeMap<K, V>`
    Map(Box<RustType>, Box<RustType>),
    /// A generated structure.
    Struct(String, Module),
    /// A generated enum or intEnum (always in `crate::types`).
    Enum(String),
    /// `Option<T>`: an element of a `@sparse` list or map, which may be `null`.
    Nullable(Box<RustType>),
}

/// `@timestampFormat` of a timestamp value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampFormat {
    /// `epoch-seconds` (the awsJson default; `DateTime`'s own serde form).
    EpochSeconds,
    /// `date-time`: RFC 3339 text.
    DateTime,
    /// `http-date`: IMF-fixdate text.
    HttpDate,
}

/// `@length`, `@range` and `@pattern` of a value, after member traits override target traits.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// `@length` bounds.
    pub length: Option<(Option<u64>, Option<u64>)>,
    /// `@range` bounds.
    pub range: Option<(Option<f64>, Option<f64>)>,
    /// `@pattern`: the static holding its translation, and the ECMA text.
    pub pattern: Option<PatternRef>,
}

/// A reference to a generated pattern static.
#[derive(Clone, Debug, PartialEq)]
pub struct PatternRef {
    /// Name of the `LazyDfa` static in `crate::patterns`.
    pub static_name: String,
    /// The pattern as the model writes it (used in messages).
    pub ecma: String,
}

/// A value (member, list element, map key or value): its type and what to check on it.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueDef {
    /// The target shape's name without namespace (`Arn`, `String`, `DatasetGroupSummary`).
    pub target: String,
    /// The Rust type.
    pub ty: RustType,
    /// The constraint traits that apply.
    pub constraints: Constraints,
    /// List element, or map value.
    pub element: Option<Box<ValueDef>>,
    /// Map key.
    pub key: Option<Box<ValueDef>>,
    /// `@timestampFormat` of a timestamp (member trait over target trait).
    pub timestamp_format: TimestampFormat,
    /// `@sparse` list or map: elements may be `null`.
    pub sparse: bool,
    /// `@uniqueItems` list.
    pub unique_items: bool,
}

impl ValueDef {
    /// Whether validating this value can ever find something.
    pub fn has_checks(&self) -> bool {
        let c = &self.constraints;
        c.length.is_some()
            || c.range.is_some()
            || self.unique_items
            || c.pattern.is_some()
            || matches!(self.ty, RustType::Struct(..) | RustType::Enum(_))
            || self.element.as_ref().is_some_and(|e| e.has_checks())
            || self.key.as_ref().is_some_and(|k| k.has_checks())
    }
}

/// One member of a generated structure.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDef {
    /// Member name on the wire.
    pub wire: String,
    /// Rust field name (snake case, before raw-identifier escaping).
    pub field: String,
    /// Doc comment (Markdown).
    pub doc: String,
    /// `@required`.
    pub required: bool,
    /// Redacted in `Debug` (`@sensitive` on the member or its target).
    pub sensitive: bool,
    /// Held in a `Box` because the structure is recursive through this member.
    pub boxed: bool,
    /// `@default` value, if any.
    pub default: Option<Value>,
    /// Type and checks.
    pub value: ValueDef,
}

/// What role a structure plays.
#[derive(Clone, Debug, PartialEq)]
pub enum StructKind {
    /// A structure in `crate::types`.
    Plain,
    /// Input of an operation.
    Input,
    /// Output of an operation (carries the request id).
    Output,
    /// A modeled error.
    Error(ErrorInfo),
}

/// Facts of an `@error` structure.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorInfo {
    /// The code sent as `__type` (the shape name).
    pub code: String,
    /// `@httpError`, or 400/500.
    pub http_status: u16,
    /// `@error("server")`.
    pub server_fault: bool,
    /// Rust field of the message member, when there is one.
    pub message_field: Option<String>,
}

/// A generated structure.
#[derive(Clone, Debug, PartialEq)]
pub struct StructDef {
    /// Shape id (`ns#Name`).
    pub id: String,
    /// Shape name without namespace (`CreateDatasetGroupRequest`); the Rust name for the empty
    /// structure standing for `smithy.api#Unit` (`DeleteCampaignOutput`).
    pub shape: String,
    /// Rust type name.
    pub name: String,
    /// Module it is emitted in.
    pub module: Module,
    /// Doc comment.
    pub doc: String,
    /// Members in model order.
    pub fields: Vec<FieldDef>,
    /// Role.
    pub kind: StructKind,
}

impl StructDef {
    /// Whether `Debug` must be written by hand to redact members.
    pub fn redacts(&self) -> bool {
        self.fields.iter().any(|f| f.sensitive)
    }
}

/// One known value of an enum.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantDef {
    /// Rust variant name.
    pub name: String,
    /// Value on the wire.
    pub value: String,
    /// Doc comment.
    pub doc: String,
}

/// A generated enum.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumDef {
    /// Shape id.
    pub id: String,
    /// Rust type name.
    pub name: String,
    /// Doc comment.
    pub doc: String,
    /// Known values in model order (for an intEnum, the integer as text).
    pub variants: Vec<VariantDef>,
    /// An `intEnum` (values are integers on the wire).
    pub int: bool,
}

/// One member of a union.
#[derive(Clone, Debug, PartialEq)]
pub struct UnionVariantDef {
    /// Rust variant name.
    pub name: String,
    /// Member name on the wire.
    pub wire: String,
    /// Doc comment.
    pub doc: String,
    /// Held in a `Box` because the union is recursive through this member.
    pub boxed: bool,
    /// Type and checks.
    pub value: ValueDef,
}

/// A generated union: a Rust enum with one variant per member, plus `Unknown`.
#[derive(Clone, Debug, PartialEq)]
pub struct UnionDef {
    /// Shape id.
    pub id: String,
    /// Rust type name.
    pub name: String,
    /// Doc comment.
    pub doc: String,
    /// Members in model order.
    pub variants: Vec<UnionVariantDef>,
}

/// `@paginated`, resolved to fields and types.
#[derive(Clone, Debug, PartialEq)]
pub struct PaginationDef {
    /// Input token: wire name and field.
    pub input_token: (String, String),
    /// Output token: wire name and field.
    pub output_token: (String, String),
    /// Items member: wire name, field and the type of one item (`(K, V)` for maps).
    pub items: Option<(String, String, RustType)>,
    /// Page size member: wire name, field and integer type.
    pub page_size: Option<(String, String, RustType)>,
}

/// A generated operation.
#[derive(Clone, Debug, PartialEq)]
pub struct OperationDef {
    /// Operation name (`ListBatchSegmentJobs`).
    pub name: String,
    /// Module name (`list_batch_segment_jobs`).
    pub module: String,
    /// Doc summary, lower-cased first letter (for `Op: summary`).
    pub doc: String,
    /// Doc summary as the model writes it.
    pub summary: String,
    /// `X-Amz-Target` value.
    pub target: String,
    /// `@idempotent`.
    pub idempotent: bool,
    /// `@endpoint` host prefix and its `@hostLabel` members (label, Rust field).
    pub host_prefix: Option<(String, Vec<(String, String)>)>,
    /// `@requestCompression` encodings.
    pub request_compression: Vec<String>,
    /// The model declares no output (`smithy.api#Unit`): responses carry no body.
    pub unit_output: bool,
    /// The input structure (in the operation's module).
    pub input: StructDef,
    /// The output structure (in the operation's module).
    pub output: StructDef,
    /// Modeled errors: Rust names of structures in `crate::error`, operation then service errors.
    pub errors: Vec<String>,
    /// `@paginated`.
    pub pagination: Option<PaginationDef>,
}

/// The wire protocol of the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtocolDef {
    /// `aws.protocols#awsJson1_1`.
    AwsJson1_1,
    /// `aws.protocols#awsJson1_0`.
    AwsJson1_0,
    /// `aws.protocols#restJson1` (bodies only; HTTP bindings are not generated).
    RestJson1,
}

/// Facts of the service shape.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceDef {
    /// Shape id.
    pub id: String,
    /// Shape name, the `X-Amz-Target` prefix.
    pub name: String,
    /// Title or summary.
    pub doc: String,
    /// `aws.api#service` sdkId.
    pub sdk_id: String,
    /// API version.
    pub version: String,
    /// SigV4 signing name.
    pub signing_name: String,
    /// Endpoint prefix.
    pub endpoint_prefix: String,
    /// Protocol.
    pub protocol: ProtocolDef,
}

/// A `@pattern` translated to the `regex` syntax and compiled to a DFA.
#[derive(Clone, Debug, PartialEq)]
pub struct PatternDef {
    /// Shape (or member) that declares it.
    pub origin: String,
    /// ECMA-262 text from the model.
    pub ecma: String,
    /// `regex` syntax text.
    pub regex: String,
    /// The serialized DFA the generated crate searches with.
    pub dfa: pattern::SerializedDfa,
}

/// Everything the emitter needs, keyed deterministically.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeSpace {
    /// The service.
    pub service: ServiceDef,
    /// Operations by name.
    pub operations: BTreeMap<String, OperationDef>,
    /// Structures of `crate::types` by Rust name.
    pub types: BTreeMap<String, StructDef>,
    /// Enums by Rust name.
    pub enums: BTreeMap<String, EnumDef>,
    /// Unions by Rust name.
    pub unions: BTreeMap<String, UnionDef>,
    /// Error structures by Rust name.
    pub errors: BTreeMap<String, StructDef>,
    /// Pattern statics by name.
    pub patterns: BTreeMap<String, PatternDef>,
}

/// Builds the type space of `model` restricted to `operations`.
pub fn build(model: &Model, operations: &Operations) -> Result<TypeSpace, CodegenError> {
    let sliced = crate::slice::slice(model, operations)?;
    Builder::new(&sliced)?.run()
}

struct Builder<'m> {
    model: &'m Model,
    service: ServiceDef,
    types: BTreeMap<String, StructDef>,
    enums: BTreeMap<String, EnumDef>,
    unions: BTreeMap<String, UnionDef>,
    errors: BTreeMap<String, StructDef>,
    patterns: BTreeMap<String, PatternDef>,
    /// Shape id → Rust name for every named type already claimed.
    names: BTreeMap<String, String>,
    /// Rust names taken in `crate::types` (structures and enums share the namespace).
    taken: BTreeSet<String>,
    in_progress: BTreeSet<String>,
    /// ECMA pattern → its translation and DFA (each pattern is translated and compiled once).
    translated: BTreeMap<String, (String, pattern::SerializedDfa)>,
}

fn doc_of(traits: &BTreeMap<String, Value>) -> String {
    traits
        .get(traits::DOCUMENTATION)
        .and_then(Value::as_str)
        .map(docs::html_to_markdown)
        .unwrap_or_default()
}

fn bad_trait(shape: &str, t: &str, reason: impl Into<String>) -> CodegenError {
    CodegenError::BadTrait {
        shape: shape.to_owned(),
        r#trait: t.to_owned(),
        reason: reason.into(),
    }
}

fn unsupported(shape: &str, what: impl Into<String>) -> CodegenError {
    CodegenError::Unsupported {
        shape: shape.to_owned(),
        what: what.into(),
    }
}

/// Traits that change the wire form or meaning in ways the generator does not implement.
const UNSUPPORTED_TRAITS: &[&str] = &[
    "smithy.api#streaming",
    "smithy.api#eventPayload",
    "smithy.api#eventHeader",
    "smithy.api#requiresLength",
    traits::ENUM_V1,
];

/// HTTP binding traits: the awsJson protocols ignore them (the member travels in the body);
/// restJson1 would need them, which the generator does not implement.
const HTTP_BINDING_TRAITS: &[&str] = &[
    "smithy.api#httpPayload",
    "smithy.api#httpLabel",
    "smithy.api#httpQuery",
    "smithy.api#httpQueryParams",
    "smithy.api#httpHeader",
    "smithy.api#httpPrefixHeaders",
    "smithy.api#httpResponseCode",
];

fn refuse_unsupported_traits(
    id: &str,
    t: &BTreeMap<String, Value>,
    protocol: ProtocolDef,
) -> Result<(), CodegenError> {
    let bindings = match protocol {
        ProtocolDef::RestJson1 => HTTP_BINDING_TRAITS,
        ProtocolDef::AwsJson1_0 | ProtocolDef::AwsJson1_1 => &[],
    };
    for name in UNSUPPORTED_TRAITS.iter().chain(bindings) {
        if t.contains_key(*name) {
            return Err(unsupported(id, format!("trait {name}")));
        }
    }
    Ok(())
}

/// Rust type name for a shape name.
pub fn type_name(shape: &str) -> String {
    let name = shape.to_upper_camel_case();
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
        format!("{name}Shape")
    } else {
        name
    }
}

/// Rust field or module name for a member or operation name.
pub fn field_name(member: &str) -> String {
    let name = member.to_snake_case();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    }
}

impl<'m> Builder<'m> {
    fn new(model: &'m Model) -> Result<Self, CodegenError> {
        let (id, shape) = model.service()?;
        let aws = shape.traits.get(traits::AWS_SERVICE);
        let aws_str = |k: &str| aws.and_then(|a| a.get(k)).and_then(Value::as_str);
        let name = shape_name(id).to_owned();
        let protocol = if shape.has_trait(traits::AWS_JSON_1_1) {
            ProtocolDef::AwsJson1_1
        } else if shape.has_trait(traits::AWS_JSON_1_0) {
            ProtocolDef::AwsJson1_0
        } else if shape.has_trait(traits::REST_JSON_1) {
            ProtocolDef::RestJson1
        } else {
            return Err(unsupported(
                id,
                "a service without awsJson1_1, awsJson1_0 or restJson1 protocol trait",
            ));
        };
        let sdk_id = aws_str("sdkId").unwrap_or(&name).to_owned();
        let signing_name = shape
            .traits
            .get(traits::SIGV4)
            .and_then(|s| s.get("name"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| aws_str("arnNamespace").map(str::to_owned))
            .unwrap_or_else(|| sdk_id.to_lowercase());
        let endpoint_prefix = aws_str("endpointPrefix")
            .map(str::to_owned)
            .unwrap_or_else(|| signing_name.clone());
        let doc = shape
            .traits
            .get(traits::TITLE)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| name.clone());
        let service = ServiceDef {
            id: id.to_owned(),
            name,
            doc,
            sdk_id,
            version: shape.version.clone().unwrap_or_default(),
            signing_name,
            endpoint_prefix,
            protocol,
        };
        Ok(Builder {
            model,
            service,
            types: BTreeMap::new(),
            enums: BTreeMap::new(),
            unions: BTreeMap::new(),
            errors: BTreeMap::new(),
            patterns: BTreeMap::new(),
            names: BTreeMap::new(),
            taken: BTreeSet::new(),
            in_progress: BTreeSet::new(),
            translated: BTreeMap::new(),
        })
    }

    fn run(mut self) -> Result<TypeSpace, CodegenError> {
        let (service_id, service) = self.model.service()?;
        let service_errors: Vec<String> = service
            .errors
            .iter()
            .flatten()
            .map(|t| t.target.clone())
            .collect();
        let service_paginated = service.traits.get(traits::PAGINATED).cloned();
        let mut operations = BTreeMap::new();
        for op in service.operations.iter().flatten() {
            let def = self.operation(
                &op.target,
                service_id,
                &service_errors,
                service_paginated.as_ref(),
            )?;
            if operations.insert(def.name.clone(), def).is_some() {
                return Err(unsupported(&op.target, "two operations with the same name"));
            }
        }
        Ok(TypeSpace {
            service: self.service,
            operations,
            types: self.types,
            enums: self.enums,
            unions: self.unions,
            errors: self.errors,
            patterns: self.patterns,
        })
    }

    fn operation(
        &mut self,
        id: &str,
        service_id: &str,
        service_errors: &[String],
        service_paginated: Option<&Value>,
    ) -> Result<OperationDef, CodegenError> {
        let shape = self.model.shape(id, service_id)?;
        if shape.kind != "operation" {
            return Err(unsupported(
                id,
                format!("a service operation of type {}", shape.kind),
            ));
        }
        let op_name = shape_name(id).to_upper_camel_case();
        let module = field_name(&op_name);
        let module_kind = Module::Operation(module.clone());
        let input = self.io_struct(
            id,
            shape.input.as_ref().map(|t| t.target.as_str()),
            format!("{op_name}Input"),
            &module_kind,
            StructKind::Input,
            &op_name,
        )?;
        let output = self.io_struct(
            id,
            shape.output.as_ref().map(|t| t.target.as_str()),
            format!("{op_name}Output"),
            &module_kind,
            StructKind::Output,
            &op_name,
        )?;
        let mut errors = Vec::new();
        let op_errors = shape.errors.iter().flatten().map(|t| t.target.clone());
        for err in op_errors.chain(service_errors.iter().cloned()) {
            let name = self.error_struct(&err, id)?;
            if !errors.contains(&name) {
                errors.push(name);
            }
        }
        let pagination = match (shape.traits.get(traits::PAGINATED), service_paginated) {
            (None, _) => None,
            (Some(own), base) => Some(self.pagination(id, own, base, &input, &output)?),
        };
        let host_prefix = match shape.traits.get(traits::ENDPOINT) {
            None => None,
            Some(endpoint) => Some(self.host_prefix(id, endpoint, &input)?),
        };
        let request_compression = match shape.traits.get(traits::REQUEST_COMPRESSION) {
            None => Vec::new(),
            Some(t) => t
                .get("encodings")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .ok_or_else(|| {
                    bad_trait(
                        id,
                        traits::REQUEST_COMPRESSION,
                        "encodings must be a list of strings",
                    )
                })?,
        };
        let summary = docs::summary(
            shape
                .traits
                .get(traits::DOCUMENTATION)
                .and_then(Value::as_str)
                .unwrap_or(""),
        );
        Ok(OperationDef {
            target: format!("{}.{}", self.service.name, shape_name(id)),
            name: op_name,
            module,
            doc: lower_first(&summary),
            summary,
            idempotent: shape.has_trait(traits::IDEMPOTENT),
            host_prefix,
            request_compression,
            unit_output: shape
                .output
                .as_ref()
                .is_none_or(|t| t.target == "smithy.api#Unit"),
            input,
            output,
            errors,
            pagination,
        })
    }

    /// `@endpoint(hostPrefix: "foo.{label}.")`: the prefix and, for each `{label}`, the input
    /// member carrying `@hostLabel` (a required string).
    fn host_prefix(
        &self,
        op: &str,
        endpoint: &Value,
        input: &StructDef,
    ) -> Result<(String, Vec<(String, String)>), CodegenError> {
        let prefix = endpoint
            .get("hostPrefix")
            .and_then(Value::as_str)
            .ok_or_else(|| bad_trait(op, traits::ENDPOINT, "hostPrefix must be a string"))?
            .to_owned();
        let mut labels = Vec::new();
        let mut rest = prefix.as_str();
        while let Some(start) = rest.find('{') {
            let after = &rest[start + 1..];
            let end = after
                .find('}')
                .ok_or_else(|| bad_trait(op, traits::ENDPOINT, "an unclosed `{` in hostPrefix"))?;
            let label = &after[..end];
            let field = input
                .fields
                .iter()
                .find(|f| f.wire == label && f.value.ty == RustType::String)
                .ok_or_else(|| {
                    bad_trait(
                        op,
                        traits::ENDPOINT,
                        format!("label {{{label}}} is not a string member of {}", input.name),
                    )
                })?;
            let member = self
                .model
                .shapes
                .get(&input.id)
                .and_then(|s| s.members.as_ref())
                .and_then(|m| m.get(label));
            if !member.is_some_and(|m| m.traits.contains_key(traits::HOST_LABEL)) {
                return Err(bad_trait(
                    op,
                    traits::ENDPOINT,
                    format!("member {label} of {} lacks @hostLabel", input.name),
                ));
            }
            labels.push((label.to_owned(), field.field.clone()));
            rest = &after[end + 1..];
        }
        Ok((prefix, labels))
    }

    fn io_struct(
        &mut self,
        op: &str,
        target: Option<&str>,
        name: String,
        module: &Module,
        kind: StructKind,
        op_name: &str,
    ) -> Result<StructDef, CodegenError> {
        let role = if kind == StructKind::Input {
            "Input"
        } else {
            "Output"
        };
        match target.filter(|t| *t != "smithy.api#Unit") {
            None => Ok(StructDef {
                id: format!("{op}${role}"),
                shape: name.clone(),
                name,
                module: module.clone(),
                doc: format!("{role} of `{op_name}` (the model declares none)."),
                fields: Vec::new(),
                kind,
            }),
            Some(target) => {
                let shape = self.model.shape(target, op)?;
                if shape.kind != "structure" {
                    return Err(unsupported(
                        target,
                        format!("operation {role} of type {}", shape.kind),
                    ));
                }
                let model_name = shape_name(target);
                let doc = format!("{role} of `{op_name}` (`{model_name}` in the model).");
                self.structure(target, shape, name, module.clone(), kind, doc)
            }
        }
    }

    fn error_struct(&mut self, id: &str, from: &str) -> Result<String, CodegenError> {
        if let Some(name) = self.names.get(id) {
            return Ok(name.clone());
        }
        let shape = self.model.shape(id, from)?;
        if shape.kind != "structure" || !shape.has_trait(traits::ERROR) {
            return Err(unsupported(
                id,
                "an operation error that is not an @error structure",
            ));
        }
        self.named_struct(id, shape)
    }

    fn named_struct(&mut self, id: &str, shape: &Shape) -> Result<String, CodegenError> {
        if let Some(name) = self.names.get(id) {
            return Ok(name.clone());
        }
        let name = type_name(shape_name(id));
        let is_error = shape.has_trait(traits::ERROR);
        if !is_error && !self.taken.insert(name.clone()) {
            return Err(unsupported(
                id,
                format!("Rust type name {name} is used by another shape"),
            ));
        }
        if is_error && self.errors.contains_key(&name) {
            return Err(unsupported(
                id,
                format!("error name {name} is used by another shape"),
            ));
        }
        self.names.insert(id.to_owned(), name.clone());
        let kind = if is_error {
            let level = shape.traits.get(traits::ERROR).and_then(Value::as_str);
            let server_fault = match level {
                Some("server") => true,
                Some("client") => false,
                _ => {
                    return Err(bad_trait(
                        id,
                        traits::ERROR,
                        "must be \"client\" or \"server\"",
                    ))
                }
            };
            let http_status = match shape.traits.get(traits::HTTP_ERROR) {
                None => {
                    if server_fault {
                        500
                    } else {
                        400
                    }
                }
                Some(v) => v
                    .as_u64()
                    .and_then(|s| u16::try_from(s).ok())
                    .ok_or_else(|| bad_trait(id, traits::HTTP_ERROR, "must be an HTTP status"))?,
            };
            StructKind::Error(ErrorInfo {
                code: shape_name(id).to_owned(),
                http_status,
                server_fault,
                message_field: None,
            })
        } else {
            StructKind::Plain
        };
        let module = if is_error {
            Module::Error
        } else {
            Module::Types
        };
        let def = self.structure(id, shape, name.clone(), module, kind, doc_of(&shape.traits))?;
        if is_error {
            self.errors.insert(name.clone(), def);
        } else {
            self.types.insert(name.clone(), def);
        }
        Ok(name)
    }

    fn structure(
        &mut self,
        id: &str,
        shape: &Shape,
        name: String,
        module: Module,
        mut kind: StructKind,
        doc: String,
    ) -> Result<StructDef, CodegenError> {
        refuse_unsupported_traits(id, &shape.traits, self.service.protocol)?;
        self.in_progress.insert(id.to_owned());
        let struct_sensitive = shape.has_trait(traits::SENSITIVE);
        let mut fields = Vec::new();
        let mut seen = BTreeSet::new();
        for (member_name, member) in shape.members.iter().flatten() {
            let member_id = format!("{id}${member_name}");
            refuse_unsupported_traits(&member_id, &member.traits, self.service.protocol)?;
            let value = self.value(&member_id, member, id)?;
            let field = field_name(member_name);
            if !seen.insert(field.clone()) {
                return Err(unsupported(
                    &member_id,
                    format!("two members map to field {field}"),
                ));
            }
            let wire = if self.service.protocol == ProtocolDef::RestJson1 {
                member
                    .traits
                    .get(traits::JSON_NAME)
                    .and_then(Value::as_str)
                    .unwrap_or(member_name)
                    .to_owned()
            } else {
                member_name.clone()
            };
            let boxed = match &value.ty {
                RustType::Struct(..) => self.reaches(&member.target, id, &mut BTreeSet::new()),
                _ => false,
            };
            let mut doc = doc_of(&member.traits);
            if doc.is_empty() {
                doc = if member_name == "message" {
                    "The error message.".to_owned()
                } else {
                    format!("The `{member_name}` member.")
                };
            }
            let default = member
                .traits
                .get(traits::DEFAULT)
                .or_else(|| {
                    self.model
                        .shapes
                        .get(&member.target)
                        .and_then(|t| t.traits.get(traits::DEFAULT))
                })
                .cloned();
            fields.push(FieldDef {
                wire,
                required: member.traits.contains_key(traits::REQUIRED),
                sensitive: struct_sensitive
                    || member.traits.contains_key(traits::SENSITIVE)
                    || self.sensitive_deep(&member.target),
                boxed,
                default,
                doc,
                field,
                value,
            });
        }
        self.in_progress.remove(id);
        if let StructKind::Error(info) = &mut kind {
            info.message_field = fields
                .iter()
                .find(|f| f.wire.eq_ignore_ascii_case("message") && f.value.ty == RustType::String)
                .map(|f| f.field.clone());
        }
        Ok(StructDef {
            id: id.to_owned(),
            shape: shape_name(id).to_owned(),
            name,
            module,
            doc,
            fields,
            kind,
        })
    }

    /// Whether structure `from` reaches structure `to` through structure members only.
    fn reaches(&self, from: &str, to: &str, seen: &mut BTreeSet<String>) -> bool {
        if from == to {
            return true;
        }
        if !seen.insert(from.to_owned()) {
            return false;
        }
        let Some(shape) = self.model.shapes.get(from) else {
            return false;
        };
        shape.members.iter().flatten().any(|(_, m)| {
            self.model
                .shapes
                .get(&m.target)
                .is_some_and(|t| t.kind == "structure" || t.kind == "union")
                && self.reaches(&m.target, to, seen)
        })
    }

    /// Whether a value of this shape holds sensitive data its own `Debug` does not redact.
    fn sensitive_deep(&self, id: &str) -> bool {
        let Some(shape) = self.model.shapes.get(id) else {
            return false;
        };
        if shape.has_trait(traits::SENSITIVE) {
            return true;
        }
        match shape.kind.as_str() {
            "list" | "map" => [&shape.member, &shape.key, &shape.value]
                .into_iter()
                .flatten()
                .any(|m| {
                    m.traits.contains_key(traits::SENSITIVE) || self.sensitive_deep(&m.target)
                }),
            _ => false,
        }
    }

    fn value(&mut self, at: &str, member: &Member, from: &str) -> Result<ValueDef, CodegenError> {
        let target = member.target.as_str();
        let mut def = self.value_of_target(at, target, from)?;
        if let Some(format) = timestamp_format(at, &member.traits)? {
            if def.ty != RustType::DateTime {
                return Err(bad_trait(
                    at,
                    traits::TIMESTAMP_FORMAT,
                    "applies to timestamps only",
                ));
            }
            def.timestamp_format = format;
        }
        // Member traits override the target's.
        let own = self.constraints(at, &member.traits, &def.ty, None)?;
        if own.length.is_some() {
            def.constraints.length = own.length;
        }
        if own.range.is_some() {
            def.constraints.range = own.range;
        }
        if own.pattern.is_some() {
            def.constraints.pattern = own.pattern;
        }
        Ok(def)
    }

    fn value_of_target(
        &mut self,
        at: &str,
        target: &str,
        from: &str,
    ) -> Result<ValueDef, CodegenError> {
        if is_prelude(target) {
            let ty = match shape_name(target) {
                "String" => RustType::String,
                "Boolean" | "PrimitiveBoolean" => RustType::Bool,
                "Byte" | "PrimitiveByte" => RustType::I8,
                "Short" | "PrimitiveShort" => RustType::I16,
                "Integer" | "PrimitiveInteger" => RustType::I32,
                "Long" | "PrimitiveLong" => RustType::I64,
                "Float" | "PrimitiveFloat" => RustType::F32,
                "Double" | "PrimitiveDouble" => RustType::F64,
                "Timestamp" => RustType::DateTime,
                "Blob" => RustType::Blob,
                "Document" => RustType::Document,
                other => return Err(unsupported(at, format!("prelude shape smithy.api#{other}"))),
            };
            return Ok(plain(target, ty));
        }
        let shape = self.model.shape(target, from)?;
        refuse_unsupported_traits(target, &shape.traits, self.service.protocol)?;
        let mut def = match shape.kind.as_str() {
            "string" => plain(target, RustType::String),
            "boolean" => plain(target, RustType::Bool),
            "byte" => plain(target, RustType::I8),
            "short" => plain(target, RustType::I16),
            "integer" => plain(target, RustType::I32),
            "long" => plain(target, RustType::I64),
            "float" => plain(target, RustType::F32),
            "double" => plain(target, RustType::F64),
            "timestamp" => {
                let mut def = plain(target, RustType::DateTime);
                if let Some(format) = timestamp_format(target, &shape.traits)? {
                    def.timestamp_format = format;
                }
                def
            }
            "blob" => plain(target, RustType::Blob),
            "document" => plain(target, RustType::Document),
            "enum" | "intEnum" => plain(target, RustType::Enum(self.enumeration(target, shape)?)),
            "union" => plain(
                target,
                RustType::Struct(self.union(target, shape)?, Module::Types),
            ),
            "structure" => {
                let name = self.named_struct(target, shape)?;
                if shape.has_trait(traits::ERROR) {
                    plain(target, RustType::Struct(name, Module::Error))
                } else {
                    plain(target, RustType::Struct(name, Module::Types))
                }
            }
            "list" => {
                let member = shape
                    .member
                    .as_ref()
                    .ok_or_else(|| unsupported(target, "a list without member"))?;
                let element = self.value(&format!("{target}$member"), member, target)?;
                let sparse = shape.has_trait(traits::SPARSE);
                let mut def = plain(
                    target,
                    RustType::List(Box::new(nullable(&element.ty, sparse))),
                );
                def.element = Some(Box::new(element));
                def.sparse = sparse;
                def.unique_items = shape.has_trait(traits::UNIQUE_ITEMS);
                def
            }
            "map" => {
                let (Some(key), Some(value)) = (&shape.key, &shape.value) else {
                    return Err(unsupported(target, "a map without key or value"));
                };
                let key = self.value(&format!("{target}$key"), key, target)?;
                if !matches!(key.ty, RustType::String | RustType::Enum(_)) {
                    return Err(unsupported(
                        target,
                        "a map whose key is not a string or enum",
                    ));
                }
                let value = self.value(&format!("{target}$value"), value, target)?;
                let sparse = shape.has_trait(traits::SPARSE);
                let mut def = plain(
                    target,
                    RustType::Map(
                        Box::new(key.ty.clone()),
                        Box::new(nullable(&value.ty, sparse)),
                    ),
                );
                def.key = Some(Box::new(key));
                def.element = Some(Box::new(value));
                def.sparse = sparse;
                def
            }
            other => {
                return Err(unsupported(
                    target,
                    format!("shape type {other} (referenced by {at})"),
                ))
            }
        };
        def.constraints = self.constraints(target, &shape.traits, &def.ty, Some(target))?;
        Ok(def)
    }

    fn constraints(
        &mut self,
        at: &str,
        t: &BTreeMap<String, Value>,
        ty: &RustType,
        shape_for_pattern_name: Option<&str>,
    ) -> Result<Constraints, CodegenError> {
        let mut c = Constraints::default();
        if let Some(length) = t.get(traits::LENGTH) {
            if !matches!(
                ty,
                RustType::String | RustType::List(_) | RustType::Map(..) | RustType::Blob
            ) {
                return Err(bad_trait(
                    at,
                    traits::LENGTH,
                    "applies to strings, blobs, lists and maps only",
                ));
            }
            let bound = |k: &str| -> Result<Option<u64>, CodegenError> {
                match length.get(k) {
                    None => Ok(None),
                    Some(v) => v.as_u64().map(Some).ok_or_else(|| {
                        bad_trait(
                            at,
                            traits::LENGTH,
                            format!("{k} must be a non-negative integer"),
                        )
                    }),
                }
            };
            c.length = Some((bound("min")?, bound("max")?));
        }
        if let Some(range) = t.get(traits::RANGE) {
            if !matches!(
                ty,
                RustType::I8
                    | RustType::I16
                    | RustType::I32
                    | RustType::I64
                    | RustType::F32
                    | RustType::F64
            ) {
                return Err(bad_trait(at, traits::RANGE, "applies to numbers only"));
            }
            let bound = |k: &str| -> Result<Option<f64>, CodegenError> {
                match range.get(k) {
                    None => Ok(None),
                    Some(v) => v.as_f64().map(Some).ok_or_else(|| {
                        bad_trait(at, traits::RANGE, format!("{k} must be a number"))
                    }),
                }
            };
            c.range = Some((bound("min")?, bound("max")?));
        }
        if let Some(p) = t.get(traits::PATTERN) {
            if *ty != RustType::String {
                return Err(bad_trait(at, traits::PATTERN, "applies to strings only"));
            }
            let ecma = p
                .as_str()
                .ok_or_else(|| bad_trait(at, traits::PATTERN, "must be a string"))?
                .to_owned();
            let (regex, dfa) = match self.translated.get(&ecma) {
                Some(compiled) => compiled.clone(),
                None => {
                    let error = |reason| CodegenError::Pattern {
                        shape: at.to_owned(),
                        pattern: ecma.clone(),
                        reason,
                    };
                    let regex = pattern::translate(&ecma).map_err(error)?;
                    let dfa = pattern::compile_dfa(&regex).map_err(error)?;
                    let compiled = (regex, dfa);
                    self.translated.insert(ecma.clone(), compiled.clone());
                    compiled
                }
            };
            let base = match shape_for_pattern_name {
                Some(shape) => shape_name(shape).to_shouty_snake_case(),
                None => {
                    // `ns#Struct$member` → STRUCT_MEMBER
                    let (shape, member) = at.split_once('$').unwrap_or((at, ""));
                    format!(
                        "{}_{}",
                        shape_name(shape).to_shouty_snake_case(),
                        member.to_shouty_snake_case()
                    )
                }
            };
            let mut static_name = format!("{base}_PATTERN");
            let mut n = 2;
            while let Some(existing) = self.patterns.get(&static_name) {
                if existing.ecma == ecma {
                    break;
                }
                static_name = format!("{base}_PATTERN_{n}");
                n += 1;
            }
            self.patterns.insert(
                static_name.clone(),
                PatternDef {
                    origin: at.to_owned(),
                    ecma: ecma.clone(),
                    regex,
                    dfa,
                },
            );
            c.pattern = Some(PatternRef { static_name, ecma });
        }
        Ok(c)
    }

    /// The Rust name of shape `id` in `crate::types`: `Ok(Err(name))` when it is already
    /// generated, `Ok(Ok(name))` when it is claimed now and must be generated.
    fn claim_type_name(&mut self, id: &str) -> Result<Result<String, String>, CodegenError> {
        if let Some(name) = self.names.get(id) {
            return Ok(Err(name.clone()));
        }
        let name = type_name(shape_name(id));
        if !self.taken.insert(name.clone()) {
            return Err(unsupported(
                id,
                format!("Rust type name {name} is used by another shape"),
            ));
        }
        self.names.insert(id.to_owned(), name.clone());
        Ok(Ok(name))
    }

    fn enumeration(&mut self, id: &str, shape: &Shape) -> Result<String, CodegenError> {
        let name = match self.claim_type_name(id)? {
            Ok(name) => name,
            Err(done) => return Ok(done),
        };
        let mut variants: Vec<VariantDef> = Vec::new();
        let int = shape.kind == "intEnum";
        for (member_name, member) in shape.members.iter().flatten() {
            let member_id = format!("{id}${member_name}");
            let value = match (member.traits.get(traits::ENUM_VALUE), int) {
                (None, false) => member_name.clone(),
                (Some(Value::String(s)), false) => s.clone(),
                (Some(Value::Number(n)), true)
                    if n.as_i64().and_then(|n| i32::try_from(n).ok()).is_some() =>
                {
                    n.to_string()
                }
                (_, false) => {
                    return Err(bad_trait(
                        &member_id,
                        traits::ENUM_VALUE,
                        "must be a string",
                    ))
                }
                (_, true) => {
                    return Err(bad_trait(
                        &member_id,
                        traits::ENUM_VALUE,
                        "an intEnum member needs an integer value within i32",
                    ))
                }
            };
            let variant = variant_name(member_name);
            if variants.iter().any(|v| v.name == variant) {
                return Err(unsupported(
                    &member_id,
                    format!("two enum members map to variant {variant}"),
                ));
            }
            variants.push(VariantDef {
                name: variant,
                value,
                doc: doc_of(&member.traits),
            });
        }
        self.enums.insert(
            name.clone(),
            EnumDef {
                id: id.to_owned(),
                name: name.clone(),
                doc: doc_of(&shape.traits),
                variants,
                int,
            },
        );
        Ok(name)
    }

    fn union(&mut self, id: &str, shape: &Shape) -> Result<String, CodegenError> {
        let name = match self.claim_type_name(id)? {
            Ok(name) => name,
            Err(done) => return Ok(done),
        };
        let mut variants: Vec<UnionVariantDef> = Vec::new();
        for (member_name, member) in shape.members.iter().flatten() {
            let member_id = format!("{id}${member_name}");
            refuse_unsupported_traits(&member_id, &member.traits, self.service.protocol)?;
            let value = self.value(&member_id, member, id)?;
            let variant = variant_name(member_name);
            if variants.iter().any(|v| v.name == variant) {
                return Err(unsupported(
                    &member_id,
                    format!("two union members map to variant {variant}"),
                ));
            }
            let boxed = matches!(value.ty, RustType::Struct(..))
                && self.reaches(&member.target, id, &mut BTreeSet::new());
            let mut doc = doc_of(&member.traits);
            if doc.is_empty() {
                doc = format!("The `{member_name}` member.");
            }
            variants.push(UnionVariantDef {
                name: variant,
                wire: member_name.clone(),
                doc,
                boxed,
                value,
            });
        }
        if variants.is_empty() {
            return Err(unsupported(id, "a union without members"));
        }
        self.unions.insert(
            name.clone(),
            UnionDef {
                id: id.to_owned(),
                name: name.clone(),
                doc: doc_of(&shape.traits),
                variants,
            },
        );
        Ok(name)
    }

    fn pagination(
        &self,
        op: &str,
        own: &Value,
        base: Option<&Value>,
        input: &StructDef,
        output: &StructDef,
    ) -> Result<PaginationDef, CodegenError> {
        let get = |k: &str| {
            own.get(k)
                .or_else(|| base.and_then(|b| b.get(k)))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let field = |s: &StructDef, wire: &str, what: &str| -> Result<FieldDef, CodegenError> {
            if wire.contains('.') {
                return Err(unsupported(
                    op,
                    format!(
                        "trait {} with a nested {what} path `{wire}`",
                        traits::PAGINATED
                    ),
                ));
            }
            s.fields
                .iter()
                .find(|f| f.wire == wire)
                .cloned()
                .ok_or_else(|| {
                    bad_trait(
                        op,
                        traits::PAGINATED,
                        format!("{what} `{wire}` is not a member of {}", s.name),
                    )
                })
        };
        let token = |s: &StructDef, key: &str| -> Result<(String, String), CodegenError> {
            let wire = get(key)
                .ok_or_else(|| bad_trait(op, traits::PAGINATED, format!("{key} is missing")))?;
            let f = field(s, &wire, key)?;
            if f.value.ty != RustType::String {
                return Err(bad_trait(
                    op,
                    traits::PAGINATED,
                    format!("{key} `{wire}` is not a string"),
                ));
            }
            Ok((wire, f.field))
        };
        let items = match get("items") {
            None => None,
            Some(wire) => {
                let f = field(output, &wire, "items")?;
                let item = match &f.value.ty {
                    RustType::List(t) => (**t).clone(),
                    RustType::Map(..) => {
                        return Err(unsupported(
                            op,
                            format!("trait {} with map items `{wire}`", traits::PAGINATED),
                        ))
                    }
                    _ => {
                        return Err(bad_trait(
                            op,
                            traits::PAGINATED,
                            format!("items `{wire}` is not a list"),
                        ))
                    }
                };
                Some((wire, f.field, item))
            }
        };
        let page_size = match get("pageSize") {
            None => None,
            Some(wire) => {
                let f = field(input, &wire, "pageSize")?;
                if !matches!(
                    f.value.ty,
                    RustType::I32 | RustType::I64 | RustType::I16 | RustType::I8
                ) {
                    return Err(bad_trait(
                        op,
                        traits::PAGINATED,
                        format!("pageSize `{wire}` is not an integer"),
                    ));
                }
                Some((wire, f.field, f.value.ty.clone()))
            }
        };
        Ok(PaginationDef {
            input_token: token(input, "inputToken")?,
            output_token: token(output, "outputToken")?,
            items,
            page_size,
        })
    }
}

/// The Rust variant for an enum or union member (`Unknown` is taken by the catch-all).
fn variant_name(member_name: &str) -> String {
    let variant = member_name.to_upper_camel_case();
    if variant.is_empty() || variant.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{variant}")
    } else if variant == "Unknown" {
        "UnknownValue".to_owned()
    } else {
        variant
    }
}

fn nullable(ty: &RustType, sparse: bool) -> RustType {
    if sparse {
        RustType::Nullable(Box::new(ty.clone()))
    } else {
        ty.clone()
    }
}

fn plain(target: &str, ty: RustType) -> ValueDef {
    ValueDef {
        target: shape_name(target).to_owned(),
        ty,
        constraints: Constraints::default(),
        element: None,
        key: None,
        timestamp_format: TimestampFormat::EpochSeconds,
        sparse: false,
        unique_items: false,
    }
}

fn timestamp_format(
    at: &str,
    t: &BTreeMap<String, Value>,
) -> Result<Option<TimestampFormat>, CodegenError> {
    match t.get(traits::TIMESTAMP_FORMAT) {
        None => Ok(None),
        Some(v) => match v.as_str() {
            Some("epoch-seconds") => Ok(Some(TimestampFormat::EpochSeconds)),
            Some("date-time") => Ok(Some(TimestampFormat::DateTime)),
            Some("http-date") => Ok(Some(TimestampFormat::HttpDate)),
            _ => Err(bad_trait(
                at,
                traits::TIMESTAMP_FORMAT,
                "must be \"epoch-seconds\", \"date-time\" or \"http-date\"",
            )),
        },
    }
}

/// `Gets a list` → `gets a list` (acronyms such as `AWS` are left alone).
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.clone().next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text.to_owned(),
    }
}
