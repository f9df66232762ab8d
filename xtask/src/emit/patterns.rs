//! `patterns.rs`: one lazily compiled regex per `@pattern`, already translated from ECMA-262.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{doc, ident, module_doc};
use crate::typespace::TypeSpace;

/// The `patterns` module.
pub fn patterns_rs(space: &TypeSpace) -> TokenStream {
    let head = module_doc(
        "`@pattern` regexes, translated from ECMA-262 to the `regex` crate at generation time.",
    );
    if space.patterns.is_empty() {
        return quote!(#head);
    }
    let statics = space.patterns.iter().map(|(name, p)| {
        let name = ident(name);
        let d = doc(&format!(
            "`{}` pattern: `{}`.",
            p.origin,
            p.ecma.replace('`', "'")
        ));
        let regex = &p.regex;
        quote! {
            #d
            pub(crate) static #name: LazyRegex = LazyRegex::new(#regex);
        }
    });
    let names = space.patterns.keys().map(|n| ident(n));
    quote! {
        #head
        use crate::validation::LazyRegex;

        #(#statics)*

        /// Every pattern, so a test can prove each compiles.
        #[cfg(test)]
        pub(crate) static PATTERNS: &[&LazyRegex] = &[#(&#names),*];

        #[cfg(test)]
        mod tests {
            #[test]
            fn every_pattern_compiles() {
                for pattern in super::PATTERNS {
                    assert!(pattern.get().is_some(), "pattern does not compile");
                }
            }
        }
    }
}
