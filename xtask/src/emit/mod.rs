//! Token emission: the type space becomes Rust files, built with `quote!` and formatted with
//! `prettyplease`. One module per generated module kind: `types`, `error`, `operation`,
//! `service`, `schema`, plus the shared structure emitter in `structure` and the pattern statics.

mod common;
mod error;
mod fluent;
mod handler;
mod operation;
mod patterns;
mod schema;
mod service;
mod standalone;
mod structure;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

use crate::typespace::TypeSpace;
use crate::{CodegenError, Files, HEADER};

pub use fluent::{fluent_rs, FLUENT_PATH};
pub use handler::{mock_files, MOCK_GENERATED_DIR};
pub use standalone::standalone_crate;

/// Every file of `src/generated/`, keyed by path relative to that directory.
pub fn generated_files(space: &TypeSpace) -> Result<Files, CodegenError> {
    let mut files = Files::new();
    files.insert("mod.rs".to_owned(), render("mod.rs", mod_rs())?);
    files.insert(
        "service.rs".to_owned(),
        render("service.rs", service::service_rs(space)?)?,
    );
    files.insert(
        "schema.rs".to_owned(),
        render("schema.rs", schema::schema_rs(space)?)?,
    );
    files.insert(
        "types.rs".to_owned(),
        render("types.rs", types::types_rs(space))?,
    );
    files.insert(
        "error.rs".to_owned(),
        render("error.rs", error::error_rs(space))?,
    );
    files.insert(
        "patterns.rs".to_owned(),
        render("patterns.rs", patterns::patterns_rs(space))?,
    );
    files.insert(
        "operation.rs".to_owned(),
        render("operation.rs", operation::operation_rs(space))?,
    );
    for op in space.operations.values() {
        let path = format!("operation/{}.rs", op.module);
        let tokens = operation::operation_module(space, op);
        files.insert(path.clone(), render(&path, tokens)?);
    }
    Ok(files)
}

fn mod_rs() -> TokenStream {
    quote! {
        #![doc = " Code generated from the Smithy model."]
        pub mod error;
        pub mod operation;
        pub(crate) mod patterns;
        pub mod schema;
        pub mod service;
        pub mod types;
    }
}

/// Parses and pretty-prints `tokens` as a file, with the generated-file header.
pub fn render(file: &str, tokens: TokenStream) -> Result<String, CodegenError> {
    let parsed: syn::File = syn::parse2(tokens).map_err(|e| CodegenError::Emit {
        file: file.to_owned(),
        reason: e.to_string(),
    })?;
    let mut text = String::from(HEADER);
    text.push_str(&prettyplease::unparse(&parsed));
    Ok(text)
}
