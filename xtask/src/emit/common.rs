//! Helpers shared by the emitters: identifiers, type tokens, imports, doc attributes.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::typespace::{Module, RustType, TimestampFormat, ValueDef};

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
    "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn",
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try", "gen",
];

/// An identifier, raw (`r#type`) when it is a keyword.
pub fn ident(name: &str) -> Ident {
    match name {
        "crate" | "self" | "super" | "Self" => Ident::new(&format!("{name}_"), Span::call_site()),
        _ if KEYWORDS.contains(&name) => Ident::new_raw(name, Span::call_site()),
        _ => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc = " text"]` lines for a Markdown doc string.
pub fn doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

/// `#![doc = " text"]` lines for a module.
pub fn module_doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#![doc = #l])
    });
    quote!(#(#lines)*)
}

/// `use` declarations collected while emitting one file.
#[derive(Debug, Default)]
pub struct Imports(BTreeMap<String, BTreeSet<String>>);

impl Imports {
    /// Records `path::name`.
    pub fn add(&mut self, path: &str, name: &str) {
        self.0
            .entry(path.to_owned())
            .or_default()
            .insert(name.to_owned());
    }

    /// The `use` items, sorted.
    pub fn tokens(&self) -> TokenStream {
        self.tokens_in("crate")
    }

    /// The `use` items, sorted, for code living in another crate than the generated model:
    /// paths recorded from `crate` start from `krate` instead.
    pub fn tokens_in(&self, krate: &str) -> TokenStream {
        let uses = self.0.iter().map(|(path, names)| {
            let path = match path.strip_prefix("crate") {
                Some(rest) if rest.is_empty() || rest.starts_with("::") => format!("{krate}{rest}"),
                _ => path.clone(),
            };
            let path: syn::Path =
                syn::parse_str(&path).unwrap_or_else(|_| syn::parse_quote!(crate));
            let names: Vec<Ident> = names.iter().map(|n| ident(n)).collect();
            if names.len() == 1 {
                let name = &names[0];
                quote!(use #path::#name;)
            } else {
                quote!(use #path::{#(#names),*};)
            }
        });
        quote!(#(#uses)*)
    }
}

/// Tokens for `ty` as written in module `from`, recording the imports it needs.
pub fn ty(ty: &RustType, from: &Module, imports: &mut Imports) -> TokenStream {
    match ty {
        RustType::String => quote!(String),
        RustType::Bool => quote!(bool),
        RustType::I8 => quote!(i8),
        RustType::I16 => quote!(i16),
        RustType::I32 => quote!(i32),
        RustType::I64 => quote!(i64),
        RustType::F32 => quote!(f32),
        RustType::F64 => quote!(f64),
        RustType::DateTime => {
            imports.add("crate", "DateTime");
            quote!(DateTime)
        }
        RustType::Blob => {
            imports.add("crate", "Blob");
            quote!(Blob)
        }
        RustType::Document => {
            imports.add("crate", "Document");
            quote!(Document)
        }
        RustType::List(inner) => {
            let inner = self::ty(inner, from, imports);
            quote!(Vec<#inner>)
        }
        RustType::Nullable(inner) => {
            let inner = self::ty(inner, from, imports);
            quote!(Option<#inner>)
        }
        RustType::Map(k, v) => {
            imports.add("std::collections", "BTreeMap");
            let k = self::ty(k, from, imports);
            let v = self::ty(v, from, imports);
            quote!(BTreeMap<#k, #v>)
        }
        RustType::Struct(name, module) => {
            if module != from {
                match module {
                    Module::Types => imports.add("crate::types", name),
                    Module::Error => imports.add("crate::error", name),
                    Module::Operation(m) => imports.add(&format!("crate::operation::{m}"), name),
                }
            }
            let name = ident(name);
            quote!(#name)
        }
        RustType::Enum(name) => {
            if *from != Module::Types {
                imports.add("crate::types", name);
            }
            let name = ident(name);
            quote!(#name)
        }
    }
}

/// The `crate::format` adapter a value needs on the wire (`Float`, `Vec<HttpDate>`,
/// `BTreeMap<Same, Float>`), or `None` when serde's own form is the wire form.
pub fn adapter(def: &ValueDef, imports: &mut Imports) -> Option<TokenStream> {
    let leaf = |name: &str, imports: &mut Imports| {
        imports.add("crate::format", name);
        let name = ident(name);
        Some(quote!(#name))
    };
    let nullable = |inner: TokenStream, sparse: bool| {
        if sparse {
            quote!(Option<#inner>)
        } else {
            inner
        }
    };
    match &def.ty {
        RustType::F32 | RustType::F64 => leaf("Float", imports),
        RustType::DateTime => match def.timestamp_format {
            TimestampFormat::EpochSeconds => None,
            TimestampFormat::DateTime => leaf("DateTimeFormat", imports),
            TimestampFormat::HttpDate => leaf("HttpDate", imports),
        },
        RustType::List(_) => {
            let inner = adapter(def.element.as_deref()?, imports)?;
            let inner = nullable(inner, def.sparse);
            Some(quote!(Vec<#inner>))
        }
        RustType::Map(..) => {
            let inner = adapter(def.element.as_deref()?, imports)?;
            let inner = nullable(inner, def.sparse);
            imports.add("crate::format", "Same");
            imports.add("std::collections", "BTreeMap");
            Some(quote!(BTreeMap<Same, #inner>))
        }
        _ => None,
    }
}

/// An unsuffixed float literal (`100.0`).
pub fn float(value: f64) -> Literal {
    Literal::f64_unsuffixed(value)
}

/// An unsuffixed integer literal.
pub fn uint(value: u64) -> Literal {
    Literal::u64_unsuffixed(value)
}
