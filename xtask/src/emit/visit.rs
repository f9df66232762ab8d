//! `visit.rs`: the `for_each_operation!` macro, which hands every operation's name and marker
//! type to a caller's macro, so code that must be instantiated once per operation (a dispatch
//! table from operation name to a generic function) is built from the model, never by hand.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{ident, module_doc};
use crate::typespace::TypeSpace;

/// The `visit` module.
pub fn visit_rs(space: &TypeSpace) -> TokenStream {
    let head = module_doc("`for_each_operation!`: every operation of the service, for macros.");
    let entries = space.operations.values().map(|op| {
        let name = ident(&op.name);
        let module = ident(&op.module);
        quote!(#name(#module))
    });
    quote! {
        #head

        /// Calls `$callback! { Name(module), ... }` with every operation of the service, sorted
        /// by name (`CreateBatchInferenceJob(create_batch_inference_job)`): the marker type is
        /// `operation::<module>::<Name>`, and the module name is also the SDKs' method name.
        #[macro_export]
        macro_rules! for_each_operation {
            ($callback:ident) => {
                $callback! { #(#entries),* }
            };
        }
    }
}
