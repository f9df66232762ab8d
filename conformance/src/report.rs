//! Outcomes of cases and the report in table, JSON and JUnit XML form.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

/// How one case went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum Outcome {
    /// Every step answered as recorded.
    Pass,
    /// At least one step answered differently; `diff` says how.
    Fail {
        /// A short description of the differences.
        diff: String,
    },
    /// The case could not be run against this target.
    NotRun {
        /// Why (for example `needs an empty store`).
        reason: String,
    },
    /// The case needs stored state that the target's API cannot make (exact timestamps, a
    /// status other than ACTIVE): not run, counted apart from other not-run cases.
    NotSeedable {
        /// Which values, of which job, the API cannot set.
        reason: String,
    },
    /// The target does not implement the operation (HTML 500, `NotImplemented`-style error).
    NotImplemented {
        /// What the target answered.
        reason: String,
    },
}

impl Outcome {
    /// Short label for tables.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail { .. } => "FAIL",
            Outcome::NotRun { .. } | Outcome::NotSeedable { .. } => "not run",
            Outcome::NotImplemented { .. } => "not implemented",
        }
    }

    /// The diff or reason, empty for a pass.
    pub fn detail(&self) -> &str {
        match self {
            Outcome::Pass => "",
            Outcome::Fail { diff } => diff,
            Outcome::NotRun { reason }
            | Outcome::NotSeedable { reason }
            | Outcome::NotImplemented { reason } => reason,
        }
    }
}

/// One case's row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseReport {
    /// The fixture name (`group/name`).
    pub name: String,
    /// The operation the case is about (its first step's; `None` for a protocol case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The outcome.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// Every case run against one target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suite {
    /// What the fixtures ran against (`built-in mock`, `personalize-client`, a URL).
    pub target: String,
    /// One row per fixture, in fixture order.
    pub cases: Vec<CaseReport>,
}

/// Counts per outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Passed cases.
    pub pass: usize,
    /// Failed cases.
    pub fail: usize,
    /// Cases not run (including the not-seedable ones).
    pub not_run: usize,
    /// Of the cases not run, those needing state the target's API cannot make.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub not_seedable: usize,
    /// Cases the target does not implement.
    pub not_implemented: usize,
}

impl Totals {
    /// Counts one more case.
    pub fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Pass => self.pass += 1,
            Outcome::Fail { .. } => self.fail += 1,
            Outcome::NotRun { .. } => self.not_run += 1,
            Outcome::NotSeedable { .. } => {
                self.not_run += 1;
                self.not_seedable += 1;
            }
            Outcome::NotImplemented { .. } => self.not_implemented += 1,
        }
    }

    /// All cases counted.
    pub fn total(&self) -> usize {
        self.pass + self.fail + self.not_run + self.not_implemented
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Totals {
    /// `N not run`, plus how many of them need state the API cannot make, when any do.
    pub fn not_run_text(&self) -> String {
        if self.not_seedable == 0 {
            format!("{} not run", self.not_run)
        } else {
            format!(
                "{} not run ({} need state a Create cannot make)",
                self.not_run, self.not_seedable
            )
        }
    }
}

/// One row of the coverage matrix: an operation and the counts of its cases per outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixRow {
    /// The operation (`CreateDatasetGroup`), or [`NO_OPERATION`] for protocol cases.
    pub operation: String,
    /// Counts per outcome.
    #[serde(flatten)]
    pub totals: Totals,
}

/// The matrix row of cases whose requests name no operation of the service.
pub const NO_OPERATION: &str = "(no operation: protocol)";

impl Suite {
    /// The coverage matrix: one row per operation of the service (all of them, in name
    /// order, also those without cases), then protocol cases when there are any.
    pub fn matrix(&self) -> Vec<MatrixRow> {
        let mut rows: Vec<MatrixRow> = personalize_model::service::OPERATION_METAS
            .iter()
            .map(|op| MatrixRow {
                operation: op.name.to_owned(),
                totals: Totals::default(),
            })
            .collect();
        let mut protocol = Totals::default();
        for case in &self.cases {
            let row = case
                .operation
                .as_deref()
                .and_then(|name| rows.iter_mut().find(|r| r.operation == name));
            match row {
                Some(row) => row.totals.add(&case.outcome),
                None => protocol.add(&case.outcome),
            }
        }
        if protocol.total() > 0 {
            rows.push(MatrixRow {
                operation: NO_OPERATION.to_owned(),
                totals: protocol,
            });
        }
        rows
    }

    /// The coverage matrix as a text table.
    pub fn matrix_table(&self) -> String {
        let rows = self.matrix();
        let width = rows
            .iter()
            .map(|r| r.operation.len())
            .max()
            .unwrap_or(9)
            .max(9);
        let mut out = format!(
            "{:<width$}  {:>5}  {:>5}  {:>7}  {:>15}\n",
            "operation", "pass", "fail", "not run", "not implemented"
        );
        for row in rows {
            let t = row.totals;
            let _ = writeln!(
                out,
                "{:<width$}  {:>5}  {:>5}  {:>7}  {:>15}",
                row.operation, t.pass, t.fail, t.not_run, t.not_implemented
            );
        }
        out
    }

    /// Counts per outcome in this suite.
    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for case in &self.cases {
            t.add(&case.outcome);
        }
        t
    }
}

/// The whole run: one suite per target.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The suites, in run order.
    pub suites: Vec<Suite>,
}

/// The report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A plain-text table with totals.
    Table,
    /// JSON: suites, cases and totals.
    Json,
    /// JUnit XML, one testsuite per target.
    Junit,
}

impl Report {
    /// Counts over every suite.
    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for case in self.suites.iter().flat_map(|s| &s.cases) {
            t.add(&case.outcome);
        }
        t
    }

    /// Whether any case failed.
    pub fn has_failures(&self) -> bool {
        self.totals().fail > 0
    }

    /// Renders in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Table => self.to_table(),
            Format::Json => self.to_json(),
            Format::Junit => self.to_junit(),
        }
    }

    /// One row per case (result, name, first lines of the diff or reason), then totals.
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        for suite in &self.suites {
            let width = suite
                .cases
                .iter()
                .map(|c| c.name.len())
                .max()
                .unwrap_or(4)
                .max(4);
            let _ = writeln!(out, "== {} ==", suite.target);
            let _ = writeln!(out, "{:<15}  {:<width$}  detail", "result", "case");
            for case in &suite.cases {
                let mut lines = case.outcome.detail().lines();
                let first = lines.next().unwrap_or("");
                let _ = writeln!(
                    out,
                    "{:<15}  {:<width$}  {}",
                    case.outcome.label(),
                    case.name,
                    first
                )
                .map(|_| ());
                if matches!(case.outcome, Outcome::Fail { .. }) {
                    for line in lines.take(MAX_DIFF_LINES) {
                        let _ = writeln!(out, "{:<15}  {:<width$}  {line}", "", "");
                    }
                }
            }
            let t = suite.totals();
            let _ = writeln!(out, "\n-- coverage: {} --", suite.target);
            out.push_str(&suite.matrix_table());
            let _ = writeln!(
                out,
                "{} cases: {} pass, {} fail, {}, {} not implemented\n",
                t.total(),
                t.pass,
                t.fail,
                t.not_run_text(),
                t.not_implemented
            );
        }
        out
    }

    /// The report as pretty JSON, with totals per suite and overall.
    pub fn to_json(&self) -> String {
        let suites: Vec<_> = self
            .suites
            .iter()
            .map(
                |s| serde_json::json!({"target": s.target, "totals": s.totals(), "matrix": s.matrix(), "cases": s.cases}),
            )
            .collect();
        let value = serde_json::json!({"suites": suites, "totals": self.totals()});
        serde_json::to_string_pretty(&value).unwrap_or_default()
    }

    /// JUnit XML: fails as `<failure>`, not-run and not-implemented as `<skipped>`.
    pub fn to_junit(&self) -> String {
        let t = self.totals();
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "<testsuites name=\"personalize-conformance\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">",
            t.total(),
            t.fail,
            t.not_run + t.not_implemented
        );
        for suite in &self.suites {
            let st = suite.totals();
            let _ = writeln!(
                out,
                "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">",
                xml(&suite.target),
                st.total(),
                st.fail,
                st.not_run + st.not_implemented
            );
            out.push_str("    <properties>\n");
            for row in suite.matrix() {
                let t = row.totals;
                let _ = writeln!(
                    out,
                    "      <property name=\"coverage.{}\" value=\"pass={} fail={} not-run={} not-implemented={}\"/>",
                    xml(&row.operation),
                    t.pass,
                    t.fail,
                    t.not_run,
                    t.not_implemented
                );
            }
            out.push_str("    </properties>\n");
            for case in &suite.cases {
                let (group, name) = case.name.rsplit_once('/').unwrap_or(("", &case.name));
                let open = format!(
                    "    <testcase classname=\"{}\" name=\"{}\"",
                    xml(group),
                    xml(name)
                );
                match &case.outcome {
                    Outcome::Pass => {
                        let _ = writeln!(out, "{open}/>");
                    }
                    Outcome::Fail { diff } => {
                        let first = diff.lines().next().unwrap_or("");
                        let _ = writeln!(
                            out,
                            "{open}>\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                            xml(first),
                            xml(diff)
                        );
                    }
                    Outcome::NotRun { reason } | Outcome::NotSeedable { reason } => {
                        let _ = writeln!(
                            out,
                            "{open}>\n      <skipped message=\"not run: {}\"/>\n    </testcase>",
                            xml(reason)
                        );
                    }
                    Outcome::NotImplemented { reason } => {
                        let _ = writeln!(
                            out,
                            "{open}>\n      <skipped message=\"not implemented: {}\"/>\n    </testcase>",
                            xml(reason)
                        );
                    }
                }
            }
            out.push_str("  </testsuite>\n");
        }
        out.push_str("</testsuites>\n");
        out
    }
}

/// Diff lines shown under a failing row of the table.
pub const MAX_DIFF_LINES: usize = 12;

/// Escapes text for XML attributes and content; drops characters XML 1.0 cannot carry.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}
