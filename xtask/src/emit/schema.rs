//! `schema.rs`: every structure of the type space as data (`StructureMeta`), sorted by shape
//! name, for code that walks JSON generically (the mock's resource engine, the conformance
//! harness).

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::common::module_doc;
use crate::typespace::{RustType, StructDef, TypeSpace, ValueDef};
use crate::CodegenError;

/// Every structure of the type space by shape name: plain types, errors, operation inputs and
/// outputs (the empty ones standing for `smithy.api#Unit` under their Rust name). A shape
/// reached twice (an input also used as a member) appears once; two different structures
/// with one name are an error.
pub fn structures(space: &TypeSpace) -> Result<BTreeMap<&str, &StructDef>, CodegenError> {
    let io = space
        .operations
        .values()
        .flat_map(|op| [&op.input, &op.output]);
    let all = space.types.values().chain(space.errors.values()).chain(io);
    let mut by_name: BTreeMap<&str, &StructDef> = BTreeMap::new();
    for def in all {
        if let Some(seen) = by_name.insert(&def.shape, def) {
            if seen.id != def.id || seen.fields != def.fields {
                return Err(CodegenError::Unsupported {
                    shape: def.id.clone(),
                    what: format!("two structures named {} ({})", def.shape, seen.id),
                });
            }
        }
    }
    Ok(by_name)
}

/// Tokens for the `ValueKind` of a value.
fn kind(value: &ValueDef) -> TokenStream {
    let target = &value.target;
    let inner = |v: &Option<Box<ValueDef>>| {
        let k = v
            .as_deref()
            .map_or_else(|| quote!(ValueKind::Document), kind);
        quote!(&#k)
    };
    match &value.ty {
        RustType::String => quote!(ValueKind::String),
        RustType::Bool => quote!(ValueKind::Boolean),
        RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64 => quote!(ValueKind::Integer),
        RustType::F32 | RustType::F64 => quote!(ValueKind::Float),
        RustType::DateTime => quote!(ValueKind::Timestamp),
        RustType::Blob => quote!(ValueKind::Blob),
        RustType::Document => quote!(ValueKind::Document),
        RustType::List(_) => {
            let element = inner(&value.element);
            quote!(ValueKind::List(#element))
        }
        RustType::Map(..) => {
            let element = inner(&value.element);
            quote!(ValueKind::Map(#element))
        }
        RustType::Struct(..) => quote!(ValueKind::Structure(#target)),
        RustType::Enum(_) => quote!(ValueKind::Enum(#target)),
        // Only list and map elements are nullable, and their kind is read off `element`.
        RustType::Nullable(_) => quote!(ValueKind::Document),
    }
}

/// The `schema` module.
pub fn schema_rs(space: &TypeSpace) -> Result<TokenStream, CodegenError> {
    let head = module_doc(
        "Every structure of the model as data: members with their target shapes and kinds.",
    );
    let entries = structures(space)?.into_iter().map(|(name, def)| {
        let members = def.fields.iter().map(|f| {
            let (wire, target, required) = (&f.wire, &f.value.target, f.required);
            let kind = kind(&f.value);
            quote! {
                MemberMeta { name: #wire, target: #target, kind: #kind, required: #required }
            }
        });
        quote!(StructureMeta { name: #name, members: &[#(#members),*] })
    });
    Ok(quote! {
        #head
        use crate::meta::{MemberMeta, StructureMeta, ValueKind};

        /// Every structure of the model (types, errors, operation inputs and outputs), sorted
        /// by shape name.
        pub static STRUCTURES: &[StructureMeta] = &[#(#entries),*];

        /// The structure whose shape name (without namespace) is `name`.
        pub fn structure(name: &str) -> Option<&'static StructureMeta> {
            let at = STRUCTURES.binary_search_by(|s| s.name.cmp(name)).ok()?;
            STRUCTURES.get(at)
        }
    })
}
