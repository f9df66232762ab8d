//! Code generated from the Smithy model by `cargo xtask codegen`.

mod fluent;
