//! xtask's integration tests, one binary with a module per subject.

mod full_models;
mod model_agrees;
mod snapshots;
mod spec_copy;
mod unsupported;
mod up_to_date;
