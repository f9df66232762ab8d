//! The expected-failure list: one line per case (`client request <id>: reason`); `#` starts a
//! comment. A listed case that passes is reported as a failure, so the list stays true.

use std::collections::BTreeMap;

/// Case name (`client request AwsJson11Enums`) → why it is allowed to fail.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExpectedFailures(BTreeMap<String, String>);

impl ExpectedFailures {
    /// Parses the list; a line without a reason is an error.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut map = BTreeMap::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, reason) = line
                .split_once(':')
                .filter(|(_, r)| !r.trim().is_empty())
                .ok_or_else(|| format!("line {}: `<side> <kind> <id>: reason` wanted", n + 1))?;
            if map
                .insert(name.trim().to_owned(), reason.trim().to_owned())
                .is_some()
            {
                return Err(format!("line {}: {} is listed twice", n + 1, name.trim()));
            }
        }
        Ok(Self(map))
    }

    /// The reason a case may fail, when it is listed.
    pub fn reason(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// Every listed case name.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// How many cases are listed.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_need_a_reason_and_appear_once() {
        let list = ExpectedFailures::parse("# note\nclient request A: not yet\n").unwrap();
        assert_eq!(list.reason("client request A"), Some("not yet"));
        assert!(ExpectedFailures::parse("client request A").is_err());
        assert!(ExpectedFailures::parse("client request A: x\nclient request A: y").is_err());
    }
}
