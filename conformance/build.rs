//! Rebuilds the tests when fixtures are added or removed, so `#[files]` sees every fixture.
fn main() {
    println!("cargo:rerun-if-changed=fixtures");
}
