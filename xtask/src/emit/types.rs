//! `types.rs`: the structures and enums members refer to.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{adapter, doc, ident, module_doc, ty, Imports};
use super::structure::{structure, value_checks};
use crate::typespace::{EnumDef, Module, TypeSpace, UnionDef};

/// The `types` module.
pub fn types_rs(space: &TypeSpace) -> TokenStream {
    let mut imports = Imports::default();
    let mut items = Vec::new();
    // Structures and enums share one namespace; emit them in name order.
    let mut names: Vec<&String> = space
        .types
        .keys()
        .chain(space.enums.keys())
        .chain(space.unions.keys())
        .collect();
    names.sort();
    for name in names {
        if let Some(def) = space.types.get(name) {
            items.push(structure(def, &mut imports));
        } else if let Some(def) = space.enums.get(name) {
            items.push(if def.int {
                int_enumeration(def, &mut imports)
            } else {
                enumeration(def, &mut imports)
            });
        } else if let Some(def) = space.unions.get(name) {
            items.push(union(def, &mut imports));
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
    let (name, enum_doc, variants) = enum_head(def, imports);
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
    let wire_impls = enum_wire_impls(&name, def.int);
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

        #wire_impls
    }
}

fn int_enumeration(def: &EnumDef, imports: &mut Imports) -> TokenStream {
    let (name, enum_doc, variants) = enum_head(def, imports);
    let ints: Vec<proc_macro2::Literal> = def
        .variants
        .iter()
        .map(|v| proc_macro2::Literal::i32_unsuffixed(v.value.parse().unwrap_or_default()))
        .collect();
    let names: Vec<_> = def.variants.iter().map(|v| ident(&v.name)).collect();
    let texts: Vec<&String> = def.variants.iter().map(|v| &v.value).collect();
    let wire_impls = enum_wire_impls(&name, def.int);
    quote! {
        #enum_doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the model does not list, kept as received.
            Unknown(i32),
        }

        impl #name {
            /// Every value the model lists, in model order.
            pub const VALUES: &'static [i32] = &[#(#ints),*];
            /// The same values as text, for validation messages.
            const VALUE_TEXTS: &'static [&'static str] = &[#(#texts),*];

            /// The value on the wire.
            pub fn value(&self) -> i32 {
                match self {
                    #(Self::#names => #ints,)*
                    Self::Unknown(value) => *value,
                }
            }

            /// Whether the value is one the model lists.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #(#ints => Self::#names,)*
                    other => Self::Unknown(other),
                }
            }
        }

        #wire_impls
    }
}

/// A union: one variant per member plus `Unknown` (a member this model does not know, by
/// name), on the wire a JSON object with exactly one non-null member; `__type` is ignored.
fn union(def: &UnionDef, imports: &mut Imports) -> TokenStream {
    imports.add("crate::validation", "Validate");
    imports.add("crate::validation", "Validator");
    let name = ident(&def.name);
    let label = &def.name;
    let enum_doc = doc(if def.doc.is_empty() {
        &def.name
    } else {
        &def.doc
    });
    let module = Module::Types;
    let mut variants = Vec::new();
    let mut ser = Vec::new();
    let mut de = Vec::new();
    let mut checks = Vec::new();
    for v in &def.variants {
        let vname = ident(&v.name);
        let vdoc = doc(&v.doc);
        let wire = &v.wire;
        let t = ty(&v.value.ty, &module, imports);
        let held = if v.boxed { quote!(Box<#t>) } else { t.clone() };
        variants.push(quote!(#vdoc #vname(#held),));
        match adapter(&v.value, imports) {
            Some(a) => {
                imports.add("crate::format", "SerializeAsWrap");
                imports.add("crate::format", "DeserializeAsWrap");
                ser.push(quote!(Self::#vname(value) => map.serialize_entry(#wire, &SerializeAsWrap::<#t, #a>::new(value))?,));
                de.push(quote!(#wire => {
                    if let Some(value) = map.next_value::<Option<DeserializeAsWrap<#t, #a>>>()? {
                        found.push(#name::#vname(value.into_inner()));
                    }
                }));
            }
            None => {
                ser.push(quote!(Self::#vname(value) => map.serialize_entry(#wire, value)?,));
                de.push(quote!(#wire => {
                    if let Some(value) = map.next_value::<Option<#held>>()? {
                        found.push(#name::#vname(value));
                    }
                }));
            }
        }
        let value = quote::format_ident!("value");
        let inner = value_checks(&v.value, &value, 0, imports);
        if !inner.is_empty() {
            checks.push(quote!(Self::#vname(value) => v.at(#wire, |v| { #(#inner)* }),));
        }
    }
    let validate_body = if checks.is_empty() {
        quote!()
    } else {
        quote! {
            match self {
                #(#checks)*
                _ => {}
            }
        }
    };
    let v_arg = if checks.is_empty() {
        quote!(_v)
    } else {
        quote!(v)
    };
    let one_of = format!("union {label} must set exactly one member");
    let expecting = format!("a {label} union: an object with one member");
    quote! {
        #enum_doc
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A member this version of the model does not know (its name); it cannot be sent.
            Unknown(String),
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::{Error as _, SerializeMap as _};
                let mut map = serializer.serialize_map(Some(1))?;
                match self {
                    #(#ser)*
                    Self::Unknown(member) => {
                        return Err(S::Error::custom(format!(
                            "union {} member {member} is unknown to this model and cannot be sent",
                            #label
                        )))
                    }
                }
                map.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct UnionVisitor;
                impl<'de> serde::de::Visitor<'de> for UnionVisitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        let mut found: Vec<#name> = Vec::new();
                        while let Some(key) = map.next_key::<String>()? {
                            match key.as_str() {
                                #(#de)*
                                _ => {
                                    let value = map.next_value::<serde_json::Value>()?;
                                    if key != "__type" && !value.is_null() {
                                        found.push(#name::Unknown(key));
                                    }
                                }
                            }
                        }
                        let mut found = found.into_iter();
                        match (found.next(), found.next()) {
                            (Some(value), None) => Ok(value),
                            _ => Err(serde::de::Error::custom(#one_of)),
                        }
                    }
                }
                deserializer.deserialize_map(UnionVisitor)
            }
        }

        impl Validate for #name {
            fn validate_into(&self, #v_arg: &mut Validator) {
                #validate_body
            }
        }
    }
}

/// The enum's name, doc and documented variants, shared by string enums and intEnums.
fn enum_head(
    def: &EnumDef,
    imports: &mut Imports,
) -> (proc_macro2::Ident, TokenStream, Vec<TokenStream>) {
    imports.add("crate::validation", "Validate");
    imports.add("crate::validation", "Validator");
    let name = ident(&def.name);
    let enum_doc = doc(if def.doc.is_empty() {
        &def.name
    } else {
        &def.doc
    });
    let variants = def
        .variants
        .iter()
        .map(|v| {
            let vname = ident(&v.name);
            let text = if v.doc.is_empty() {
                format!("`{}`", v.value)
            } else {
                format!("`{}`: {}", v.value, v.doc)
            };
            let vdoc = doc(&text);
            quote!(#vdoc #vname,)
        })
        .collect();
    (name, enum_doc, variants)
}

/// `Display`, serde and `Validate` of an enum, on its wire type (a string, or an intEnum's
/// `i32`); unknown values fail validation, naming the known ones.
fn enum_wire_impls(name: &proc_macro2::Ident, int: bool) -> TokenStream {
    let (display, serialize, wire, check) = if int {
        (
            quote!(write!(f, "{}", self.value())),
            quote!(serializer.serialize_i32(self.value())),
            quote!(i32),
            quote!(v.enum_value(false, &value.to_string(), Self::VALUE_TEXTS);),
        )
    } else {
        (
            quote!(f.write_str(self.as_str())),
            quote!(serializer.serialize_str(self.as_str())),
            quote!(String),
            quote!(v.enum_value(false, value, Self::VALUES);),
        )
    };
    quote! {
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #display
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <#wire as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }

        impl Validate for #name {
            fn validate_into(&self, v: &mut Validator) {
                if let Self::Unknown(value) = self {
                    #check
                }
            }
        }
    }
}
