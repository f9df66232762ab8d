//! Translation of Smithy `@pattern` values (ECMA-262 regular expressions) to the `regex`
//! syntax, and compilation of the translation to a DFA shipped in the generated crate.
//!
//! The differences that matter: ECMA `\d`, `\w`, `\s` and `\b` are ASCII (the `regex` crate's
//! are Unicode), ECMA `.` excludes `\n`, `\r`, U+2028 and U+2029, `[` `&` `~` are literal
//! inside an ECMA class but not in `regex`, and `\uXXXX` is written `\x{XXXX}`. Lookaround and
//! backreferences have no `regex` equivalent and are refused.
//!
//! [`compile_dfa`] turns a translation into a `regex-automata` dense DFA, serialized in both
//! byte orders; the generated crate deserializes it at run time (zero-copy) and searches with
//! `regex-automata`'s search half only, so it needs neither `regex` nor `regex-syntax`.

/// ECMA `\s`: WhiteSpace and LineTerminator code points.
const ECMA_SPACE: &str =
    r"\t\n\x0B\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}";

/// Translates an ECMA-262 pattern; the error says why it cannot be.
pub fn translate(ecma: &str) -> Result<String, String> {
    let chars: Vec<char> = ecma.chars().collect();
    let mut out = String::with_capacity(ecma.len() + 8);
    let mut i = 0;
    let mut in_class = false;
    let mut class_start = false;
    while i < chars.len() {
        let c = chars[i];
        let at_class_start = std::mem::take(&mut class_start);
        match c {
            '\\' => {
                let Some(&next) = chars.get(i + 1) else {
                    return Err("pattern ends with a lone backslash".to_owned());
                };
                i += 2;
                match next {
                    'd' => out.push_str(if in_class { "0-9" } else { "[0-9]" }),
                    'D' if !in_class => out.push_str("[^0-9]"),
                    'w' => out.push_str(if in_class {
                        "A-Za-z0-9_"
                    } else {
                        "[A-Za-z0-9_]"
                    }),
                    'W' if !in_class => out.push_str("[^A-Za-z0-9_]"),
                    's' => {
                        if in_class {
                            out.push_str(ECMA_SPACE);
                        } else {
                            out.push('[');
                            out.push_str(ECMA_SPACE);
                            out.push(']');
                        }
                    }
                    'S' if !in_class => {
                        out.push_str("[^");
                        out.push_str(ECMA_SPACE);
                        out.push(']');
                    }
                    'D' | 'W' | 'S' => {
                        return Err(format!(
                            "negated class escape \\{next} inside a character class"
                        ))
                    }
                    'b' if in_class => out.push_str(r"\x08"),
                    'b' | 'B' => {
                        return Err(format!(
                        "word boundary \\{next} (ECMA's is ASCII-only; no exact regex equivalent)"
                    ))
                    }
                    '1'..='9' => return Err(format!("backreference \\{next}")),
                    'k' => return Err("named backreference \\k<...>".to_owned()),
                    '0' => out.push_str(r"\x00"),
                    'c' => return Err("control escape \\c".to_owned()),
                    'u' => {
                        let (code, used) = unicode_escape(&chars[i..])?;
                        i += used;
                        out.push_str(&format!("\\x{{{code:X}}}"));
                    }
                    'x' => {
                        let hex: String = chars.get(i..i + 2).unwrap_or(&[]).iter().collect();
                        if hex.len() != 2 || !hex.chars().all(|h| h.is_ascii_hexdigit()) {
                            return Err("\\x must be followed by two hex digits".to_owned());
                        }
                        i += 2;
                        out.push_str(&format!("\\x{hex}"));
                    }
                    'p' | 'P' => {
                        let rest: String = chars[i..].iter().collect();
                        let Some(end) = rest.find('}').filter(|_| rest.starts_with('{')) else {
                            return Err(format!("\\{next} must be followed by {{Property}}"));
                        };
                        let name = &rest[1..end];
                        i += name.chars().count() + 2;
                        out.push_str(&format!("\\{next}{{{name}}}"));
                    }
                    't' | 'n' | 'r' | 'f' | 'v' => {
                        out.push_str(match next {
                            't' => r"\t",
                            'n' => r"\n",
                            'r' => r"\r",
                            'f' => r"\f",
                            _ => r"\x0B",
                        });
                    }
                    '/' => out.push('/'),
                    c if c.is_ascii_punctuation() => {
                        out.push('\\');
                        out.push(c);
                    }
                    c => return Err(format!("unknown escape \\{c}")),
                }
                continue;
            }
            '[' if in_class => out.push_str(r"\["),
            '[' => {
                in_class = true;
                class_start = true;
                out.push('[');
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
            }
            ']' if in_class && at_class_start => {
                // ECMA `[]` matches nothing and `[^]` anything.
                in_class = false;
                if out.ends_with("[^") {
                    out.truncate(out.len() - 2);
                    out.push_str(r"[\s\S]");
                } else {
                    out.truncate(out.len() - 1);
                    out.push_str(r"[^\s\S]");
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            '-' if in_class && chars.get(i + 1) == Some(&'-') => {
                return Err("`--` inside a character class".to_owned())
            }
            '.' if !in_class => out.push_str("[^\\n\\r\\x{2028}\\x{2029}]"),
            '(' if !in_class && chars.get(i + 1) == Some(&'?') => {
                let look: String = chars[i + 1..chars.len().min(i + 4)].iter().collect();
                if look.starts_with("?=")
                    || look.starts_with("?!")
                    || look.starts_with("?<=")
                    || look.starts_with("?<!")
                {
                    return Err(format!("lookaround ({look}...)"));
                }
                out.push('(');
            }
            c => out.push(c),
        }
        i += 1;
    }
    if in_class {
        return Err("unterminated character class".to_owned());
    }
    Ok(out)
}

/// Which `regex-automata` DFA representation a pattern is shipped as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DfaKind {
    /// `dfa::dense::DFA`: a full transition table, the fastest to search.
    Dense,
    /// `dfa::sparse::DFA`: transitions as byte ranges, much smaller for Unicode classes.
    Sparse,
}

/// A dense table above this size is replaced by a sparse DFA when that is [`SPARSE_GAIN`]
/// times smaller (`[\p{L}\p{Z}\p{N}]*`: 171 KiB dense, 11 KiB sparse).
pub const DENSE_LIMIT: usize = 64 * 1024;

/// How many times smaller a sparse DFA must be to replace a dense table over [`DENSE_LIMIT`].
pub const SPARSE_GAIN: usize = 4;

/// A pattern compiled to a DFA, serialized for `regex-automata`'s `from_bytes`.
#[derive(Clone, Debug, PartialEq)]
pub struct SerializedDfa {
    /// Dense or sparse.
    pub kind: DfaKind,
    /// The DFA for little-endian targets.
    pub little_endian: Vec<u8>,
    /// The same DFA for big-endian targets.
    pub big_endian: Vec<u8>,
}

/// Compiles a translated pattern (the `regex` syntax [`translate`] returns) to a minimized
/// DFA over UTF-8 with `is_match` semantics: a match anywhere in the value, `^` and `$`
/// anchoring to its ends, as Smithy `@pattern` does (patterns are not implicitly anchored).
///
/// A pattern that can only match at the start (`^...`) gets an anchored-only DFA, so a search
/// stops at the first byte that cannot continue a match; the run time searches a DFA anchored
/// exactly when its start kind is anchored-only (`StartKind::Anchored`). The DFA is dense
/// unless the dense table is large and the sparse form much smaller ([`DENSE_LIMIT`]).
pub fn compile_dfa(translated: &str) -> Result<SerializedDfa, String> {
    use regex_automata::dfa::{dense, Automaton, StartKind};
    let build = |start: StartKind| {
        dense::Builder::new()
            .configure(dense::DFA::config().start_kind(start).minimize(true))
            .build(translated)
            .map_err(|e| format!("the translation `{translated}` does not compile to a DFA: {e}"))
    };
    let mut dfa = build(StartKind::Unanchored)?;
    if dfa.is_always_start_anchored() {
        dfa = build(StartKind::Anchored)?;
    }
    let (little, pad) = dfa.to_bytes_little_endian();
    let little_endian = little[pad..].to_vec();
    if little_endian.len() > DENSE_LIMIT {
        let sparse = dfa
            .to_sparse()
            .map_err(|e| format!("the DFA of `{translated}` has no sparse form: {e}"))?;
        let sparse_little = sparse.to_bytes_little_endian();
        if sparse_little.len() * SPARSE_GAIN <= little_endian.len() {
            return Ok(SerializedDfa {
                kind: DfaKind::Sparse,
                little_endian: sparse_little,
                big_endian: sparse.to_bytes_big_endian(),
            });
        }
    }
    let (big, pad) = dfa.to_bytes_big_endian();
    Ok(SerializedDfa {
        kind: DfaKind::Dense,
        little_endian,
        big_endian: big[pad..].to_vec(),
    })
}

/// The lengths an ASCII-only pattern accepts: `^\p{ASCII}{min,max}$` (also `*`, `+`, `{n}`,
/// `{min,}`), with `max: None` for no upper bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AsciiRun {
    /// Fewest characters.
    pub min: usize,
    /// Most characters, if bounded.
    pub max: Option<usize>,
}

/// Recognizes an anchored pattern that only says "between `min` and `max` ASCII characters"
/// (`^\p{ASCII}{0,1500}$` for `NextToken`), which needs no regex at run time.
pub fn ascii_run(ecma: &str) -> Option<AsciiRun> {
    let body = ecma.strip_prefix(r"^\p{ASCII}")?.strip_suffix('$')?;
    let (min, max) = match body {
        "*" => (0, None),
        "+" => (1, None),
        _ => {
            let inner = body.strip_prefix('{')?.strip_suffix('}')?;
            let number = |t: &str| -> Option<usize> {
                (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| t.parse().ok())
                    .flatten()
            };
            match inner.split_once(',') {
                None => {
                    let n = number(inner)?;
                    (n, Some(n))
                }
                Some((min, "")) => (number(min)?, None),
                Some((min, max)) => (number(min)?, Some(number(max)?)),
            }
        }
    };
    if max.is_some_and(|max| max < min) {
        return None;
    }
    Some(AsciiRun { min, max })
}

/// A byte check that implies the pattern matches, for `@pattern` checks to run before the
/// regex (which then only runs, to report the violation, when the check fails).
///
/// For an ASCII string, bytes, UTF-16 code units (ECMA's `{min,max}`) and code points (the
/// `regex` crate's, and Smithy `@length`'s) are the same count, so `len()` in bytes bounds
/// the characters exactly; a string that is not ASCII fails the check and goes to the regex.
pub fn ascii_prefilter(ecma: &str, value: &proc_macro2::Ident) -> Option<proc_macro2::TokenStream> {
    let AsciiRun { min, max } = ascii_run(ecma)?;
    let mut check = quote::quote!(#value.is_ascii());
    if let Some(max) = max {
        let max = proc_macro2::Literal::usize_unsuffixed(max);
        check = quote::quote!(#value.len() <= #max && #check);
    }
    if min > 0 {
        let min = proc_macro2::Literal::usize_unsuffixed(min);
        check = quote::quote!(#value.len() >= #min && #check);
    }
    Some(check)
}

/// Reads `XXXX` or `{X...}` after `\u`, returning the code point and characters used.
fn unicode_escape(rest: &[char]) -> Result<(u32, usize), String> {
    let text: String = rest.iter().take(10).collect();
    let (hex, used) = if let Some(body) = text.strip_prefix('{') {
        let end = body.find('}').ok_or("\\u{ without closing }")?;
        (body[..end].to_owned(), end + 2)
    } else {
        (text.chars().take(4).collect::<String>(), 4)
    };
    let code = u32::from_str_radix(&hex, 16).map_err(|_| format!("bad \\u escape `{hex}`"))?;
    if (0xD800..0xE000).contains(&code) {
        return Err(format!(
            "\\u{code:X} is a surrogate (surrogate pairs are unsupported)"
        ));
    }
    Ok((code, used))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(ecma: &str, text: &str) -> bool {
        regex::Regex::new(&translate(ecma).unwrap())
            .unwrap()
            .is_match(text)
    }

    #[test]
    fn digits_are_ascii_only() {
        assert!(matches(r"^\d+$", "0123"));
        assert!(!matches(r"^\d+$", "٣"));
        assert!(matches(r"^[a-z\d-]+$", "a-1"));
    }

    #[test]
    fn dot_excludes_line_terminators() {
        assert!(matches("^.+$", "abc"));
        for bad in ["a\nb", "a\rb", "a\u{2028}b", "a\u{2029}b"] {
            assert!(!matches("^.+$", bad), "{bad:?}");
        }
        assert!(matches("^[.]$", "."));
        assert!(!matches("^[.]$", "x"));
    }

    #[test]
    fn properties_and_escapes() {
        assert!(matches(r"^\p{ASCII}{0,3}$", "abc"));
        assert!(!matches(r"^\p{ASCII}{0,3}$", "é"));
        assert!(matches(r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$", "Zoë 3/4"));
        assert!(matches(r"^a\u00e9$", "aé"));
        assert!(matches(r"^rate\(\d+ days?\)$", "rate(3 days)"));
        assert!(matches(r"^a\/b$", "a/b"));
        assert!(matches(r"^[[]$", "["));
        assert!(matches(r"^[a&&b]$", "&"));
    }

    #[test]
    fn ascii_runs_are_recognized() {
        let run = |min, max| Some(AsciiRun { min, max });
        assert_eq!(ascii_run(r"^\p{ASCII}{0,1500}$"), run(0, Some(1500)));
        assert_eq!(ascii_run(r"^\p{ASCII}{2,5}$"), run(2, Some(5)));
        assert_eq!(ascii_run(r"^\p{ASCII}{3}$"), run(3, Some(3)));
        assert_eq!(ascii_run(r"^\p{ASCII}{3,}$"), run(3, None));
        assert_eq!(ascii_run(r"^\p{ASCII}*$"), run(0, None));
        assert_eq!(ascii_run(r"^\p{ASCII}+$"), run(1, None));
        for other in [
            r"\p{ASCII}{0,5}$",
            r"^\p{ASCII}{0,5}",
            r"^\p{ASCII}{0,5}?$",
            r"^\p{ASCII}{5,2}$",
            r"^\p{ASCII}{,5}$",
            r"^\p{ASCII}{0,5}a$",
            r"^[\p{ASCII}]{0,5}$",
            r"^\P{ASCII}{0,5}$",
            r"^\p{L}{0,5}$",
        ] {
            assert_eq!(ascii_run(other), None, "{other}");
        }
    }

    /// Where the byte check passes, the regex matches too (the check is only a shortcut).
    #[test]
    fn the_byte_check_implies_the_regex() {
        for ecma in [
            r"^\p{ASCII}{0,3}$",
            r"^\p{ASCII}{2,3}$",
            r"^\p{ASCII}{2}$",
            r"^\p{ASCII}{1,}$",
            r"^\p{ASCII}*$",
            r"^\p{ASCII}+$",
        ] {
            let AsciiRun { min, max } = ascii_run(ecma).unwrap();
            let re = regex::Regex::new(&translate(ecma).unwrap()).unwrap();
            for text in [
                "",
                "a",
                "ab",
                "abc",
                "abcd",
                "\u{0}\u{7f}",
                "é",
                "aé",
                "\u{80}",
                "😀",
            ] {
                let check =
                    text.len() >= min && max.is_none_or(|max| text.len() <= max) && text.is_ascii();
                if check {
                    assert!(re.is_match(text), "{ecma} {text:?}");
                }
                if text.is_ascii() {
                    assert_eq!(check, re.is_match(text), "{ecma} {text:?}");
                }
            }
        }
        let value = proc_macro2::Ident::new("value", proc_macro2::Span::call_site());
        assert_eq!(
            ascii_prefilter(r"^\p{ASCII}{0,1500}$", &value)
                .unwrap()
                .to_string(),
            "value . len () <= 1500 && value . is_ascii ()"
        );
        assert_eq!(
            ascii_prefilter("^[a-z]+$", &value).map(|t| t.to_string()),
            None
        );
    }

    #[test]
    fn refuses_what_regex_cannot_do() {
        for (pattern, why) in [
            ("^(?=a)a$", "lookaround"),
            ("^(?!a).$", "lookaround"),
            ("(?<=a)b", "lookaround"),
            (r"^(a)\1$", "backreference"),
            (r"\bword", "word boundary"),
            ("[abc", "unterminated"),
            (r"a\", "backslash"),
        ] {
            let err = translate(pattern).unwrap_err();
            assert!(err.contains(why), "{pattern}: {err}");
        }
    }

    /// The shipped bytes for this target's byte order, copied to a 4-byte boundary.
    struct Aligned {
        buf: Vec<u8>,
        start: usize,
        len: usize,
    }

    impl Aligned {
        fn new(bytes: &[u8]) -> Aligned {
            let mut buf = vec![0; bytes.len() + 3];
            let start = buf.as_ptr().align_offset(4);
            buf[start..start + bytes.len()].copy_from_slice(bytes);
            Aligned {
                buf,
                start,
                len: bytes.len(),
            }
        }

        fn bytes(&self) -> &[u8] {
            &self.buf[self.start..self.start + self.len]
        }
    }

    /// A pattern as the generated crate checks it (the run time's `PatternDfa` reading the
    /// shipped bytes) next to `regex::Regex` on the same translation.
    struct Both {
        ecma: String,
        dfa: SerializedDfa,
        shipped: Aligned,
        regex: regex::Regex,
    }

    impl Both {
        fn new(ecma: &str) -> Both {
            let translated = translate(ecma).unwrap();
            let dfa = compile_dfa(&translated).unwrap();
            assert_eq!(dfa.little_endian.len(), dfa.big_endian.len(), "{ecma}");
            let native = if cfg!(target_endian = "little") {
                &dfa.little_endian
            } else {
                &dfa.big_endian
            };
            let shipped = Aligned::new(native);
            Both {
                ecma: ecma.to_owned(),
                regex: regex::Regex::new(&translated).unwrap(),
                dfa,
                shipped,
            }
        }

        fn pattern_dfa(&self) -> personalize_model::validation::PatternDfa<'_> {
            use personalize_model::validation::PatternDfa;
            match self.dfa.kind {
                DfaKind::Dense => PatternDfa::from_dense_bytes(self.shipped.bytes()),
                DfaKind::Sparse => PatternDfa::from_sparse_bytes(self.shipped.bytes()),
            }
            .unwrap()
        }

        /// The DFA's answer, after checking it is the regex's.
        fn agree(&self, text: &str) -> bool {
            let expected = self.regex.is_match(text);
            let dfa = self.pattern_dfa();
            assert_eq!(
                dfa.is_match(text),
                Some(expected),
                "{} on {text:?}",
                self.ecma
            );
            expected
        }
    }

    /// Every distinct `@pattern` of the official models and the kitchen-sink fixture.
    fn model_patterns() -> Vec<String> {
        fn walk(value: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
            match value {
                serde_json::Value::Object(map) => {
                    for (key, value) in map {
                        match (key.as_str(), value.as_str()) {
                            ("smithy.api#pattern", Some(p)) => {
                                out.insert(p.to_owned());
                            }
                            _ => walk(value, out),
                        }
                    }
                }
                serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
        let root = crate::workspace_root();
        let mut out = std::collections::BTreeSet::new();
        for file in [
            "spec/models/personalize-2018-05-22.json",
            "spec/models/personalize-runtime-2018-05-22.json",
            "xtask/tests/fixtures/kitchen_sink.json",
        ] {
            let text = std::fs::read_to_string(root.join(file)).unwrap();
            walk(&serde_json::from_str(&text).unwrap(), &mut out);
        }
        out.into_iter().collect()
    }

    /// Unanchored and unusual patterns the models lack, so every DFA start kind is exercised.
    const EXTRA_PATTERNS: &[&str] = &[
        "arn:",
        "key/$",
        r"[0-9]{12}",
        r"\s",
        r"^\S+$",
        ".",
        "^.*$",
        "[^]",
        "^[]$",
        "^$",
        r"\u2028",
        r"^[\p{L}]+$",
        r"(a|b)c*$",
        "^(?:ab)+",
    ];

    /// The model's patterns and [`EXTRA_PATTERNS`].
    fn all_patterns() -> Vec<String> {
        let mut patterns = model_patterns();
        patterns.extend(EXTRA_PATTERNS.iter().map(|p| (*p).to_owned()));
        patterns
    }

    /// Values around the model's patterns: valid, nearly valid, empty, non-ASCII, line
    /// terminators (ECMA's `.` excludes `\n \r U+2028 U+2029`), long.
    fn corpus() -> Vec<String> {
        let base = [
            "",
            "a",
            "A",
            "_",
            "0",
            "ab",
            "abc",
            "ABC",
            "AB",
            "ABCD",
            "abc_1",
            "1abc",
            "_abc",
            "a-b",
            "arn:",
            "arn:aws:personalize:us-east-1:123456789012:solution/segments-7/00000007",
            "arn:aws:personalize:::x",
            "arn:aws:personalize:::",
            "arn::personalize:a:b:c",
            "arn:AWS:personalize:a:b:c",
            "arn:aws-cn:personalize:cn-north-1:123456789012:x",
            "arn:aws:personalize:us-east-1:123456789012:x\ny",
            "arn:aws:personalize:us-east-1:123456789012:\u{2028}",
            "arn:aws:personalize:us-east-1:123456789012:é",
            "xarn:aws:personalize:a:b:c",
            "arn:aws:kms:us-east-1:123456789012:key/abc",
            "arn:aws:kms:us-east-1:12345678901:key/abc",
            "arn:aws-us-gov:kms::123456789012:key/",
            "arn:aws:iam::123456789012:role/MyRole",
            "arn:aws:iam::123456789012:roleMyRole",
            "arn:aws:iam::123456789012:role/",
            "arn:aws:iam::123456789012:role/a+b=c,d.e@f-g_h/i",
            "arn:aws:iam::12345678901x:role/a",
            "s3://bucket/key",
            "https://example.com",
            "http://",
            "ftp://x",
            "s3://a\rb",
            "rate(3 days)",
            "rate(1 day)",
            "rate(10 days)",
            "rate( days)",
            "rate(3 days) ",
            "rate(٣ days)",
            "Zoë 3/4",
            "tag:key=value+x-y@z_w.v",
            "tag!",
            "日本語",
            "\u{a0}nbsp",
            "\u{3000}ideographic",
            "٣",
            "😀",
            "a😀",
            "\u{feff}",
            "\t",
            "\n",
            "\r",
            "\r\n",
            "\u{2028}",
            "\u{2029}",
            "a\u{2028}",
            "\u{85}",
            "a\nb",
            "\0",
            "\u{7f}",
            "\u{80}",
            "key/",
            "mykey/",
            "ac",
            "bccc",
            "abab",
        ];
        let mut out = Vec::new();
        for s in base {
            out.push(s.to_owned());
            out.push(format!("x{s}"));
            out.push(format!("{s}x"));
            out.push(format!("{s}\n"));
            out.push(format!("\u{2028}{s}"));
            out.push(format!("{s}é"));
        }
        out.push("a".repeat(1500));
        out.push("a".repeat(1501));
        out.push("é".repeat(1500));
        out.push(format!(
            "arn:aws:personalize:us-east-1:123456789012:{}",
            "s".repeat(5000)
        ));
        out.push("日本".repeat(3000));
        out
    }

    #[test]
    fn dfas_agree_with_regex_on_a_table_of_values() {
        let patterns = all_patterns();
        assert!(patterns.len() >= 14 + EXTRA_PATTERNS.len(), "{patterns:?}");
        let corpus = corpus();
        for ecma in patterns.iter().map(String::as_str) {
            let both = Both::new(ecma);
            let matched = corpus.iter().filter(|t| both.agree(t)).count();
            // Each pattern is seen both matching and not (except the two that never/always match).
            if !["^[]$", "[^]"].contains(&ecma) {
                assert!(matched > 0 && matched < corpus.len(), "{ecma}: {matched}");
            }
        }
    }

    #[test]
    fn anchored_patterns_ship_anchored_only_dfas() {
        use regex_automata::dfa::{dense, sparse, StartKind};
        for (ecma, anchored) in [("^a+$", true), ("a+$", false), ("^a|b", false)] {
            let both = Both::new(ecma);
            let bytes = both.shipped.bytes();
            let start = match both.dfa.kind {
                DfaKind::Dense => dense::DFA::from_bytes(bytes).unwrap().0.start_kind(),
                DfaKind::Sparse => sparse::DFA::from_bytes(bytes).unwrap().0.start_kind(),
            };
            let expected = if anchored {
                StartKind::Anchored
            } else {
                StartKind::Unanchored
            };
            assert_eq!(start, expected, "{ecma}");
            assert!(both.agree("xb") || !ecma.contains('b'));
        }
    }

    #[test]
    fn large_unicode_dfas_are_sparse() {
        let tag = Both::new(r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$");
        assert_eq!(tag.dfa.kind, DfaKind::Sparse);
        assert!(tag.dfa.little_endian.len() < DENSE_LIMIT);
        let arn = Both::new(r"^arn:([a-z\d-]+):personalize:.*:.*:.+$");
        assert_eq!(arn.dfa.kind, DfaKind::Dense);
        assert!(tag.agree("Zoë 3/4") && !tag.agree("Zoë!"));
    }

    /// Characters the patterns care about, and some they do not.
    const POOL: &[char] = &[
        'a', 'z', 'A', 'Z', '0', '9', '_', '-', '.', ':', '/', '=', '+', '@', ',', '(', ')', ' ',
        '!', 'é', 'ß', '日', '٣', '😀', '\u{a0}', '\u{3000}', '\u{2028}', '\u{2029}', '\n', '\r',
        '\t', '\u{85}', '\u{feff}', '\0',
    ];

    fn pooled() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        proptest::collection::vec(proptest::sample::select(POOL), 0..40)
            .prop_map(|chars| chars.into_iter().collect())
    }

    /// Strings the pattern (anchors stripped) generates, so matches are common too; `None`
    /// for an empty class (ECMA `[]`), which proptest cannot generate from.
    fn generated(translated: &str) -> Option<proptest::string::RegexGeneratorStrategy<String>> {
        if translated.contains(r"[^\s\S]") {
            return None;
        }
        let body = translated.strip_prefix('^').unwrap_or(translated);
        let body = match body.strip_suffix('$') {
            Some(b) if !b.ends_with('\\') => b,
            _ => body,
        };
        proptest::string::string_regex(body).ok()
    }

    #[test]
    fn dfas_agree_with_regex_on_random_values() {
        use proptest::test_runner::{Config, TestRunner};
        for ecma in all_patterns().iter().map(String::as_str) {
            let both = Both::new(ecma);
            let mut runner = TestRunner::new(Config {
                cases: 256,
                failure_persistence: None,
                ..Config::default()
            });
            runner
                .run(&pooled(), |text| {
                    both.agree(&text);
                    Ok(())
                })
                .unwrap();
            let Some(strategy) = generated(&translate(ecma).unwrap()) else {
                continue;
            };
            let wrapped = (pooled(), strategy, pooled(), 0..4u8);
            runner
                .run(&wrapped, |(before, text, after, how)| {
                    both.agree(&text);
                    match how {
                        0 => both.agree(&format!("{before}{text}")),
                        1 => both.agree(&format!("{text}{after}")),
                        2 => both.agree(&format!("{before}{text}{after}")),
                        _ => both.agree(&text.repeat(3)),
                    };
                    Ok(())
                })
                .unwrap();
        }
    }
}
