//! Section 5: time to generate the whole Personalize model. `cargo xtask bench` measures it in
//! its own process (the generator is xtask's code) and passes the figures here, so this crate
//! does not link xtask: xtask starts the benchmark, never the other way round.

use std::str::FromStr;

/// Figures of the codegen section.
#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    /// Median generation time (ms): read the model, build the type space, emit and format.
    pub median_ms: f64,
    /// Files generated.
    pub files: usize,
    /// Bytes generated.
    pub bytes: usize,
}

impl FromStr for Figures {
    type Err = String;

    /// Parses `MEDIAN_MS,FILES,BYTES` (what `cargo xtask bench` passes).
    fn from_str(text: &str) -> Result<Self, String> {
        let parts: Vec<&str> = text.split(',').collect();
        let [median, files, bytes] = parts.as_slice() else {
            return Err(format!("{text:?} is not MEDIAN_MS,FILES,BYTES"));
        };
        let bad = |what: &str| format!("{text:?}: {what} is not a number");
        Ok(Figures {
            median_ms: median.parse().map_err(|_| bad("MEDIAN_MS"))?,
            files: files.parse().map_err(|_| bad("FILES"))?,
            bytes: bytes.parse().map_err(|_| bad("BYTES"))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_parse_from_what_xtask_passes() {
        assert_eq!(
            "412.5,78,1048576".parse::<Figures>(),
            Ok(Figures {
                median_ms: 412.5,
                files: 78,
                bytes: 1_048_576
            })
        );
        assert!("412.5,78".parse::<Figures>().is_err());
        assert!("x,1,2".parse::<Figures>().is_err());
    }
}
