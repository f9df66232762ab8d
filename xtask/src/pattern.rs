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
