//! `crates/client/src/generated/fluent.rs`: one `Client` method per operation and one setter,
//! `set_` setter and `get_` getter per input member on the client's `FluentBuilder<Op>`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::common::{doc, ident, module_doc, ty, Imports};
use super::render;
use crate::typespace::{Module, OperationDef, RustType, TypeSpace};
use crate::{docs, CodegenError};

/// Where the file lives, relative to the workspace root.
pub const FLUENT_PATH: &str = "crates/client/src/generated/fluent.rs";

/// The crate the client imports the generated model from.
const MODEL_CRATE: &str = "personalize_model";

/// The text of `fluent.rs` for the type space.
pub fn fluent_rs(space: &TypeSpace) -> Result<String, CodegenError> {
    // Types are named as the model crate's own modules name them, then imported from it.
    let here = Module::Operation(String::new());
    let mut imports = Imports::default();
    let mut methods = Vec::new();
    let mut impls = Vec::new();
    for op in space.operations.values() {
        imports.add(&format!("crate::operation::{}", op.module), &op.name);
        methods.push(client_method(op));
        if !op.input.fields.is_empty() {
            impls.push(setters(op, &here, &mut imports));
        }
    }
    let head = module_doc(
        "Fluent builders: one `Client` method per operation, one setter per input member.",
    );
    let uses = imports.tokens_in(MODEL_CRATE);
    let tokens = quote! {
        #head
        #uses
        use crate::client::Client;
        use crate::fluent::FluentBuilder;

        impl Client {
            #(#methods)*
        }

        #(#impls)*
    };
    render("fluent.rs", tokens)
}

fn client_method(op: &OperationDef) -> TokenStream {
    let summary = if op.summary.is_empty() {
        format!("Calls `{}`.", op.name)
    } else {
        op.summary.clone()
    };
    let paginated = if op.pagination.is_some() {
        " Paginated: see [`FluentBuilder::into_paginator`]."
    } else {
        ""
    };
    let d = doc(&format!("{summary}\n\nSends `{}`.{paginated}", op.target));
    let method = ident(&op.module);
    let marker = ident(&op.name);
    quote! {
        #d
        pub fn #method(&self) -> FluentBuilder<#marker> {
            FluentBuilder::new(self.clone())
        }
    }
}

fn setters(op: &OperationDef, here: &Module, imports: &mut Imports) -> TokenStream {
    let marker = ident(&op.name);
    let fns = op.input.fields.iter().map(|f| {
        let t = ty(&f.value.ty, here, imports);
        let field = ident(&f.field);
        let plain = f.field.trim_start_matches('_');
        let (set, get) = (format_ident!("set_{plain}"), format_ident!("get_{plain}"));
        let (arg, store) = match (&f.value.ty, f.boxed) {
            (RustType::String, _) => (quote!(impl Into<String>), quote!(Some(value.into()))),
            (_, true) => (t.clone(), quote!(Some(Box::new(value)))),
            _ => (t.clone(), quote!(Some(value))),
        };
        let (stored, store_opt) = if f.boxed {
            (quote!(Box<#t>), quote!(value.map(Box::new)))
        } else {
            (t.clone(), quote!(value))
        };
        let d = doc(&docs::summary_of_markdown(&f.doc));
        let set_doc = format!(" Sets or clears `{}` (see [`Self::{field}`]).", f.wire);
        let get_doc = format!(" The value of `{}` set so far.", f.wire);
        quote! {
            #d
            pub fn #field(mut self, value: #arg) -> Self {
                self.input.#field = #store;
                self
            }
            #[doc = #set_doc]
            pub fn #set(mut self, value: Option<#t>) -> Self {
                self.input.#field = #store_opt;
                self
            }
            #[doc = #get_doc]
            pub fn #get(&self) -> &Option<#stored> {
                &self.input.#field
            }
        }
    });
    quote! {
        impl FluentBuilder<#marker> {
            #(#fns)*
        }
    }
}
