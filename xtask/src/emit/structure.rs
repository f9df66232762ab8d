//! A generated structure: the struct, its redacting `Debug`, builder and `Validate` impl.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::common::{adapter, doc, float, ident, ty, uint, Imports};
use crate::typespace::{FieldDef, RustType, StructDef, StructKind, ValueDef};

/// The text `Debug` prints instead of a sensitive value.
const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// Tokens for the structure, its impls and its builder.
pub fn structure(def: &StructDef, imports: &mut Imports) -> TokenStream {
    imports.add("serde", "Deserialize");
    imports.add("serde", "Serialize");
    let name = ident(&def.name);
    let struct_doc = doc(&def.doc);
    let is_output = def.kind == StructKind::Output;
    let fields: Vec<TokenStream> = def
        .fields
        .iter()
        .map(|f| {
            let fdoc = field_doc(f);
            let field = ident(&f.field);
            let wire = &f.wire;
            let t = field_ty(f, &def.module, imports);
            let with = adapter(&f.value, imports).map(|a| {
                imports.add("crate::format", "As");
                let path = quote!(As::<Option<#a>>).to_string().replace(' ', "");
                quote!(, with = #path)
            });
            quote! {
                #fdoc
                #[serde(rename = #wire, default, skip_serializing_if = "Option::is_none" #with)]
                pub #field: Option<#t>,
            }
        })
        .collect();
    let request_id_field = is_output.then(|| {
        quote! {
            /// The `x-amzn-RequestId` of the response this output was read from; not in the body.
            #[serde(skip)]
            request_id: Option<String>,
        }
    });
    let debug_derive = if def.redacts() {
        quote!()
    } else {
        quote!(Debug,)
    };
    let debug_impl = def.redacts().then(|| debug_impl(def));
    let request_id_impl = is_output.then(|| {
        imports.add("crate::meta", "RequestId");
        quote! {
            impl RequestId for #name {
                fn request_id(&self) -> Option<&str> {
                    self.request_id.as_deref()
                }
                fn set_request_id(&mut self, request_id: Option<String>) {
                    self.request_id = request_id;
                }
            }
        }
    });
    let builder = builder(def, imports);
    let validate = validate_impl(def, imports);
    quote! {
        #struct_doc
        #[derive(Clone, #debug_derive Default, PartialEq, Serialize, Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #request_id_field
        }

        #debug_impl
        #request_id_impl
        #builder
        #validate
    }
}

fn field_doc(f: &FieldDef) -> TokenStream {
    let mut text = f.doc.clone();
    if f.required {
        text.push_str("\n\nRequired: a missing value fails `validate()`.");
    }
    if let Some(default) = &f.default {
        text.push_str(&format!("\n\nDefault when absent: `{default}`."));
    }
    if f.sensitive {
        text.push_str("\n\nSensitive: redacted in `Debug` output.");
    }
    doc(&text)
}

fn field_ty(f: &FieldDef, from: &crate::typespace::Module, imports: &mut Imports) -> TokenStream {
    let t = ty(&f.value.ty, from, imports);
    if f.boxed {
        quote!(Box<#t>)
    } else {
        t
    }
}

fn debug_impl(def: &StructDef) -> TokenStream {
    let name = ident(&def.name);
    let label = &def.name;
    let fields = def.fields.iter().map(|f| {
        let field = ident(&f.field);
        let label = &f.field;
        if f.sensitive {
            quote!(d.field(#label, &self.#field.as_ref().map(|_| #REDACTED));)
        } else {
            quote!(d.field(#label, &self.#field);)
        }
    });
    let request_id =
        (def.kind == StructKind::Output).then(|| quote!(d.field("request_id", &self.request_id);));
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let mut d = f.debug_struct(#label);
                #(#fields)*
                #request_id
                d.finish()
            }
        }
    }
}

fn builder(def: &StructDef, imports: &mut Imports) -> TokenStream {
    let name = ident(&def.name);
    let builder = format_ident!("{}Builder", def.name);
    let builder_doc = format!(" Builder for [`{}`].", def.name);
    let fn_doc = format!(" A builder for [`{}`].", def.name);
    let setters: Vec<TokenStream> = def
        .fields
        .iter()
        .map(|f| {
            let field = ident(&f.field);
            let setter = ident(&f.field);
            let set = format_ident!("set_{}", f.field.trim_start_matches('_'));
            let t = ty(&f.value.ty, &def.module, imports);
            let doc_set = format!(" Sets `{}`.", f.wire);
            let doc_set_opt = format!(" Sets or clears `{}`.", f.wire);
            let (arg, store) = match (&f.value.ty, f.boxed) {
                (RustType::String, _) => (quote!(impl Into<String>), quote!(Some(value.into()))),
                (_, true) => (quote!(#t), quote!(Some(Box::new(value)))),
                _ => (quote!(#t), quote!(Some(value))),
            };
            let store_opt = if f.boxed {
                quote!(value.map(Box::new))
            } else {
                quote!(value)
            };
            quote! {
                #[doc = #doc_set]
                pub fn #setter(mut self, value: #arg) -> Self {
                    self.inner.#field = #store;
                    self
                }
                #[doc = #doc_set_opt]
                pub fn #set(mut self, value: Option<#t>) -> Self {
                    self.inner.#field = #store_opt;
                    self
                }
            }
        })
        .collect();
    quote! {
        impl #name {
            #[doc = #fn_doc]
            pub fn builder() -> #builder {
                #builder::default()
            }
        }

        #[doc = #builder_doc]
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct #builder {
            inner: #name,
        }

        impl #builder {
            #(#setters)*
            /// Builds the value (constraints are checked by `validate()`, not here).
            pub fn build(self) -> #name {
                self.inner
            }
        }
    }
}

fn validate_impl(def: &StructDef, imports: &mut Imports) -> TokenStream {
    imports.add("crate::validation", "Validate");
    imports.add("crate::validation", "Validator");
    let name = ident(&def.name);
    let checks: Vec<TokenStream> = def
        .fields
        .iter()
        .filter_map(|f| field_checks(f, imports))
        .collect();
    let v = if checks.is_empty() {
        quote!(_v)
    } else {
        quote!(v)
    };
    quote! {
        impl Validate for #name {
            fn validate_into(&self, #v: &mut Validator) {
                #(#checks)*
            }
        }
    }
}

fn field_checks(f: &FieldDef, imports: &mut Imports) -> Option<TokenStream> {
    let field = ident(&f.field);
    let wire = &f.wire;
    let value = format_ident!("value");
    let mut inner = value_checks(&f.value, &value, 0, imports);
    if f.sensitive && !inner.is_empty() {
        // `@sensitive`: violations name the member but not its value.
        inner = vec![quote!(v.sensitive(|v| { #(#inner)* });)];
    }
    if f.required {
        imports.add("crate::validation", "Rule");
        let body = if inner.is_empty() {
            quote!(v.at(#wire, |v| v.violation(Rule::Required, None));)
        } else {
            quote!(match &self.#field {
                Some(value) => v.at(#wire, |v| { #(#inner)* }),
                None => v.at(#wire, |v| v.violation(Rule::Required, None)),
            })
        };
        return Some(if inner.is_empty() {
            quote!(if self.#field.is_none() { #body })
        } else {
            body
        });
    }
    if inner.is_empty() {
        return None;
    }
    Some(quote! {
        if let Some(value) = &self.#field {
            v.at(#wire, |v| { #(#inner)* });
        }
    })
}

fn opt_u64(bound: Option<u64>) -> TokenStream {
    match bound {
        Some(b) => {
            let b = uint(b);
            quote!(Some(#b))
        }
        None => quote!(None),
    }
}

fn opt_f64(bound: Option<f64>) -> TokenStream {
    match bound {
        Some(b) => {
            let b = float(b);
            quote!(Some(#b))
        }
        None => quote!(None),
    }
}

/// Statements checking `value` (an expression of type `&T`) against `def`.
pub fn value_checks(
    def: &ValueDef,
    value: &proc_macro2::Ident,
    depth: usize,
    imports: &mut Imports,
) -> Vec<TokenStream> {
    let mut out = Vec::new();
    let c = &def.constraints;
    let debug_fmt = format!("{{{value}:?}}");
    match &def.ty {
        RustType::String => {
            if let Some((min, max)) = c.length {
                let (min, max) = (opt_u64(min), opt_u64(max));
                out.push(quote!(v.string_length(#value, #min, #max);));
            }
            if let Some(p) = &c.pattern {
                imports.add("crate::generated::patterns", &p.static_name);
                let stat = ident(&p.static_name);
                let ecma = &p.ecma;
                let check = quote! {
                    if let Some(dfa) = #stat.get() {
                        v.pattern(#value, #ecma, dfa);
                    }
                };
                // An ASCII-length pattern is decided by bytes; the DFA only reports failures.
                out.push(match crate::pattern::ascii_prefilter(ecma, value) {
                    Some(fast) => quote!(if !(#fast) { #check }),
                    None => check,
                });
            }
        }
        RustType::Blob => {
            if let Some((min, max)) = c.length {
                let (min, max) = (opt_u64(min), opt_u64(max));
                out.push(quote!(v.collection_length(#value.as_bytes().len(), || format!(#debug_fmt), #min, #max);));
            }
        }
        RustType::I8
        | RustType::I16
        | RustType::I32
        | RustType::F32
        | RustType::I64
        | RustType::F64 => {
            if let Some((min, max)) = c.range {
                let (min, max) = (opt_f64(min), opt_f64(max));
                let as_f64 = match def.ty {
                    RustType::F64 => quote!(*#value),
                    RustType::I64 => quote!(*#value as f64),
                    _ => quote!(f64::from(*#value)),
                };
                out.push(quote!(v.range(#as_f64, #value, #min, #max);));
            }
        }
        RustType::List(_) | RustType::Map(..) => {
            if let Some((min, max)) = c.length {
                let (min, max) = (opt_u64(min), opt_u64(max));
                out.push(
                    quote!(v.collection_length(#value.len(), || format!(#debug_fmt), #min, #max);),
                );
            }
            if def.unique_items {
                out.push(quote!(v.unique_items(#value);));
            }
            let element = def.element.as_deref();
            let key = def.key.as_deref();
            let is_map = matches!(def.ty, RustType::Map(..));
            let item = format_ident!("item{}", depth);
            let item_value = item.clone();
            let mut element_checks = element
                .map(|e| value_checks(e, &item_value, depth + 1, imports))
                .unwrap_or_default();
            if def.sparse && !element_checks.is_empty() {
                // `@sparse`: a null element has nothing to check.
                element_checks =
                    vec![quote!(if let Some(#item_value) = #item_value { #(#element_checks)* })];
            }
            if !is_map {
                let plain_validate = !def.sparse
                    && element.is_some_and(|e| {
                        matches!(e.ty, RustType::Struct(..) | RustType::Enum(_))
                            && e.constraints == Default::default()
                    });
                if plain_validate {
                    out.push(quote!(#value.validate_into(v);));
                } else if !element_checks.is_empty() {
                    let index = format_ident!("i{}", depth);
                    out.push(quote! {
                        for (#index, #item) in #value.iter().enumerate() {
                            v.at(#index, |v| { #(#element_checks)* });
                        }
                    });
                }
            } else {
                let k = format_ident!("key{}", depth);
                let key_value = k.clone();
                let key_checks = key
                    .map(|kd| value_checks(kd, &key_value, depth + 1, imports))
                    .unwrap_or_default();
                if !element_checks.is_empty() {
                    out.push(quote! {
                        for (#k, #item) in #value {
                            v.at(#k, |v| { #(#key_checks)* #(#element_checks)* });
                        }
                    });
                } else if !key_checks.is_empty() {
                    out.push(quote! {
                        for #k in #value.keys() {
                            v.at(#k, |v| { #(#key_checks)* });
                        }
                    });
                }
            }
        }
        RustType::Struct(..) | RustType::Enum(_) => {
            out.push(quote!(#value.validate_into(v);));
        }
        RustType::Bool | RustType::DateTime | RustType::Document | RustType::Nullable(_) => {}
    }
    out
}
