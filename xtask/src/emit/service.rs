//! `service.rs`: the service shape's facts and every operation as data (`OperationMeta`).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::common::{doc, module_doc, uint, Imports};
use super::schema::structures;
use crate::typespace::{OperationDef, ProtocolDef, StructKind, TypeSpace};
use crate::CodegenError;

/// The `service` module.
pub fn service_rs(space: &TypeSpace) -> Result<TokenStream, CodegenError> {
    let s = &space.service;
    let head = module_doc("The service shape.");
    let d = doc(&format!("{} (`{}`).", s.doc, s.id));
    let (prefix, sdk, version, signing, endpoint) = (
        &s.name,
        &s.sdk_id,
        &s.version,
        &s.signing_name,
        &s.endpoint_prefix,
    );
    let protocol = match s.protocol {
        ProtocolDef::AwsJson1_1 => quote!(Protocol::AwsJson1_1),
        ProtocolDef::AwsJson1_0 => quote!(Protocol::AwsJson1_0),
        ProtocolDef::RestJson1 => quote!(Protocol::RestJson1),
    };
    let ops = space.operations.keys();
    // Positions in `schema::STRUCTURES`, which is sorted by shape name.
    let names: Vec<&str> = structures(space)?.into_keys().collect();
    let at = |shape: &str| {
        names
            .binary_search(&shape)
            .map(|i| uint(i as u64))
            .map_err(|_| CodegenError::Unsupported {
                shape: shape.to_owned(),
                what: "an operation structure missing from the schema".to_owned(),
            })
    };
    let mut imports = Imports::default();
    for name in ["OperationMeta", "Protocol", "ServiceMeta"] {
        imports.add("crate::meta", name);
    }
    imports.add("crate::schema", "STRUCTURES");
    if space.operations.values().any(|op| !op.errors.is_empty()) {
        imports.add("crate::meta", "ErrorMeta");
    }
    if space.operations.values().any(|op| op.pagination.is_some()) {
        imports.add("crate::meta", "Pagination");
    }
    let uses = imports.tokens();
    let mut metas = Vec::new();
    for op in space.operations.values() {
        metas.push(operation_meta(
            space,
            op,
            at(&op.input.shape)?,
            at(&op.output.shape)?,
        ));
    }
    Ok(quote! {
        #head
        #uses

        #d
        pub const SERVICE: ServiceMeta = ServiceMeta {
            target_prefix: #prefix,
            sdk_id: #sdk,
            version: #version,
            signing_name: #signing,
            endpoint_prefix: #endpoint,
            protocol: #protocol,
        };

        /// Names of the operations generated from the model, sorted.
        pub const OPERATIONS: &[&str] = &[#(#ops),*];

        /// Every operation as data, sorted by name (each one is also its `Operation::META`).
        pub static OPERATION_METAS: &[OperationMeta] = &[#(#metas),*];

        /// The operation named `name` (`CreateDatasetGroup`).
        pub fn operation(name: &str) -> Option<&'static OperationMeta> {
            let at = OPERATION_METAS.binary_search_by(|o| o.name.cmp(name)).ok()?;
            OPERATION_METAS.get(at)
        }
    })
}

fn operation_meta(
    space: &TypeSpace,
    op: &OperationDef,
    input: Literal,
    output: Literal,
) -> TokenStream {
    let (name, target, idempotent) = (&op.name, &op.target, op.idempotent);
    let errors = op
        .errors
        .iter()
        .filter_map(|e| space.errors.get(e))
        .filter_map(|def| {
            let StructKind::Error(info) = &def.kind else {
                return None;
            };
            let (code, server) = (&info.code, info.server_fault);
            let status = Literal::u16_unsuffixed(info.http_status);
            Some(quote!(ErrorMeta { code: #code, http_status: #status, server_fault: #server }))
        });
    let pagination = match &op.pagination {
        None => quote!(None),
        Some(p) => {
            let (input_token, output_token) = (&p.input_token.0, &p.output_token.0);
            let option = |wire: Option<&String>| match wire {
                Some(w) => quote!(Some(#w)),
                None => quote!(None),
            };
            let items = option(p.items.as_ref().map(|i| &i.0));
            let page_size = option(p.page_size.as_ref().map(|s| &s.0));
            quote! {
                Some(Pagination {
                    input_token: #input_token,
                    output_token: #output_token,
                    items: #items,
                    page_size: #page_size,
                })
            }
        }
    };
    quote! {
        OperationMeta {
            name: #name,
            target: #target,
            idempotent: #idempotent,
            input: &STRUCTURES[#input],
            output: &STRUCTURES[#output],
            errors: &[#(#errors),*],
            pagination: #pagination,
        }
    }
}
