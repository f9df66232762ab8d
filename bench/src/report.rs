//! The result table (Markdown), one row per figure.

use std::fmt::Write;

/// One row of the table.
#[derive(Clone, Debug, Default)]
pub struct Row {
    /// Section number and figure, such as `1. mock vs bare, 64 connections`.
    pub figure: String,
    /// Our value.
    pub ours: String,
    /// The value compared against (bare server, SDK), if any.
    pub reference: String,
    /// ours / reference.
    pub ratio: String,
    /// The goal.
    pub goal: String,
    /// `met`, `MISSED`, or empty for figures without a goal.
    pub verdict: String,
}

impl Row {
    /// A row without comparison.
    pub fn plain(figure: impl Into<String>, ours: impl Into<String>) -> Row {
        Row {
            figure: figure.into(),
            ours: ours.into(),
            ..Row::default()
        }
    }

    /// A row whose section failed.
    pub fn failed(figure: impl Into<String>, reason: &str) -> Row {
        Row::plain(figure, format!("failed: {reason}"))
    }

    /// Sets the goal and whether it was met.
    pub fn goal(mut self, goal: impl Into<String>, met: bool) -> Row {
        self.goal = goal.into();
        self.verdict = if met { "met" } else { "MISSED" }.to_owned();
        self
    }

    /// Sets the reference value and the ratio.
    pub fn versus(mut self, reference: impl Into<String>, ratio: f64) -> Row {
        self.reference = reference.into();
        self.ratio = format!("{ratio:.2}");
        self
    }
}

/// The rows as a Markdown table.
pub fn markdown(rows: &[Row]) -> String {
    let mut out = String::new();
    out.push_str("| figure | ours | reference | ratio | goal | |\n");
    out.push_str("| --- | ---: | ---: | ---: | --- | --- |\n");
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            r.figure,
            r.ours.replace('|', "\\|"),
            r.reference,
            r.ratio,
            r.goal,
            r.verdict
        );
    }
    out
}

/// Microseconds, printed with a sensible unit.
pub fn micros(us: f64) -> String {
    if us >= 10_000.0 {
        format!("{:.1} ms", us / 1e3)
    } else {
        format!("{us:.0} µs")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_rows_and_verdicts() {
        let rows = [
            Row::plain("a", "1 µs"),
            Row::plain("b", "2").versus("4", 0.5).goal("≤ 0.5", true),
        ];
        let table = markdown(&rows);
        assert!(table.contains("| a | 1 µs |  |  |  |  |"), "{table}");
        assert!(
            table.contains("| b | 2 | 4 | 0.50 | ≤ 0.5 | met |"),
            "{table}"
        );
        assert_eq!(micros(12_345.0), "12.3 ms");
        assert_eq!(micros(99.4), "99 µs");
    }
}
