//! What a plain YAML scalar means: the one place in nianbao that decides it.
//!
//! serde-saphyr resolves scalars by its own rules (YAML 1.2 core with some YAML 1.1 words such
//! as `yes`, `y` and `off`). nianbao does not repeat those rules: [`resolve`] answers only for
//! the forms whose meaning is beyond doubt and says "not sure" (`None`) for every other, so
//!
//! - the fast reader ([`super::fast`]) takes what [`resolve`] decides and leaves the rest to
//!   serde-saphyr;
//! - a key name that serde-saphyr would turn into other text ([`is_ambiguous_word`]) is left to
//!   serde-saphyr as well;
//! - the writer ([`write`]) writes a string plain only when reading it back is certain to give
//!   the same string, and quotes it otherwise.
//!
//! The tests read the writer's output back with both readers.

use std::borrow::Cow;

use super::Value;

/// Words that YAML 1.1 or 1.2 reads as booleans, null or special floats, in any case
/// (`y`, `No`, `NULL`, `.inf` without its dot …). Plain text that matches is never taken as a
/// string by nianbao: serde-saphyr decides what it is.
pub fn is_ambiguous_word(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "inf", "infinity", "nan",
    ];
    s.len() <= 8 && WORDS.iter().any(|w| w.eq_ignore_ascii_case(s))
}

/// Whether a plain scalar may start with the text `s`: not with an indicator; `-1` and `-.5`
/// are numbers, so a dash followed by a digit or a dot is allowed.
pub fn plain_may_start(s: &str) -> bool {
    let b = s.as_bytes();
    match b.first() {
        None => false,
        Some(b'-') => b.get(1).is_some_and(|c| c.is_ascii_digit() || *c == b'.'),
        Some(
            b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
            | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`',
        ) => false,
        Some(_) => true,
    }
}

/// The value of the plain scalar `s` as serde-saphyr reads it, for the forms where that is
/// beyond doubt; `None` for the rest (`yes`, `Null`, `007`, `+1`, `1e3`, `0x1F`, `.5`, `.inf`,
/// `1_000`, `0517-87222589` …), which only serde-saphyr decides.
pub fn resolve(s: &str) -> Option<Value<'_>> {
    match s {
        "~" | "null" => return Some(Value::Null),
        "true" => return Some(Value::Bool(true)),
        "false" => return Some(Value::Bool(false)),
        "" => return None,
        _ => {}
    }
    let b = s.as_bytes();
    let digits = |b: &[u8]| !b.is_empty() && b.iter().all(u8::is_ascii_digit);
    let unsigned = b.strip_prefix(b"-").unwrap_or(b);
    let canonical_int = |b: &[u8]| digits(b) && (b == b"0" || b[0] != b'0');
    if canonical_int(unsigned) && unsigned.len() <= 18 {
        return s.parse().ok().map(Value::Int);
    }
    if let Some(dot) = unsigned.iter().position(|&c| c == b'.')
        && canonical_int(&unsigned[..dot])
        && digits(&unsigned[dot + 1..])
    {
        return s.parse().ok().map(Value::Float);
    }
    if !s.is_ascii() {
        return Some(Value::Str(Cow::Borrowed(s)));
    }
    if (b[0].is_ascii_alphabetic() || b[0] == b'_') && !is_ambiguous_word(s) {
        return Some(Value::Str(Cow::Borrowed(s)));
    }
    // A date: YYYY-MM-DD.
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && digits(&b[..4])
        && digits(&b[5..7])
        && digits(&b[8..])
    {
        return Some(Value::Str(Cow::Borrowed(s)));
    }
    None
}

/// Where a scalar is written: a block value (`title: x`) or an item of a one-line flow
/// collection (`{value: 22, note: x}`), where `,` and brackets end the scalar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Block,
    Flow,
}

/// Whether `s` written plain in `ctx` certainly reads back as the string `s`.
fn plain_reads_back(s: &str, ctx: Context) -> bool {
    let syntax_ok = plain_may_start(s)
        && s.trim() == s
        && !s.chars().any(char::is_control)
        && !s.contains(": ")
        && !s.ends_with(':')
        && !s.contains(" #")
        && (ctx == Context::Block || !s.contains([',', '[', ']', '{', '}', ':', '#']));
    syntax_ok && matches!(resolve(s), Some(Value::Str(t)) if t == s)
}

/// The string `s` as a YAML scalar in `ctx`: plain when reading it back certainly gives `s`,
/// else double-quoted with escapes.
pub fn write(s: &str, ctx: Context) -> Cow<'_, str> {
    if plain_reads_back(s, ctx) {
        return Cow::Borrowed(s);
    }
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\t' => q.push_str("\\t"),
            '\r' => q.push_str("\\r"),
            c if c.is_control() => q.push_str(&format!("\\u{:04x}", c as u32)),
            c => q.push(c),
        }
    }
    q.push('"');
    Cow::Owned(q)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::yaml::{fast, full};

    /// Strings whose plain form YAML reads as something else, or cannot read at all.
    const TRICKY: &[&str] = &[
        "y",
        "n",
        "Y",
        "N",
        "yes",
        "No",
        "on",
        "OFF",
        "true",
        "False",
        "0x1F",
        "0o17",
        ".inf",
        "-.inf",
        ".NaN",
        "~",
        "null",
        "Null",
        "NULL",
        "007",
        "1e3",
        "+12",
        "1_000",
        "12.",
        ".5",
        "2024",
        "-4",
        "7000.00",
        "-",
        "- x",
        "-x",
        "?",
        "? x",
        ": x",
        "x:",
        "a: b",
        "#x",
        "x #y",
        "a#b",
        "http://x.org/a",
        " x",
        "x ",
        "  ",
        "",
        "a\nb",
        "tab\there",
        "'q'",
        "\"q\"",
        "a\\b",
        "[x]",
        "{x}",
        "x, y",
        "&a",
        "*a",
        "!x",
        "|",
        ">",
        "%x",
        "@x",
        "`x`",
        "---",
        "...",
        "2022-01-20",
        "0517-87222589",
        "1:30",
        "其中修订16件",
        "说明：见附件",
        "含变更、延续",
        "元",
        "万元",
        "say \"hi\"",
        "it's",
    ];

    /// Reads `value` back from `key: <written>` (block) and `key: {v: <written>}` (flow) with
    /// both readers.
    fn read_back(written: &str, ctx: Context) -> Vec<(String, Option<String>)> {
        let src = match ctx {
            Context::Block => format!("k: {written}\n"),
            Context::Flow => format!("k: {{v: {written}, w: 1}}\n"),
        };
        let pick = |root: &crate::content::yaml::Node| -> Option<String> {
            let v = &root.as_map()?[0].1;
            let v = match ctx {
                Context::Block => v,
                Context::Flow => &v.as_map()?[0].1,
            };
            v.as_str().map(str::to_string)
        };
        let mut out = vec![(
            "serde-saphyr".to_string(),
            full(&src, 0).ok().and_then(|r| pick(&r)),
        )];
        if let Some(r) = fast::parse(&src, 0) {
            out.push(("fast".to_string(), pick(&r)));
        }
        out
    }

    #[test]
    fn written_strings_read_back_the_same_with_both_readers() {
        for ctx in [Context::Block, Context::Flow] {
            for s in TRICKY {
                let written = write(s, ctx);
                for (reader, got) in read_back(&written, ctx) {
                    assert_eq!(
                        got.as_deref(),
                        Some(*s),
                        "{reader} reads {written} ({ctx:?}) back wrongly"
                    );
                }
            }
        }
    }

    #[test]
    fn plain_when_it_reads_back_quoted_otherwise() {
        assert_eq!(write("其中修订16件", Context::Flow), "其中修订16件");
        assert_eq!(write("说明：见附件", Context::Block), "说明：见附件");
        assert_eq!(write("http://x.org/a", Context::Block), "http://x.org/a");
        assert_eq!(write("a: b", Context::Block), "\"a: b\"");
        assert_eq!(write("x, y", Context::Flow), "\"x, y\"");
        assert_eq!(write("x, y", Context::Block), "x, y");
        assert_eq!(write("2024", Context::Block), "\"2024\"");
        assert_eq!(write("y", Context::Block), "\"y\"");
        assert_eq!(write("0x1F", Context::Block), "\"0x1F\"");
        assert_eq!(write(".inf", Context::Block), "\".inf\"");
        assert_eq!(write("", Context::Block), "\"\"");
        assert_eq!(write("say \"hi\"", Context::Block), "say \"hi\"");
        assert_eq!(
            write("\"hi\" a\\b", Context::Block),
            "\"\\\"hi\\\" a\\\\b\""
        );
    }

    #[test]
    fn what_is_not_obvious_is_left_to_serde_saphyr() {
        for s in [
            "yes", "Y", "n", "007", "1e3", "0x1F", ".inf", "Null", "+1", "1_000",
        ] {
            assert!(resolve(s).is_none(), "{s}");
        }
        assert!(matches!(resolve("~"), Some(Value::Null)));
        assert!(matches!(resolve("-4"), Some(Value::Int(-4))));
        assert!(matches!(resolve("2022-01-20"), Some(Value::Str(_))));
    }
}
