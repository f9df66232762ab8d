//! `cargo xtask slice`: cuts the closure of some operations out of a full Smithy model.
//!
//! The result holds the service shape (its `operations` restricted to the chosen ones, every
//! trait kept), those operations, and every shape reachable from their inputs, outputs and
//! errors (and the service-wide errors), with all traits and documentation, and the definitions
//! (`@trait` shapes and what they reference) of every trait used on the kept shapes that the
//! model defines itself (Smithy's protocol test suite defines `smithy.test#httpRequestTests`).

use std::collections::{BTreeMap, BTreeSet};

use crate::smithy::{is_prelude, shape_name, Model, Shape, Target};
use crate::CodegenError;

/// Which operations to keep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Operations {
    /// Every operation of the service.
    All,
    /// These operation names (shape names, not ids).
    Named(Vec<String>),
}

impl Operations {
    /// Parses `all` or `A,B,C`.
    pub fn parse(text: &str) -> Operations {
        if text.trim() == "all" {
            Operations::All
        } else {
            Operations::Named(
                text.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect(),
            )
        }
    }
}

/// The closure of `operations` in `model`.
pub fn slice(model: &Model, operations: &Operations) -> Result<Model, CodegenError> {
    let (service_id, service) = model.service()?;
    let all: Vec<&Target> = service.operations.iter().flatten().collect();
    let chosen: Vec<Target> = match operations {
        Operations::All => all.into_iter().cloned().collect(),
        Operations::Named(names) => {
            let mut chosen = Vec::new();
            for name in names {
                let found = all
                    .iter()
                    .find(|t| shape_name(&t.target) == name)
                    .ok_or_else(|| CodegenError::UnknownOperation(name.clone()))?;
                chosen.push((*found).clone());
            }
            chosen.sort();
            chosen.dedup();
            chosen
        }
    };
    if service.resources.as_ref().is_some_and(|r| !r.is_empty()) {
        return Err(CodegenError::Unsupported {
            shape: service_id.to_owned(),
            what: "service resources (operations bound to resources)".to_owned(),
        });
    }
    let mut keep = BTreeSet::new();
    let mut todo: Vec<(String, String)> = chosen
        .iter()
        .map(|t| (t.target.clone(), service_id.to_owned()))
        .collect();
    todo.extend(
        service
            .errors
            .iter()
            .flatten()
            .map(|t| (t.target.clone(), service_id.to_owned())),
    );
    while let Some((id, from)) = todo.pop() {
        if is_prelude(&id) || !keep.insert(id.clone()) {
            continue;
        }
        let shape = model.shape(&id, &from)?;
        for next in references(shape) {
            todo.push((next, id.clone()));
        }
    }
    // Definitions of the traits the kept shapes use, when the model carries them.
    let mut todo: Vec<(String, String)> = Vec::new();
    for id in &keep {
        if let Some(shape) = model.shapes.get(id) {
            let member_traits = shape
                .members
                .iter()
                .flat_map(|m| m.values())
                .chain(
                    [&shape.member, &shape.key, &shape.value]
                        .into_iter()
                        .flatten(),
                )
                .flat_map(|m| m.traits.keys());
            for t in shape.traits.keys().chain(member_traits) {
                todo.push((t.clone(), id.clone()));
            }
        }
    }
    for t in service.traits.keys() {
        todo.push((t.clone(), service_id.to_owned()));
    }
    while let Some((id, from)) = todo.pop() {
        if is_prelude(&id) || keep.contains(&id) || !model.shapes.contains_key(&id) {
            continue;
        }
        keep.insert(id.clone());
        let shape = model.shape(&id, &from)?;
        for next in references(shape) {
            todo.push((next, id.clone()));
        }
        for t in shape.traits.keys() {
            todo.push((t.clone(), id.clone()));
        }
    }
    let mut shapes: BTreeMap<String, Shape> = keep
        .into_iter()
        .filter_map(|id| model.shapes.get(&id).map(|s| (id, s.clone())))
        .collect();
    let mut service = service.clone();
    service.operations = Some(chosen);
    shapes.insert(service_id.to_owned(), service);
    Ok(Model {
        smithy: model.smithy.clone(),
        metadata: model.metadata.clone(),
        shapes,
    })
}

/// Every shape id `shape` refers to.
pub fn references(shape: &Shape) -> Vec<String> {
    let mut out = Vec::new();
    for m in shape.members.iter().flat_map(|m| m.values()) {
        out.push(m.target.clone());
    }
    for m in [&shape.member, &shape.key, &shape.value]
        .into_iter()
        .flatten()
    {
        out.push(m.target.clone());
    }
    for t in [&shape.input, &shape.output].into_iter().flatten() {
        out.push(t.target.clone());
    }
    for t in shape.errors.iter().flatten() {
        out.push(t.target.clone());
    }
    out
}
