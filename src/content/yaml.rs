//! A YAML tree that knows where every value was written.
//!
//! serde-saphyr's `Spanned<T>` gives the line, column and byte span of any value, not only of
//! syntax errors (serde_yaml, deprecated and archived, gives error positions only). We read the
//! front matter into this small tree once; the schema walk in `report.rs` then reports unknown
//! keys, wrong shapes and bad cells at the exact place in the file, and keeps the raw text of
//! every scalar so amounts are shown exactly as written (`7000.00` stays `7000.00`).
//!
//! serde-saphyr is exact but slow for this (most of a check's time went into it), so the usual
//! shapes of front matter go through [`fast`], which gives the same tree or declines; whatever
//! it declines, and every syntax error, goes through serde-saphyr.
//!
//! What a plain scalar means is decided in one place, [`scalar`], for the fast reader and for
//! the writer ([`super::writer`]) alike.

mod fast;
pub mod scalar;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::borrow::Cow;

/// Positions are the diagnostics' (the ground floor); the YAML tree carries them.
pub use crate::diagnostic::Pos;

#[derive(Debug, Clone)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Borrowed from the source where the text is written as is (the usual case).
    Str(Cow<'a, str>),
    Seq(Vec<Node<'a>>),
    Map(Vec<(Key<'a>, Node<'a>)>),
}

/// A value with its position and, for scalars, the text exactly as written (quotes included).
#[derive(Debug, Clone)]
pub struct Node<'a> {
    pub value: Value<'a>,
    pub pos: Pos,
    /// A slice of the source: the tree borrows the front matter rather than copy it.
    pub raw: &'a str,
}

#[derive(Debug, Clone)]
pub struct Key<'a> {
    pub name: Cow<'a, str>,
    pub pos: Pos,
}

impl<'a> Node<'a> {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s.as_ref()),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Key<'a>, Node<'a>)]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The scalar as text whatever its YAML type (`2021` and `"2021"` both give "2021").
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(_) => Some(self.raw.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// What kind of YAML value this is, in Chinese, for messages.
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "空值",
            Value::Bool(_) => "布尔值",
            Value::Int(_) | Value::Float(_) => "数字",
            Value::Str(_) => "文字",
            Value::Seq(_) => "列表",
            Value::Map(_) => "键值表",
        }
    }
}

/// A YAML syntax error, positioned in the YAML text (1-based line and column).
#[derive(Debug)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
}

/// Parses `src` (the YAML text only). `line_offset` is the number of file lines before the YAML
/// starts, so every position is a position in the file (Zola #1133 got this wrong).
pub fn parse(src: &str, line_offset: u32) -> Result<Node<'_>, SyntaxError> {
    if src.trim().is_empty() {
        return Ok(Node {
            value: Value::Map(Vec::new()),
            pos: Pos::new(line_offset + 1, 1),
            raw: "",
        });
    }
    if let Some(root) = fast::parse(src, line_offset) {
        return Ok(root);
    }
    full(src, line_offset)
}

/// The full YAML parser: everything the fast path leaves, and every syntax error.
fn full(src: &str, line_offset: u32) -> Result<Node<'_>, SyntaxError> {
    match serde_saphyr::from_str::<Spanned<Raw>>(src) {
        Ok(root) => Ok(convert(root, src, line_offset)),
        Err(e) => {
            let (line, col) = e
                .location()
                .map(|l| (l.line() as u32, l.column() as u32))
                .unwrap_or((1, 1));
            Err(SyntaxError {
                pos: Pos::new(line + line_offset, col.max(1)),
                message: clean_message(&e.to_string()),
            })
        }
    }
}

/// serde-saphyr's message starts with "error: line N column M: " and ends with a snippet; keep
/// only the sentence, the position is reported separately.
fn clean_message(full: &str) -> String {
    let first = full.lines().next().unwrap_or(full);
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let msg = match first.find(": ") {
        Some(i) if first[..i].starts_with("line ") => &first[i + 2..],
        _ => first,
    };
    msg.split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(msg)
        .to_string()
}

fn pos_of(loc: &serde_saphyr::Location, offset: u32) -> Pos {
    Pos::new(loc.line() as u32 + offset, (loc.column() as u32).max(1))
}

fn raw_of<'a>(loc: &serde_saphyr::Location, src: &'a str) -> &'a str {
    let span = loc.span();
    match (span.byte_offset(), span.byte_len()) {
        (Some(o), Some(l)) => src.get(o as usize..(o + l) as usize).unwrap_or(""),
        _ => "",
    }
}

fn convert(n: Spanned<Raw>, src: &str, offset: u32) -> Node<'_> {
    let pos = pos_of(&n.referenced, offset);
    let (value, raw) = match n.value {
        Raw::Null => (Value::Null, raw_of(&n.referenced, src)),
        Raw::Bool(b) => (Value::Bool(b), raw_of(&n.referenced, src)),
        Raw::Int(i) => (Value::Int(i), raw_of(&n.referenced, src)),
        Raw::Float(f) => (Value::Float(f), raw_of(&n.referenced, src)),
        Raw::Str(s) => (Value::Str(Cow::Owned(s)), raw_of(&n.referenced, src)),
        Raw::Seq(items) => (
            Value::Seq(items.into_iter().map(|i| convert(i, src, offset)).collect()),
            "",
        ),
        Raw::Map(entries) => (
            Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| {
                        (
                            Key {
                                name: key_name(k.value, raw_of(&k.referenced, src)),
                                pos: pos_of(&k.referenced, offset),
                            },
                            convert(v, src, offset),
                        )
                    })
                    .collect(),
            ),
            "",
        ),
    };
    Node { value, pos, raw }
}

/// A key's name. serde-saphyr resolves a plain key like any scalar (`y:` becomes "true",
/// `0x1F:` "31"), but every key nianbao knows is text, and a message about a key must show it
/// as written: a plain key whose text [`scalar::resolve`] does not read as itself is named by
/// its text.
fn key_name(resolved: String, raw: &str) -> Cow<'_, str> {
    let plain = scalar::plain_may_start(raw) && !raw.contains(['\n', '#']);
    match scalar::resolve(raw) {
        Some(Value::Str(s)) if s == resolved => Cow::Owned(resolved),
        _ if plain && !raw.is_empty() => Cow::Borrowed(raw.trim_end()),
        _ => Cow::Owned(resolved),
    }
}

/// The tree as serde-saphyr hands it over, before positions are made file-relative.
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<String>, Spanned<Raw>)>),
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        d.deserialize_any(RawVisitor)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(i64::try_from(v)
            .map(Raw::Int)
            .unwrap_or(Raw::Float(v as f64)))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Raw, E> {
        Ok(i64::try_from(v)
            .map(Raw::Int)
            .unwrap_or(Raw::Float(v as f64)))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Raw, E> {
        Ok(i64::try_from(v)
            .map(Raw::Int)
            .unwrap_or(Raw::Float(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Raw, A::Error> {
        let mut v = Vec::new();
        while let Some(x) = a.next_element()? {
            v.push(x);
        }
        Ok(Raw::Seq(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Raw, A::Error> {
        let mut v = Vec::new();
        while let Some(k) = a.next_key::<Spanned<KeyText>>()? {
            let x = a.next_value()?;
            v.push((Spanned::new(k.value.0, k.referenced, k.defined), x));
        }
        Ok(Raw::Map(v))
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Raw, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

/// A mapping key as text, whatever its YAML type (`2021:` is a number key).
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<KeyText, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = KeyText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<KeyText, E> {
                Ok(KeyText("~".into()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_file_lines_and_raw_text_is_kept() {
        let n = parse("a:\n  b: [1, 7000.00, '/']\n", 3).unwrap();
        let m = n.as_map().unwrap();
        assert_eq!(m[0].0.name, "a");
        assert_eq!(m[0].0.pos, Pos::new(4, 1));
        let (k, v) = &m[0].1.as_map().unwrap()[0];
        assert_eq!(k.pos, Pos::new(5, 3));
        let Value::Seq(items) = &v.value else {
            panic!()
        };
        assert_eq!(items[1].raw, "7000.00");
        assert_eq!(items[1].pos, Pos::new(5, 10));
        assert_eq!(items[2].as_str(), Some("/"));
    }

    #[test]
    fn syntax_errors_carry_file_positions() {
        let e = parse("a: [1, 2\nb: 3\n", 1).unwrap_err();
        assert_eq!(e.pos.line, 3);
        assert!(!e.message.contains("line"), "{}", e.message);
    }

    #[test]
    fn keys_are_named_as_written() {
        let n = parse("y: 1\n0x1F: 2\nNo: 3\n2021: 4\n'yes': 5\n中文: 6\n", 0).unwrap();
        let names: Vec<&str> = n.as_map().unwrap().iter().map(|(k, _)| &*k.name).collect();
        assert_eq!(names, ["y", "0x1F", "No", "2021", "yes", "中文"]);
    }

    #[test]
    fn duplicate_keys_are_errors() {
        assert!(parse("a: 1\na: 2\n", 0).is_err());
    }
}
