//! Turns the HTML of `@documentation` into plain Markdown for doc comments.

/// Converts Smithy documentation HTML to Markdown: paragraphs, `code`, lists; other tags dropped.
pub fn html_to_markdown(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + end].trim().to_ascii_lowercase();
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        match name {
            "code" => out.push('`'),
            "p" | "ul" | "ol" | "note" | "important" | "br" | "div" => out.push_str("\n\n"),
            "li" if !tag.starts_with('/') => out.push_str("\n\n\u{1}\n\n"),
            "b" | "strong" => out.push_str("**"),
            "i" | "em" => out.push('*'),
            _ => {}
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    let mut paragraphs: Vec<String> = Vec::new();
    let mut bullet = false;
    for block in out.split("\n\n") {
        if block.trim() == "\u{1}" {
            bullet = true;
            continue;
        }
        let words: Vec<&str> = block.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        let line = words.join(" ");
        // Inline code spans that lost their content become noise.
        let line = line.replace("``", "");
        if !line.trim().is_empty() {
            paragraphs.push(if bullet { format!("- {line}") } else { line });
            bullet = false;
        }
    }
    // Bare brackets would be read as intra-doc links; escape them.
    paragraphs
        .join("\n\n")
        .replace('[', "\\[")
        .replace(']', "\\]")
}

/// The first paragraph only (for one-line summaries).
pub fn summary(html: &str) -> String {
    html_to_markdown(html)
        .split("\n\n")
        .next()
        .unwrap_or("")
        .to_owned()
}

/// The first paragraph of already converted Markdown.
pub fn summary_of_markdown(markdown: &str) -> String {
    markdown.split("\n\n").next().unwrap_or("").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_paragraphs_code_and_lists() {
        let md = html_to_markdown(
            "<p>The token. The value is <code>null</code>\n  when done.</p><ul><li><p>A</p></li><li>B</li></ul>",
        );
        assert_eq!(
            md,
            "The token. The value is `null` when done.\n\n- A\n\n- B"
        );
    }
}
