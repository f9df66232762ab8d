//! Translation of Smithy `@pattern` values (ECMA-262 regular expressions) to the `regex` crate.
//!
//! The differences that matter: ECMA `\d`, `\w`, `\s` and `\b` are ASCII (the `regex` crate's
//! are Unicode), ECMA `.` excludes `\n`, `\r`, U+2028 and U+2029, `[` `&` `~` are literal
//! inside an ECMA class but not in `regex`, and `\uXXXX` is written `\x{XXXX}`. Lookaround and
//! backreferences have no `regex` equivalent and are refused. The result is compiled once here,
//! so a pattern that passes translation is known to compile at run time.

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
    regex::Regex::new(&out)
        .map_err(|e| format!("the translation `{out}` does not compile: {e}"))?;
    Ok(out)
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
}
