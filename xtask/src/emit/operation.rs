//! `operation.rs` and `operation/<op>.rs`: marker type, input, output and error per operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::common::{doc, ident, module_doc, ty, Imports};
use super::structure::structure;
use crate::typespace::{Module, OperationDef, RustType, StructKind, TypeSpace};

/// The `operation` module: one submodule per operation.
pub fn operation_rs(space: &TypeSpace) -> TokenStream {
    let head = module_doc("One module per operation: its marker type, input, output and error.");
    let mods = space.operations.values().map(|op| {
        let m = ident(&op.module);
        let d = doc(&format!("`{}`.", op.name));
        quote!(#d pub mod #m;)
    });
    quote! {
        #head
        #(#mods)*
    }
}

/// One operation's module.
pub fn operation_module(space: &TypeSpace, op: &OperationDef) -> TokenStream {
    let mut imports = Imports::default();
    let module = Module::Operation(op.module.clone());
    imports.add("crate::meta", "ErrorMeta");
    imports.add("crate::meta", "Operation");
    imports.add("crate::meta", "OperationError");
    imports.add("crate::meta", "OperationMeta");
    imports.add("crate::meta", "ServiceMeta");
    let head = module_doc(&if op.doc.is_empty() {
        format!("`{}`.", op.name)
    } else {
        format!("`{}`: {}", op.name, op.doc)
    });
    let marker = ident(&op.name);
    let marker_doc = format!(" Marker type for the `{}` operation.", op.name);
    let name = &op.name;
    let target = &op.target;
    let idempotent = op.idempotent;
    let input = ident(&op.input.name);
    let output = ident(&op.output.name);
    let error = format_ident!("{}Error", op.name);
    // The operation's entry in `service::OPERATION_METAS` (sorted by name, as the map is).
    let position = space
        .operations
        .keys()
        .position(|name| *name == op.name)
        .unwrap_or_default();
    let position = proc_macro2::Literal::usize_unsuffixed(position);
    let paginated = op.pagination.as_ref().map(|p| {
        imports.add("crate::meta", "Paginated");
        imports.add("crate::meta", "Pagination");
        let (in_wire, in_field) = (&p.input_token.0, ident(&p.input_token.1));
        let (out_wire, out_field) = (&p.output_token.0, ident(&p.output_token.1));
        let (item_ty, items_wire, into_items) = match &p.items {
            Some((wire, field, item)) => {
                let t = ty(item, &module, &mut imports);
                let field = ident(field);
                (
                    t,
                    quote!(Some(#wire)),
                    quote! {
                        fn into_items(output: Self::Output) -> Vec<Self::Item> {
                            output.#field.unwrap_or_default()
                        }
                    },
                )
            }
            None => (
                quote!(()),
                quote!(None),
                quote! {
                    fn into_items(_output: Self::Output) -> Vec<Self::Item> {
                        Vec::new()
                    }
                },
            ),
        };
        let (size_wire, size_fns) = match &p.page_size {
            Some((wire, field, size_ty)) => {
                let field = ident(field);
                let (get, set) = match size_ty {
                    RustType::I32 => (quote!(input.#field), quote!(size)),
                    RustType::I64 => (
                        quote!(input.#field.and_then(|n| i32::try_from(n).ok())),
                        quote!(size.map(i64::from)),
                    ),
                    RustType::I16 => (
                        quote!(input.#field.map(i32::from)),
                        quote!(size.and_then(|n| i16::try_from(n).ok())),
                    ),
                    _ => (
                        quote!(input.#field.map(i32::from)),
                        quote!(size.and_then(|n| i8::try_from(n).ok())),
                    ),
                };
                (
                    quote!(Some(#wire)),
                    quote! {
                        fn page_size(input: &Self::Input) -> Option<i32> {
                            #get
                        }
                        fn set_page_size(input: &mut Self::Input, size: Option<i32>) {
                            input.#field = #set;
                        }
                    },
                )
            }
            None => (
                quote!(None),
                quote! {
                    fn page_size(_input: &Self::Input) -> Option<i32> {
                        None
                    }
                    fn set_page_size(_input: &mut Self::Input, _size: Option<i32>) {}
                },
            ),
        };
        quote! {
            impl Paginated for #marker {
                type Item = #item_ty;
                const PAGINATION: Pagination = Pagination {
                    input_token: #in_wire,
                    output_token: #out_wire,
                    items: #items_wire,
                    page_size: #size_wire,
                };
                fn input_token(input: &Self::Input) -> Option<&str> {
                    input.#in_field.as_deref()
                }
                fn set_input_token(input: &mut Self::Input, token: Option<String>) {
                    input.#in_field = token;
                }
                fn output_token(output: &Self::Output) -> Option<&str> {
                    output.#out_field.as_deref()
                }
                #size_fns
                #into_items
            }
        }
    });
    let unit_output = op.unit_output.then(|| {
        quote!(
            const UNIT_OUTPUT: bool = true;
        )
    });
    let compression = (!op.request_compression.is_empty()).then(|| {
        let encodings = &op.request_compression;
        quote!(const REQUEST_COMPRESSION: &'static [&'static str] = &[#(#encodings),*];)
    });
    let host_prefix = op.host_prefix.as_ref().map(|(prefix, labels)| {
        imports.add("crate::meta", "HostLabelError");
        if !labels.is_empty() {
            imports.add("crate::meta", "host_label");
        }
        let mut format = prefix.clone();
        let mut args = Vec::new();
        for (label, field) in labels {
            let var = format_ident!("label_{}", args.len());
            format = format.replacen(&format!("{{{label}}}"), &format!("{{{var}}}"), 1);
            let field = ident(field);
            args.push(quote!(let #var = host_label(#label, input.#field.as_deref())?;));
        }
        let (input_arg, value) = if labels.is_empty() {
            (quote!(_input), quote!(#prefix.to_owned()))
        } else {
            (quote!(input), quote!(format!(#format)))
        };
        quote! {
            fn host_prefix(#input_arg: &Self::Input) -> Result<Option<String>, HostLabelError> {
                #(#args)*
                Ok(Some(#value))
            }
        }
    });
    let input_struct = structure(&op.input, &mut imports);
    let output_struct = structure(&op.output, &mut imports);
    let error_enum = error_enum(space, op, &mut imports);
    let uses = imports.tokens();
    quote! {
        #head
        #uses

        #[doc = #marker_doc]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct #marker;

        impl Operation for #marker {
            const NAME: &'static str = #name;
            const TARGET: &'static str = #target;
            const IDEMPOTENT: bool = #idempotent;
            const ERRORS: &'static [ErrorMeta] = Self::META.errors;
            const META: &'static OperationMeta = &crate::service::OPERATION_METAS[#position];
            const SERVICE: ServiceMeta = crate::service::SERVICE;
            type Input = #input;
            type Output = #output;
            type Error = #error;
            #unit_output
            #compression
            #host_prefix
        }

        #paginated
        #input_struct
        #output_struct
        #error_enum
    }
}

fn error_enum(space: &TypeSpace, op: &OperationDef, imports: &mut Imports) -> TokenStream {
    let error = format_ident!("{}Error", op.name);
    let enum_doc = format!(
        " Errors of `{}`: each modeled error, or an unhandled one.",
        op.name
    );
    let defs: Vec<_> = op
        .errors
        .iter()
        .filter_map(|e| space.errors.get(e))
        .collect();
    let mut variants = Vec::new();
    let mut display = Vec::new();
    let mut from_code = Vec::new();
    let mut from_body = Vec::new();
    let mut members = Vec::new();
    let mut code = Vec::new();
    let mut message = Vec::new();
    for def in &defs {
        let StructKind::Error(info) = &def.kind else {
            continue;
        };
        imports.add("crate::error", &def.name);
        let v = ident(&def.name);
        let d = doc(if def.doc.is_empty() {
            &def.name
        } else {
            &def.doc
        });
        let wire_code = &info.code;
        variants.push(quote!(#d #v(#v),));
        display.push(quote!(Self::#v(e) => e.fmt(f),));
        from_code.push(quote!(#wire_code => Self::#v(#v::new(message)),));
        from_body.push(quote!(#wire_code => Self::#v(#v::from_body(body, message)),));
        members.push(quote!(Self::#v(e) => serde_json::to_value(e).unwrap_or_default(),));
        code.push(quote!(Self::#v(_) => #v::CODE,));
        message.push(match &info.message_field {
            Some(field) => {
                let field = ident(field);
                quote!(Self::#v(e) => e.#field.as_deref(),)
            }
            None => quote!(Self::#v(_) => None,),
        });
    }
    imports.add("crate::unhandled", "Unhandled");
    let from_code_body = if from_code.is_empty() {
        quote!(Self::Unhandled(Unhandled::new(code, message)))
    } else {
        quote! {
            match code {
                #(#from_code)*
                _ => Self::Unhandled(Unhandled::new(code, message)),
            }
        }
    };
    let (from_body_fn, members_fn) = if from_body.is_empty() {
        (quote!(), quote!())
    } else {
        (
            quote! {
                fn from_body(code: &str, body: &serde_json::Value, message: Option<String>) -> Self {
                    match code {
                        #(#from_body)*
                        _ => Self::Unhandled(Unhandled::new(code, message)),
                    }
                }
            },
            quote! {
                fn members(&self) -> serde_json::Value {
                    match self {
                        #(#members)*
                        Self::Unhandled(e) => match e.message() {
                            Some(message) => serde_json::json!({ "message": message }),
                            None => serde_json::json!({}),
                        },
                    }
                }
            },
        )
    };
    quote! {
        #[doc = #enum_doc]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #error {
            #(#variants)*
            /// An error the model does not list for this operation, read through `code()` and
            /// `message()`: to act on one error, match its code, as a later model may list it.
            Unhandled(Unhandled),
        }

        impl std::fmt::Display for #error {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(#display)*
                    Self::Unhandled(e) => e.fmt(f),
                }
            }
        }

        impl std::error::Error for #error {}

        impl OperationError for #error {
            fn from_code(code: &str, message: Option<String>) -> Self {
                #from_code_body
            }
            #from_body_fn
            #members_fn
            fn code(&self) -> &str {
                match self {
                    #(#code)*
                    Self::Unhandled(e) => e.code(),
                }
            }
            fn message(&self) -> Option<&str> {
                match self {
                    #(#message)*
                    Self::Unhandled(e) => e.message(),
                }
            }
            fn is_modeled(&self) -> bool {
                !matches!(self, Self::Unhandled(_))
            }
        }
    }
}
