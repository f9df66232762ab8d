//! Every awsJson 1.1 case of Smithy's protocol compliance suite, one test per case and side
//! (`client request AwsJson11Enums`), then one summary line:
//!
//! ```text
//! awsJson1_1 client: requests P/57, responses P/62; server: requests P/58, responses P/45; expected failures F
//! ```
//!
//! A case in `expected-failures.txt` passes when it fails and fails when it passes.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use libtest_mimic::{Arguments, Failed, Trial};
use personalize_model::Operation;
use protocol_tests::cases::{discover, Case, Kind, Side};
use protocol_tests::dispatch::{self, Visit};
use protocol_tests::expected::ExpectedFailures;
use protocol_tests::params::Schema;
use protocol_tests::{client, expected_failures_path, model_path, server};
use serde_json::Value;

const SERVICE: &str = "aws.protocoltests.json#JsonProtocol";

struct RunCase<'a> {
    case: &'a Case,
    schema: Schema<'a>,
}

impl Visit for RunCase<'_> {
    type Output = Result<(), String>;
    fn visit<O: Operation>(self) -> Result<(), String> {
        match (self.case.side, self.case.kind) {
            (Side::Client, Kind::Request) => client::request::<O>(self.case, &self.schema, SERVICE),
            (Side::Client, Kind::Response) => {
                client::response::<O>(self.case, &self.schema, SERVICE)
            }
            (Side::Server, Kind::Request) => server::request::<O>(self.case, &self.schema, SERVICE),
            (Side::Server, Kind::Response) => {
                server::response::<O>(self.case, &self.schema, SERVICE)
            }
        }
    }
}

fn run(model: &Value, case: &Case) -> Result<(), String> {
    let schema = Schema::new(model)?;
    dispatch::visit(&case.operation, RunCase { case, schema }).unwrap_or_else(|| {
        Err(format!(
            "no operation {} to run the case on",
            case.operation
        ))
    })
}

/// (side, kind) → (passed, total).
type Tally = BTreeMap<(Side, Kind), (usize, usize)>;

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let model: Value = match std::fs::read_to_string(model_path())
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(m) => m,
        Err(e) => {
            eprintln!("{}: {e}", model_path().display());
            return ExitCode::FAILURE;
        }
    };
    let expected = match std::fs::read_to_string(expected_failures_path())
        .map_err(|e| e.to_string())
        .and_then(|t| ExpectedFailures::parse(&t))
    {
        Ok(list) => list,
        Err(e) => {
            eprintln!("{}: {e}", expected_failures_path().display());
            return ExitCode::FAILURE;
        }
    };
    let cases = match discover(&model, SERVICE) {
        Ok(cases) => cases,
        Err(e) => {
            eprintln!("discovering cases: {e}");
            return ExitCode::FAILURE;
        }
    };
    let names: Vec<String> = cases.iter().map(Case::name).collect();
    let unknown: Vec<&str> = expected
        .names()
        .filter(|n| !names.iter().any(|c| c == n))
        .collect();
    if !unknown.is_empty() {
        eprintln!("expected-failures.txt lists cases the suite does not have: {unknown:?}");
        return ExitCode::FAILURE;
    }
    let tally: Arc<Mutex<Tally>> = Arc::default();
    let model = Arc::new(model);
    let trials: Vec<Trial> = cases
        .into_iter()
        .map(|case| {
            let name = case.name();
            let reason = expected.reason(&name).map(str::to_owned);
            let model = Arc::clone(&model);
            let tally = Arc::clone(&tally);
            Trial::test(name, move || {
                let outcome = run(&model, &case);
                if let Ok(mut t) = tally.lock() {
                    let entry = t.entry((case.side, case.kind)).or_default();
                    entry.0 += usize::from(outcome.is_ok());
                    entry.1 += 1;
                }
                match (outcome, reason) {
                    (Ok(()), None) | (Err(_), Some(_)) => Ok(()),
                    (Err(e), None) => Err(Failed::from(e)),
                    (Ok(()), Some(reason)) => Err(Failed::from(format!(
                        "passes, but expected-failures.txt lists it ({reason}): take it off the list"
                    ))),
                }
            })
        })
        .collect();
    let filtered = args.filter.is_some() || !args.skip.is_empty();
    let conclusion = libtest_mimic::run(&args, trials);
    if !filtered {
        let t = tally.lock().map(|t| t.clone()).unwrap_or_default();
        let get = |side, kind| t.get(&(side, kind)).copied().unwrap_or_default();
        let (cq, cr) = (
            get(Side::Client, Kind::Request),
            get(Side::Client, Kind::Response),
        );
        let (sq, sr) = (
            get(Side::Server, Kind::Request),
            get(Side::Server, Kind::Response),
        );
        println!(
            "awsJson1_1 client: requests {}/{}, responses {}/{}; server: requests {}/{}, responses {}/{}; expected failures {}",
            cq.0, cq.1, cr.0, cr.1, sq.0, sq.1, sr.0, sr.1, expected.len()
        );
    }
    conclusion.exit_code()
}
