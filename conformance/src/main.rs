//! personalize-conformance (to be written).
fn main() {}
