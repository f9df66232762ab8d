//! `crates/client/src/generated/fluent.rs`: one `Client` method per operation and one setter,
//! `set_` setter and `get_` getter per input member on the client's `FluentBuilder<Op>`.
//!
//! Written as text in the client's own layout and passed through `rustfmt`, so the file is
//! exactly what `cargo fmt` keeps.

use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};

use crate::typespace::{Module, RustType, TypeSpace};
use crate::{docs, CodegenError, HEADER};

/// Where the file lives, relative to the workspace root.
pub const FLUENT_PATH: &str = "crates/client/src/generated/fluent.rs";

fn type_text(ty: &RustType, uses: &mut BTreeSet<String>) -> String {
    match ty {
        RustType::String => "String".to_owned(),
        RustType::Bool => "bool".to_owned(),
        RustType::I8 => "i8".to_owned(),
        RustType::I16 => "i16".to_owned(),
        RustType::I32 => "i32".to_owned(),
        RustType::I64 => "i64".to_owned(),
        RustType::F32 => "f32".to_owned(),
        RustType::F64 => "f64".to_owned(),
        RustType::DateTime => {
            uses.insert("personalize_model::DateTime".to_owned());
            "DateTime".to_owned()
        }
        RustType::Blob => {
            uses.insert("personalize_model::Blob".to_owned());
            "Blob".to_owned()
        }
        RustType::Document => {
            uses.insert("personalize_model::Document".to_owned());
            "Document".to_owned()
        }
        RustType::List(t) => format!("Vec<{}>", type_text(t, uses)),
        RustType::Nullable(t) => format!("Option<{}>", type_text(t, uses)),
        RustType::Map(k, v) => {
            uses.insert("std::collections::BTreeMap".to_owned());
            format!("BTreeMap<{}, {}>", type_text(k, uses), type_text(v, uses))
        }
        RustType::Struct(name, module) => {
            let path = match module {
                Module::Types => "personalize_model::types".to_owned(),
                Module::Error => "personalize_model::error".to_owned(),
                Module::Operation(m) => format!("personalize_model::operation::{m}"),
            };
            uses.insert(format!("{path}::{name}"));
            name.clone()
        }
        RustType::Enum(name) => {
            uses.insert(format!("personalize_model::types::{name}"));
            name.clone()
        }
    }
}

fn doc_lines(text: &str, indent: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                format!("{indent}///\n")
            } else {
                format!("{indent}/// {l}\n")
            }
        })
        .collect()
}

fn raw(name: &str) -> String {
    let id = super::common::ident(name);
    id.to_string()
}

/// The text of `fluent.rs` for the type space.
pub fn fluent_rs(space: &TypeSpace) -> Result<String, CodegenError> {
    let mut uses = BTreeSet::new();
    let mut methods = Vec::new();
    let mut impls = Vec::new();
    for op in space.operations.values() {
        uses.insert(format!(
            "personalize_model::operation::{}::{}",
            op.module, op.name
        ));
        let mut m = String::new();
        let summary = if op.summary.is_empty() {
            format!("Calls `{}`.", op.name)
        } else {
            op.summary.clone()
        };
        m.push_str(&doc_lines(&summary, "    "));
        m.push_str("    ///\n");
        let paginated = if op.pagination.is_some() {
            " Paginated: see [`FluentBuilder::into_paginator`]."
        } else {
            ""
        };
        m.push_str(&format!("    /// Sends `{}`.{paginated}\n", op.target));
        m.push_str(&format!(
            "    pub fn {}(&self) -> FluentBuilder<{}> {{\n        FluentBuilder::new(self.clone())\n    }}\n",
            raw(&op.module),
            op.name
        ));
        methods.push(m);
        if op.input.fields.is_empty() {
            continue;
        }
        let mut b = format!("impl FluentBuilder<{}> {{\n", op.name);
        for f in &op.input.fields {
            let t = type_text(&f.value.ty, &mut uses);
            let field = raw(&f.field);
            let plain = f.field.trim_start_matches('_');
            let (arg, store) = match (&f.value.ty, f.boxed) {
                (RustType::String, _) => ("impl Into<String>".to_owned(), "Some(value.into())"),
                (_, true) => (t.clone(), "Some(Box::new(value))"),
                _ => (t.clone(), "Some(value)"),
            };
            let (stored, store_opt) = if f.boxed {
                (format!("Box<{t}>"), "value.map(Box::new)")
            } else {
                (t.clone(), "value")
            };
            let summary = docs::summary_of_markdown(&f.doc);
            b.push_str(&doc_lines(&summary, "    "));
            b.push_str(&format!(
                "    pub fn {field}(mut self, value: {arg}) -> Self {{\n        self.input.{field} = {store};\n        self\n    }}\n"
            ));
            b.push_str(&format!(
                "    /// Sets or clears `{}` (see [`Self::{field}`]).\n    pub fn set_{plain}(mut self, value: Option<{t}>) -> Self {{\n        self.input.{field} = {store_opt};\n        self\n    }}\n",
                f.wire
            ));
            b.push_str(&format!(
                "    /// The value of `{}` set so far.\n    pub fn get_{plain}(&self) -> &Option<{stored}> {{\n        &self.input.{field}\n    }}\n",
                f.wire
            ));
        }
        b.push_str("}\n");
        impls.push(b);
    }
    let mut text = String::from(HEADER);
    text.push_str(
        "//! Fluent builders: one `Client` method per operation, one setter per input member.\n\n",
    );
    for u in &uses {
        text.push_str(&format!("use {u};\n"));
    }
    text.push_str("\nuse crate::client::Client;\nuse crate::fluent::FluentBuilder;\n\n");
    text.push_str("impl Client {\n");
    text.push_str(&methods.join("\n"));
    text.push_str("}\n");
    for b in impls {
        text.push('\n');
        text.push_str(&b);
    }
    rustfmt(&text)
}

/// Formats `text` with `rustfmt` (edition 2021), as `cargo fmt` would.
fn rustfmt(text: &str) -> Result<String, CodegenError> {
    let err = |reason: String| CodegenError::Io {
        path: "rustfmt".to_owned(),
        reason,
    };
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| err(format!("cannot run rustfmt: {e}")))?;
    child
        .stdin
        .take()
        .ok_or_else(|| err("no stdin".to_owned()))?
        .write_all(text.as_bytes())
        .map_err(|e| err(e.to_string()))?;
    let out = child.wait_with_output().map_err(|e| err(e.to_string()))?;
    if !out.status.success() {
        return Err(err(String::from_utf8_lossy(&out.stderr).into_owned()));
    }
    String::from_utf8(out.stdout).map_err(|e| err(e.to_string()))
}
