//! Splitting a Markdown file into its YAML front matter and its body.

/// A file split at its `---` fences. Line numbers are 1-based lines of the file.
#[derive(Debug)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// Number of file lines before the YAML text (the opening fence and anything above it).
    pub yaml_line_offset: u32,
    pub body: &'a str,
    /// File line on which the body starts.
    pub body_line: u32,
}

/// Why a file has no usable front matter; always a `yaml` finding.
#[derive(Debug, PartialEq)]
pub enum SplitError {
    NoOpening,
    NoClosing,
}

/// Splits `text` (already without BOM and with `\n` line ends).
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(SplitError::NoOpening);
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    let mut line = 1u32;
    for l in lines {
        line += 1;
        let t = l.trim_end();
        if t == "---" || t == "..." {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line_offset: 1,
                body: &text[offset + l.len()..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(SplitError::NoClosing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_counts_lines() {
        let s = split("---\na: 1\nb: 2\n---\n正文\n").unwrap();
        assert_eq!(s.yaml, "a: 1\nb: 2\n");
        assert_eq!(s.yaml_line_offset, 1);
        assert_eq!(s.body, "正文\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn missing_fences() {
        assert_eq!(split("a: 1\n").unwrap_err(), SplitError::NoOpening);
        assert_eq!(split("---\na: 1\n").unwrap_err(), SplitError::NoClosing);
        assert!(split("---\n---\n").unwrap().yaml.is_empty());
    }
}
