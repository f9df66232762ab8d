//! `crates/mock/src/generated/`: the mock's typed server interface (`Handler`, one method per
//! operation) and `route`, which serves a request by its `X-Amz-Target` through
//! `crate::protocol::serve` (hand-written in the mock, generic over operations).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::common::{doc, ident, module_doc};
use super::render;
use crate::typespace::TypeSpace;
use crate::{CodegenError, Files};

/// Where the files live, relative to the workspace root (the whole directory is generated).
pub const MOCK_GENERATED_DIR: &str = "crates/mock/src/generated";

/// The crate the mock imports the generated model from.
const MODEL_CRATE: &str = "personalize_model";

/// Every file of the mock's `src/generated/`.
pub fn mock_files(space: &TypeSpace) -> Result<Files, CodegenError> {
    let mut files = Files::new();
    let mod_rs = quote! {
        #![doc = " Code generated from the Smithy model: the typed server interface and its routing."]
        pub mod handler;
    };
    files.insert("mod.rs".to_owned(), render("mod.rs", mod_rs)?);
    files.insert(
        "handler.rs".to_owned(),
        render("handler.rs", handler_rs(space))?,
    );
    Ok(files)
}

/// The `handler` module.
fn handler_rs(space: &TypeSpace) -> TokenStream {
    let head = module_doc(
        "The typed server interface of the service and the routing of requests to it by \
         `X-Amz-Target`.",
    );
    let model = ident(MODEL_CRATE);
    let mut uses = Vec::new();
    let mut methods = Vec::new();
    let mut arms = Vec::new();
    for op in space.operations.values() {
        let module = ident(&op.module);
        let marker = ident(&op.name);
        let input = ident(&op.input.name);
        let output = ident(&op.output.name);
        let error = format_ident!("{}Error", op.name);
        uses.push(quote! {
            use #model::operation::#module::{#marker, #error, #input, #output};
        });
        let summary = op.doc.lines().next().unwrap_or_default();
        let method_doc = doc(&if summary.is_empty() {
            format!("`{}`.", op.name)
        } else {
            format!("`{}`: {summary}", op.name)
        });
        let method = ident(&op.module);
        methods.push(quote! {
            #method_doc
            fn #method(
                &self,
                ctx: &Context,
                input: #input,
            ) -> Result<Reply<#output>, #error> {
                self.generic::<#marker>(ctx, input)
            }
        });
        let name = op
            .target
            .strip_prefix(&format!("{}.", space.service.name))
            .unwrap_or(&op.target);
        let name = Literal::byte_string(name.as_bytes());
        arms.push(quote! {
            #name => serve::<#marker>(ctx, request, |ctx, input| handler.#method(ctx, input)),
        });
    }
    let prefix = Literal::byte_string(format!("{}.", space.service.name).as_bytes());
    quote! {
        #head
        use bytes::Bytes;
        use http::Response;
        use #model::Operation;
        #(#uses)*
        use crate::protocol::{serve, Context, ProtocolRequest, Reply};

        /// The typed server interface: one method per operation of the model; each one
        /// defaults to [`Handler::generic`].
        pub trait Handler: Send + Sync {
            /// Serves any operation (the default of every method).
            fn generic<O: Operation>(
                &self,
                ctx: &Context,
                input: O::Input,
            ) -> Result<Reply<O::Output>, O::Error>;

            #(#methods)*
        }

        /// Serves the operation whose `X-Amz-Target` is `target`; `None` when no operation
        /// has it.
        pub fn route<H: Handler>(
            handler: &H,
            ctx: &Context,
            target: &[u8],
            request: &ProtocolRequest<'_>,
        ) -> Option<Response<Bytes>> {
            let operation = target.strip_prefix(#prefix)?;
            let response = match operation {
                #(#arms)*
                _ => return None,
            };
            Some(response)
        }
    }
}
