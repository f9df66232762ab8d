//! `types.rs`: the structures and enums members refer to.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{doc, ident, module_doc, Imports};
use super::structure::structure;
use crate::typespace::{EnumDef, TypeSpace};

/// The `types` module.
pub fn types_rs(space: &TypeSpace) -> TokenStream {
    let mut imports = Imports::default();
    let mut items = Vec::new();
    // Structures and enums share one namespace; emit them in name order.
    let mut names: Vec<&String> = space.types.keys().chain(space.enums.keys()).collect();
    names.sort();
    for name in names {
        if let Some(def) = space.types.get(name) {
            items.push(structure(def, &mut imports));
        } else if let Some(def) = space.enums.get(name) {
            items.push(enumeration(def, &mut imports));
        }
    }
    let head = module_doc("Structures, enums and their builders and validators.");
    let uses = imports.tokens();
    quote! {
        #head
        #uses
        #(#items)*
    }
}

fn enumeration(def: &EnumDef, imports: &mut Imports) -> TokenStream {
    imports.add("crate::validation", "Validate");
    imports.add("crate::validation", "Validator");
    let name = ident(&def.name);
    let enum_doc = doc(if def.doc.is_empty() {
        &def.name
    } else {
        &def.doc
    });
    let variants = def.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let text = if v.doc.is_empty() {
            format!("`{}`", v.value)
        } else {
            format!("`{}`: {}", v.value, v.doc)
        };
        let vdoc = doc(&text);
        quote!(#vdoc #vname,)
    });
    let values: Vec<&String> = def.variants.iter().map(|v| &v.value).collect();
    let to_str = def.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let value = &v.value;
        quote!(Self::#vname => #value,)
    });
    let from_str: Vec<TokenStream> = def
        .variants
        .iter()
        .map(|v| {
            let vname = ident(&v.name);
            let value = &v.value;
            quote!(#value => Self::#vname,)
        })
        .collect();
    quote! {
        #enum_doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the model does not list, kept as received.
            Unknown(String),
        }

        impl #name {
            /// Every value the model lists, in model order.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::Unknown(value) => value,
                }
            }

            /// Every value the model lists, in model order.
            pub fn values() -> &'static [&'static str] {
                Self::VALUES
            }

            /// Whether the value is one the model lists.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #(#from_str)*
                    _ => Self::Unknown(value),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <String as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }

        impl Validate for #name {
            fn validate_into(&self, v: &mut Validator) {
                if let Self::Unknown(value) = self {
                    v.enum_value(false, value, Self::VALUES);
                }
            }
        }
    }
}
