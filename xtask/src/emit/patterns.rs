//! `patterns.rs`: one DFA per `@pattern`, translated from ECMA-262 and compiled at generation
//! time, serialized in both byte orders.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::common::{doc, ident, module_doc};
use crate::pattern::DfaKind;
use crate::typespace::TypeSpace;

/// The `patterns` module.
pub fn patterns_rs(space: &TypeSpace) -> TokenStream {
    let head = module_doc(
        "`@pattern` checks: each ECMA-262 pattern translated to the `regex` syntax and compiled \
         to a `regex-automata` DFA (dense, or sparse where that is much smaller) at generation \
         time, serialized for both byte orders; the run time reads it in place on first use and \
         only searches.",
    );
    if space.patterns.is_empty() {
        return quote!(#head);
    }
    // Patterns with the same text (TagKey, TagValue) share one serialized DFA.
    let mut shared: BTreeMap<&str, Ident> = BTreeMap::new();
    let statics = space.patterns.iter().map(|(name, p)| {
        let name_ident = ident(name);
        let d = doc(&format!(
            "`{}` pattern: `{}`.",
            p.origin,
            p.ecma.replace('`', "'")
        ));
        // `LazyDfa::dense` or `LazyDfa::sparse`; the same word names the kind in the docs.
        let kind = match p.dfa.kind {
            DfaKind::Dense => "dense",
            DfaKind::Sparse => "sparse",
        };
        let constructor = ident(kind);
        if let Some(bytes_name) = shared.get(p.ecma.as_str()) {
            return quote! {
                #d
                pub(crate) static #name_ident: LazyDfa = LazyDfa::#constructor(&#bytes_name);
            };
        }
        let bytes_name = ident(&format!("{name}_DFA"));
        shared.insert(&p.ecma, bytes_name.clone());
        let bytes_doc = |order: &str, bytes: &[u8]| {
            doc(&format!(
                "`{name}` as a {kind} DFA ({} bytes, {order}-endian), from the `regex` syntax \
                 `{}`.",
                bytes.len(),
                p.regex.replace('`', "'")
            ))
        };
        let serialized = |bytes: &[u8]| {
            let len = Literal::usize_unsuffixed(bytes.len());
            let lit = Literal::byte_string(bytes);
            quote!(DfaBytes<[u8; #len]> = DfaBytes::new(*#lit))
        };
        let little_doc = bytes_doc("little", &p.dfa.little_endian);
        let big_doc = bytes_doc("big", &p.dfa.big_endian);
        let little = serialized(&p.dfa.little_endian);
        let big = serialized(&p.dfa.big_endian);
        quote! {
            #d
            pub(crate) static #name_ident: LazyDfa = LazyDfa::#constructor(&#bytes_name);
            #little_doc
            #[cfg(target_endian = "little")]
            static #bytes_name: #little;
            #big_doc
            #[cfg(target_endian = "big")]
            static #bytes_name: #big;
        }
    });
    let statics: Vec<TokenStream> = statics.collect();
    let entries = space.patterns.keys().map(|n| {
        let i = ident(n);
        quote!((#n, &#i))
    });
    quote! {
        #head
        use crate::validation::{DfaBytes, LazyDfa};

        #(#statics)*

        /// Every pattern by name, so a test can prove each DFA deserializes.
        #[cfg(test)]
        pub(crate) static PATTERNS: &[(&str, &LazyDfa)] = &[#(#entries),*];

        #[cfg(test)]
        mod tests {
            #[test]
            fn every_pattern_dfa_deserializes() {
                for (name, pattern) in super::PATTERNS {
                    assert!(pattern.get().is_some(), "{name}: {:?}", pattern.error());
                }
            }
        }
    }
}
