//! `service.rs`: the service shape's facts.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{doc, module_doc};
use crate::typespace::{ProtocolDef, TypeSpace};

/// The `service` module.
pub fn service_rs(space: &TypeSpace) -> TokenStream {
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
    quote! {
        #head
        use crate::meta::{Protocol, ServiceMeta};

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
    }
}
