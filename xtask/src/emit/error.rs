//! `error.rs`: the modeled error structures.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{ident, module_doc, Imports};
use super::structure::structure;
use crate::typespace::{StructKind, TypeSpace};

/// The `error` module.
pub fn error_rs(space: &TypeSpace) -> TokenStream {
    let mut imports = Imports::default();
    let mut items = Vec::new();
    for def in space.errors.values() {
        let StructKind::Error(info) = &def.kind else {
            continue;
        };
        items.push(structure(def, &mut imports));
        let name = ident(&def.name);
        let code = &info.code;
        let status = proc_macro2::Literal::u16_unsuffixed(info.http_status);
        let new = match &info.message_field {
            Some(field) => {
                let init = if field == "message" {
                    quote!(message)
                } else {
                    let field = ident(field);
                    quote!(#field: message)
                };
                if def.fields.len() > 1 {
                    quote! {
                        pub fn new(message: Option<String>) -> Self {
                            Self { #init, ..Self::default() }
                        }
                    }
                } else {
                    quote! {
                        pub fn new(message: Option<String>) -> Self {
                            Self { #init }
                        }
                    }
                }
            }
            None => quote! {
                pub fn new(_message: Option<String>) -> Self {
                    Self::default()
                }
            },
        };
        let from_body = match &info.message_field {
            Some(field) => {
                let field = ident(field);
                quote! {
                    /// Reads the members from an error response body; `message` fills the
                    /// message member when the body spells it differently.
                    pub fn from_body(body: &serde_json::Value, message: Option<String>) -> Self {
                        let mut error: Self =
                            serde_json::from_value(body.clone()).unwrap_or_else(|_| Self::new(None));
                        if error.#field.is_none() {
                            error.#field = message;
                        }
                        error
                    }
                }
            }
            None => quote! {
                /// Reads the members from an error response body.
                pub fn from_body(body: &serde_json::Value, _message: Option<String>) -> Self {
                    serde_json::from_value(body.clone()).unwrap_or_default()
                }
            },
        };
        let display_message = match &info.message_field {
            Some(field) => {
                let field = ident(field);
                quote! {
                    if let Some(message) = &self.#field {
                        write!(f, ": {message}")?;
                    }
                }
            }
            None => quote!(),
        };
        items.push(quote! {
            impl #name {
                /// The shape name, sent as `__type`.
                pub const CODE: &'static str = #code;
                /// The HTTP status from `@httpError`.
                pub const HTTP_STATUS: u16 = #status;

                /// An error with the given message.
                #new

                #from_body
            }

            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(Self::CODE)?;
                    #display_message
                    Ok(())
                }
            }

            impl std::error::Error for #name {}
        });
    }
    let head = module_doc("Modeled error structures.");
    let uses = imports.tokens();
    quote! {
        #head
        #uses
        #(#items)*
    }
}
