//! Serde model of the Smithy 2.0 JSON AST: shapes, members and traits.
//!
//! Member order is kept (it is the field order of the generated structs); shapes and traits
//! are held in sorted maps so everything written back out is deterministic.

use std::collections::BTreeMap;
use std::path::Path;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::CodegenError;

/// Trait ids the generator reads.
pub mod traits {
    /// `@documentation`
    pub const DOCUMENTATION: &str = "smithy.api#documentation";
    /// `@required`
    pub const REQUIRED: &str = "smithy.api#required";
    /// `@length`
    pub const LENGTH: &str = "smithy.api#length";
    /// `@range`
    pub const RANGE: &str = "smithy.api#range";
    /// `@pattern`
    pub const PATTERN: &str = "smithy.api#pattern";
    /// `@sensitive`
    pub const SENSITIVE: &str = "smithy.api#sensitive";
    /// `@default`
    pub const DEFAULT: &str = "smithy.api#default";
    /// `@enumValue`
    pub const ENUM_VALUE: &str = "smithy.api#enumValue";
    /// Smithy 1.0 `@enum` on a string shape.
    pub const ENUM_V1: &str = "smithy.api#enum";
    /// `@error`
    pub const ERROR: &str = "smithy.api#error";
    /// `@httpError`
    pub const HTTP_ERROR: &str = "smithy.api#httpError";
    /// `@idempotent`
    pub const IDEMPOTENT: &str = "smithy.api#idempotent";
    /// `@paginated`
    pub const PAGINATED: &str = "smithy.api#paginated";
    /// `@jsonName`
    pub const JSON_NAME: &str = "smithy.api#jsonName";
    /// `@timestampFormat`
    pub const TIMESTAMP_FORMAT: &str = "smithy.api#timestampFormat";
    /// `aws.api#service`
    pub const AWS_SERVICE: &str = "aws.api#service";
    /// `aws.auth#sigv4`
    pub const SIGV4: &str = "aws.auth#sigv4";
    /// `aws.protocols#awsJson1_1`
    pub const AWS_JSON_1_1: &str = "aws.protocols#awsJson1_1";
    /// `aws.protocols#awsJson1_0`
    pub const AWS_JSON_1_0: &str = "aws.protocols#awsJson1_0";
    /// `aws.protocols#restJson1`
    pub const REST_JSON_1: &str = "aws.protocols#restJson1";
    /// `@title`
    pub const TITLE: &str = "smithy.api#title";
    /// `@sparse`
    pub const SPARSE: &str = "smithy.api#sparse";
    /// `@uniqueItems`
    pub const UNIQUE_ITEMS: &str = "smithy.api#uniqueItems";
    /// `@endpoint`
    pub const ENDPOINT: &str = "smithy.api#endpoint";
    /// `@hostLabel`
    pub const HOST_LABEL: &str = "smithy.api#hostLabel";
    /// `@requestCompression`
    pub const REQUEST_COMPRESSION: &str = "smithy.api#requestCompression";
}

/// A whole Smithy JSON AST document.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// The IDL version (`2.0`).
    pub smithy: String,
    /// Free-form metadata.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, Value>,
    /// Every shape, keyed by absolute shape id.
    #[serde(default)]
    pub shapes: BTreeMap<String, Shape>,
}

/// A reference to another shape (`{"target": "ns#Name"}`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Target {
    /// The absolute shape id.
    pub target: String,
}

/// A member of a structure, union, enum, list or map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// The shape the member targets.
    pub target: String,
    /// Traits applied to the member.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub traits: BTreeMap<String, Value>,
}

/// One shape of the model; fields not used by a kind are absent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shape {
    /// The shape kind (`structure`, `string`, `operation`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// Members of structures, unions and enums, in model order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<IndexMap<String, Member>>,
    /// The element of a list or set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<Member>,
    /// The key of a map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Member>,
    /// The value of a map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Member>,
    /// Operation input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Target>,
    /// Operation output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Target>,
    /// Operation (or service-wide) errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<Target>>,
    /// Service operations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operations: Option<Vec<Target>>,
    /// Service resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<Target>>,
    /// Service version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Traits applied to the shape.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub traits: BTreeMap<String, Value>,
    /// Anything else the AST carries (kept verbatim by `slice`).
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl Shape {
    /// Whether the shape carries trait `id`.
    pub fn has_trait(&self, id: &str) -> bool {
        self.traits.contains_key(id)
    }
}

impl Model {
    /// Parses one JSON AST document.
    pub fn parse(text: &str, origin: &str) -> Result<Model, CodegenError> {
        serde_json::from_str(text).map_err(|e| CodegenError::ModelParse {
            path: origin.to_owned(),
            reason: e.to_string(),
        })
    }

    /// Reads a model file, or every `*.json` file of a directory merged into one model.
    pub fn load(path: &Path) -> Result<Model, CodegenError> {
        let read = |p: &Path| {
            std::fs::read_to_string(p).map_err(|e| CodegenError::Io {
                path: p.display().to_string(),
                reason: e.to_string(),
            })
        };
        if !path.is_dir() {
            return Model::parse(&read(path)?, &path.display().to_string());
        }
        let mut files: Vec<_> = std::fs::read_dir(path)
            .map_err(|e| CodegenError::Io {
                path: path.display().to_string(),
                reason: e.to_string(),
            })?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|ext| ext == "json"))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(CodegenError::Io {
                path: path.display().to_string(),
                reason: "directory holds no *.json model file".to_owned(),
            });
        }
        let mut merged = Model::default();
        for file in files {
            let model = Model::parse(&read(&file)?, &file.display().to_string())?;
            merged.merge(model, &file.display().to_string())?;
        }
        Ok(merged)
    }

    /// Adds the shapes of `other`; the same id defined differently is an error.
    pub fn merge(&mut self, other: Model, origin: &str) -> Result<(), CodegenError> {
        if self.smithy.is_empty() {
            self.smithy = other.smithy;
        }
        self.metadata.extend(other.metadata);
        for (id, shape) in other.shapes {
            match self.shapes.get(&id) {
                Some(existing) if *existing != shape => {
                    return Err(CodegenError::Conflict {
                        shape: id,
                        origin: origin.to_owned(),
                    })
                }
                _ => {
                    self.shapes.insert(id, shape);
                }
            }
        }
        Ok(())
    }

    /// The model as pretty JSON (sorted shapes, member order kept), newline-terminated.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The only service shape (id and shape).
    pub fn service(&self) -> Result<(&str, &Shape), CodegenError> {
        let mut services = self.shapes.iter().filter(|(_, s)| s.kind == "service");
        match (services.next(), services.next()) {
            (Some((id, shape)), None) => Ok((id, shape)),
            (None, _) => Err(CodegenError::Unsupported {
                shape: "(model)".to_owned(),
                what: "a model without a service shape".to_owned(),
            }),
            (Some((a, _)), Some((b, _))) => Err(CodegenError::Unsupported {
                shape: format!("{a}, {b}"),
                what: "more than one service shape in one model".to_owned(),
            }),
        }
    }

    /// The model with every service shape but `id` removed (for files that hold several
    /// services, such as Smithy's protocol test suite).
    pub fn only_service(&self, id: &str) -> Result<Model, CodegenError> {
        match self.shapes.get(id) {
            Some(shape) if shape.kind == "service" => {}
            _ => {
                return Err(CodegenError::MissingShape {
                    shape: id.to_owned(),
                    referenced_by: "--service".to_owned(),
                })
            }
        }
        let mut model = self.clone();
        model
            .shapes
            .retain(|shape_id, shape| shape.kind != "service" || shape_id == id);
        Ok(model)
    }

    /// Looks a shape up, failing with the id of the shape that referenced it.
    pub fn shape(&self, id: &str, referenced_by: &str) -> Result<&Shape, CodegenError> {
        self.shapes
            .get(id)
            .ok_or_else(|| CodegenError::MissingShape {
                shape: id.to_owned(),
                referenced_by: referenced_by.to_owned(),
            })
    }
}

/// The name part of an absolute shape id (`Arn` of `com.amazonaws.personalize#Arn`).
pub fn shape_name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, name)| name)
}

/// Whether the id is a shape of the Smithy prelude (`smithy.api#String`, ...).
pub fn is_prelude(id: &str) -> bool {
    id.starts_with("smithy.api#")
}
