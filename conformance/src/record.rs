//! The recording proxy.
use std::net::SocketAddr;
use std::path::Path;

use crate::sign::Signer;

/// The proxy could not run.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct RecordError(String);

/// Serves until interrupted.
pub async fn serve(
    _upstream: &str,
    _listen: SocketAddr,
    _out: &Path,
    _signer: Signer,
) -> Result<(), RecordError> {
    Err(RecordError("not yet".into()))
}
