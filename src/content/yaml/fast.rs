//! A fast path for the YAML that front matter actually holds.
//!
//! serde-saphyr with `Spanned<T>` is exact but costs about 250 µs for a report's front matter,
//! most of a check's time. Front matter is a small, regular subset of YAML: block mappings and
//! block sequences whose values are plain or quoted one-line scalars and one-line flow
//! collections (`[0, 1, 8]`, `{value: 22, note: 其中修订16件}`). This reader handles exactly that
//! subset, in one pass over the lines, and gives the same tree as [`super::parse`] does through
//! serde-saphyr: the same values, positions and raw text (the tests compare the two on every
//! fixture, on generated corpora and on tricky snippets).
//!
//! Anything else makes it return `None` and the full parser decides, with its own messages:
//! anchors, aliases, tags, block scalars, multi-line scalars or flows, tabs, escapes, quoted or
//! numeric keys, indentless sequences, duplicate keys, every syntax error, and every scalar
//! whose type [`super::scalar::resolve`] does not decide (`yes`, `007`, `1e3`, `0x1F`, `Null` …).

use std::borrow::Cow;

use super::scalar::{is_ambiguous_word, plain_may_start, resolve};
use super::{Key, Node, Pos, Value};

/// A line that holds something (not blank, not only a comment).
struct Line<'a> {
    text: &'a str,
    /// 1-based line in the file.
    number: u32,
    /// Leading spaces.
    indent: usize,
    ascii: bool,
}

impl Line<'_> {
    /// 1-based column in characters of byte offset `at`.
    fn col(&self, at: usize) -> u32 {
        if self.ascii {
            at as u32 + 1
        } else {
            self.text[..at].chars().count() as u32 + 1
        }
    }

    fn pos(&self, at: usize) -> Pos {
        Pos::new(self.number, self.col(at))
    }
}

/// Reads `src` (YAML text only) whose first line is file line `line_offset + 1`, or gives up.
pub(super) fn parse(src: &str, line_offset: u32) -> Option<Node<'_>> {
    if src.contains(['\t', '\r']) {
        return None;
    }
    let mut lines = Vec::with_capacity(64);
    for (i, text) in src.split('\n').enumerate() {
        let content = text.trim_start_matches(' ');
        if content.trim_end_matches(' ').is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = text.len() - content.len();
        if indent == 0
            && (content.starts_with("---")
                || content.starts_with("...")
                || content.starts_with('%'))
        {
            return None;
        }
        lines.push(Line {
            text,
            number: line_offset + i as u32 + 1,
            indent,
            ascii: text.is_ascii(),
        });
    }
    if lines.is_empty() || lines[0].indent != 0 {
        return None;
    }
    let mut p = Parser {
        lines: &lines,
        i: 0,
    };
    let root = p.block_map(0, false)?;
    (p.i == lines.len()).then_some(root)
}

struct Parser<'l, 'a> {
    lines: &'l [Line<'a>],
    /// The current line.
    i: usize,
}

/// Is the text at the start of `s` a key: `name:` followed by a space or the end of the line?
/// Returns the key's length in bytes.
fn key_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if !b
        .first()
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
    {
        return None;
    }
    let n = b
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
        .count();
    if b.get(n) != Some(&b':') || !matches!(b.get(n + 1), None | Some(b' ')) {
        return None;
    }
    // Keys that YAML 1.1 reads as booleans or null, which serde-saphyr turns into other text.
    if is_ambiguous_word(&s[..n]) {
        return None;
    }
    Some(n)
}

fn is_dash(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

impl<'l, 'a> Parser<'l, 'a> {
    fn line(&self) -> Option<&'l Line<'a>> {
        self.lines.get(self.i)
    }

    /// A block mapping whose keys start at column `indent`. With `inline_first`, the first key
    /// is on the current line after a sequence dash (`- rule: x`).
    fn block_map(&mut self, indent: usize, inline_first: bool) -> Option<Node<'a>> {
        let mut entries: Vec<(Key<'a>, Node<'a>)> = Vec::new();
        let mut first = true;
        while let Some(line) = self.line() {
            if !(first && inline_first) {
                if line.indent < indent {
                    break;
                }
                if line.indent > indent {
                    return None;
                }
            }
            first = false;
            let line_no = self.i;
            let line = &self.lines[line_no];
            let content = &line.text[indent..];
            let n = key_len(content)?;
            let name = &content[..n];
            if entries.iter().any(|(k, _)| k.name == name) {
                return None; // serde-saphyr reports duplicate keys
            }
            let key = Key {
                name: Cow::Borrowed(name),
                pos: line.pos(indent),
            };
            let colon = indent + n;
            let rest = &line.text[colon + 1..];
            let value_at = colon + 1 + (rest.len() - rest.trim_start_matches(' ').len());
            let value = if value_at == line.text.len() || line.text[value_at..].starts_with('#') {
                self.i += 1;
                match self.line() {
                    Some(next) if next.indent > indent => {
                        let (next_indent, dash) = (next.indent, is_dash(&next.text[next.indent..]));
                        if dash {
                            self.block_seq(next_indent)?
                        } else {
                            self.block_map(next_indent, false)?
                        }
                    }
                    Some(next) if next.indent == indent && is_dash(&next.text[indent..]) => {
                        return None;
                    }
                    _ => Node {
                        value: Value::Null,
                        pos: line.pos(colon),
                        raw: "",
                    },
                }
            } else {
                let node = inline_value(line, value_at)?;
                self.i += 1;
                if self.line().is_some_and(|next| next.indent > indent) {
                    return None; // a multi-line scalar, or an error
                }
                node
            };
            entries.push((key, value));
        }
        let pos = entries.first()?.0.pos;
        Some(Node {
            value: Value::Map(entries),
            pos,
            raw: "",
        })
    }

    /// A block sequence whose dashes are at column `indent`.
    fn block_seq(&mut self, indent: usize) -> Option<Node<'a>> {
        let mut items = Vec::new();
        let pos = self.line()?.pos(indent);
        while let Some(line) = self.line() {
            if line.indent < indent {
                break;
            }
            let content = &line.text[indent..];
            if line.indent > indent || !content.starts_with("- ") {
                return None;
            }
            let after = &content[2..];
            let start = indent + 2 + (after.len() - after.trim_start_matches(' ').len());
            let item = &line.text[start..];
            if item.is_empty() || item.starts_with('#') {
                return None;
            }
            if key_len(item).is_some() {
                items.push(self.block_map(start, true)?);
            } else {
                items.push(inline_value(line, start)?);
                self.i += 1;
                if self.line().is_some_and(|next| next.indent > indent) {
                    return None;
                }
            }
        }
        Some(Node {
            value: Value::Seq(items),
            pos,
            raw: "",
        })
    }
}

/// A value that starts at byte `at` of `line` and must end the line (but for a comment).
fn inline_value<'a>(line: &Line<'a>, at: usize) -> Option<Node<'a>> {
    let text = line.text;
    let (node, end) = match text.as_bytes()[at] {
        b'[' | b'{' => flow(line, at)?,
        b'\'' | b'"' => quoted(line, at)?,
        _ => {
            if !plain_may_start(&text[at..]) {
                return None;
            }
            // A comment starts at a `#` after a space.
            let end = text[at..].find(" #").map_or(text.len(), |i| at + i);
            let raw = text[at..end].trim_end_matches(' ');
            if raw.contains(": ") || raw.ends_with(':') {
                return None;
            }
            return Some(Node {
                value: resolve(raw)?,
                pos: line.pos(at),
                raw,
            });
        }
    };
    let rest = &text[end..];
    let trimmed = rest.trim_start_matches(' ');
    if trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len()) {
        Some(node)
    } else {
        None
    }
}

/// A one-line quoted scalar at `at`; returns it and the byte after the closing quote.
fn quoted<'a>(line: &Line<'a>, at: usize) -> Option<(Node<'a>, usize)> {
    let text = line.text;
    let q = text.as_bytes()[at];
    let body = &text[at + 1..];
    let (value, len) = if q == b'\'' {
        // Borrowed unless the text holds an escaped quote ('').
        let mut value = Cow::Borrowed("");
        let mut rest = body;
        loop {
            let i = rest.find('\'')?;
            let escaped = rest[i + 1..].starts_with('\'');
            if !escaped && value.is_empty() && rest.len() == body.len() {
                value = Cow::Borrowed(&rest[..i]);
                rest = &rest[i + 1..];
                break;
            }
            let owned = value.to_mut();
            owned.push_str(&rest[..i]);
            if escaped {
                owned.push('\'');
                rest = &rest[i + 2..];
            } else {
                rest = &rest[i + 1..];
                break;
            }
        }
        (value, body.len() - rest.len())
    } else {
        let i = body.find(['"', '\\'])?;
        if body.as_bytes()[i] == b'\\' {
            return None;
        }
        (Cow::Borrowed(&body[..i]), i + 1)
    };
    let end = at + 1 + len;
    Some((
        Node {
            value: Value::Str(value),
            pos: line.pos(at),
            raw: &text[at..end],
        },
        end,
    ))
}

/// A one-line flow sequence or mapping at `at`; returns it and the byte after its closing bracket.
fn flow<'a>(line: &Line<'a>, at: usize) -> Option<(Node<'a>, usize)> {
    let text = line.text;
    let b = text.as_bytes();
    let is_map = b[at] == b'{';
    let close = if is_map { b'}' } else { b']' };
    let mut i = at + 1;
    let skip = |mut i: usize| {
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        i
    };
    let mut items = Vec::new();
    let mut entries: Vec<(Key<'a>, Node<'a>)> = Vec::new();
    i = skip(i);
    if b.get(i) == Some(&close) {
        // `[]` or `{}`
    } else {
        loop {
            if is_map {
                let n = key_len(&text[i..])?;
                let name = &text[i..i + n];
                if entries.iter().any(|(k, _)| k.name == name) {
                    return None;
                }
                let key = Key {
                    name: Cow::Borrowed(name),
                    pos: line.pos(i),
                };
                i = skip(i + n + 1);
                let (node, end) = flow_item(line, i)?;
                entries.push((key, node));
                i = end;
            } else {
                let (node, end) = flow_item(line, i)?;
                items.push(node);
                i = end;
            }
            i = skip(i);
            match b.get(i) {
                Some(b',') => i = skip(i + 1),
                Some(c) if *c == close => break,
                _ => return None,
            }
            if b.get(i) == Some(&close) {
                return None; // a trailing comma
            }
        }
    }
    let value = if is_map {
        Value::Map(entries)
    } else {
        Value::Seq(items)
    };
    Some((
        Node {
            value,
            pos: line.pos(at),
            raw: "",
        },
        i + 1,
    ))
}

/// One item of a flow collection at `at`.
fn flow_item<'a>(line: &Line<'a>, at: usize) -> Option<(Node<'a>, usize)> {
    let text = line.text;
    match *text.as_bytes().get(at)? {
        b'[' | b'{' => flow(line, at),
        b'\'' | b'"' => quoted(line, at),
        _ => {
            if !plain_may_start(&text[at..]) {
                return None;
            }
            let len = text[at..]
                .find([',', ']', '}', ':', '#', '[', '{'])
                .unwrap_or(text.len() - at);
            let end = at + len;
            if !matches!(text.as_bytes().get(end), Some(b',' | b']' | b'}')) {
                return None;
            }
            let raw = text[at..end].trim_end_matches(' ');
            if raw.is_empty() {
                return None;
            }
            Some((
                Node {
                    value: resolve(raw)?,
                    pos: line.pos(at),
                    raw,
                },
                at + raw.len(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    //! The fast path must give exactly the tree of the full parser, or nothing.

    use super::super::{Node, Value, full};
    use std::path::Path;

    /// Compares two trees; `Err` names the first difference.
    fn same(a: &Node, b: &Node, at: &str) -> Result<(), String> {
        if a.pos != b.pos || a.raw != b.raw {
            return Err(format!(
                "{at}: pos/raw {:?} {:?} vs {:?} {:?}",
                a.pos, a.raw, b.pos, b.raw
            ));
        }
        match (&a.value, &b.value) {
            (Value::Null, Value::Null) => Ok(()),
            (Value::Bool(x), Value::Bool(y)) if x == y => Ok(()),
            (Value::Int(x), Value::Int(y)) if x == y => Ok(()),
            (Value::Float(x), Value::Float(y)) if x.to_bits() == y.to_bits() => Ok(()),
            (Value::Str(x), Value::Str(y)) if x == y => Ok(()),
            (Value::Seq(x), Value::Seq(y)) if x.len() == y.len() => x
                .iter()
                .zip(y)
                .enumerate()
                .try_for_each(|(i, (p, q))| same(p, q, &format!("{at}[{i}]"))),
            (Value::Map(x), Value::Map(y)) if x.len() == y.len() => {
                x.iter().zip(y).try_for_each(|((kx, vx), (ky, vy))| {
                    if kx.name != ky.name || kx.pos != ky.pos {
                        return Err(format!(
                            "{at}: key {:?} {:?} vs {:?} {:?}",
                            kx.name, kx.pos, ky.name, ky.pos
                        ));
                    }
                    same(vx, vy, &format!("{at}.{}", kx.name))
                })
            }
            (x, y) => Err(format!("{at}: {x:?} vs {y:?}")),
        }
    }

    /// Whatever the fast path accepts, the full parser reads the same. Returns whether it did.
    #[track_caller]
    fn agree(src: &str) -> bool {
        let Some(fast) = super::parse(src, 3) else {
            return false;
        };
        match full(src, 3) {
            Ok(slow) => {
                if let Err(e) = same(&fast, &slow, "") {
                    panic!("fast and full parsers differ on\n{src}\n{e}");
                }
            }
            Err(e) => panic!(
                "fast path accepted what the full parser rejects ({}):\n{src}",
                e.message
            ),
        }
        true
    }

    fn yaml_of(text: &str) -> &str {
        crate::content::frontmatter::split(text)
            .map(|s| s.yaml)
            .unwrap_or("")
    }

    fn files_below(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                files_below(&p, out);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }

    #[test]
    fn every_real_front_matter_takes_the_fast_path_and_agrees() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        files_below(&root.join("content"), &mut files);
        files_below(&root.join("tests/fixtures/real/content"), &mut files);
        assert!(files.len() >= 14);
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            assert!(
                agree(yaml_of(&text)),
                "{} did not take the fast path",
                f.display()
            );
        }
    }

    #[test]
    fn a_generated_corpus_takes_the_fast_path_and_agrees() {
        let dir = tempfile::tempdir().unwrap();
        crate::corpus::write_corpus(dir.path(), 60, 2019..=2023).unwrap();
        let mut files = Vec::new();
        files_below(&dir.path().join("content"), &mut files);
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            assert!(
                agree(yaml_of(&text)),
                "{} did not take the fast path",
                f.display()
            );
        }
    }

    #[test]
    fn tricky_snippets_agree_or_decline() {
        let taken = [
            "a: 1\nb: -2\nc: 0\nd: -0\ne: 2.50\nf: 7000.00\ng: 2022-01-20\n",
            "a: ~\nb: null\nc: true\nd: false\ne:\nf: # comment\n",
            "t: 项城市人民政府 # 注释\nu: a#b\nv: T4-total\nw: https://example.org/a/\nx: 'it''s'\ny2: \"q\"\nz: ''\n",
            "active:\n  rules:     [0, 1, 8]   # c\n  licensing: {value: 82, note: 含变更、延续}\n  empty:\n  fees: []\n  x: {}\n",
            "b:\n  # comment inside\n\n  c: 1\nd: [1, {x: 2}, [3, 4], '/', \"-\", ~]\n",
            "e:\n    - 1\n    - [2]\n    - k: v\n      k2: v2\n    - {rule: narrative, note: \"x\"}\nf: 0\n",
            "contact:\n  - 地址：示例\n  -   电话\n",
            "withheld.state_secret: [1, 2]\nother.no_correction: [0]\n",
            "a: {value: 12.5, unit: 元}\nb: [{value: 22, note: 其中修订16件}, -3, +173]\n",
        ];
        for src in taken {
            // `+173` is left to the full parser; the rest must be taken.
            assert!(agree(src) || src.contains("+173"), "declined:\n{src}");
        }
        let declined = [
            "a: 007\n",
            "a: 1e3\n",
            "a: 0x1F\n",
            "a: yes\n",
            "a: No\n",
            "a: True\n",
            "a: NULL\n",
            "a: .5\n",
            "a: 12.\n",
            "a: 1_000\n",
            "a: +12\n",
            "a: 9999999999999999999\n",
            "a: 0517-87222589\n",
            "a: 1:30\n",
            "y: 1\n",
            "n: 1\n",
            "2021: a\n",
            "'a': 1\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: |\n  x\n",
            "a: >\n  x\n",
            "a: b\n  c\n",
            "a: [1,\n  2]\n",
            "a: \"x\\ny\"\n",
            "a: 'x\n  y'\n",
            "a:\n- 1\n",
            "a: 1\na: 2\n",
            "a: {b: 1, b: 2}\n",
            "a: [1, 2,]\n",
            "a: b: c\n",
            "a:\tb\n",
            "  a: 1\n",
            "a: 1\n  b: 2\n",
            "- 1\n",
            "a: [1, 2] x\n",
            "a: [1]#c\n",
            "a: {b:1}\n",
            "a: -x\n",
            "a: @x\n",
            "a: `x`\n",
            "%YAML 1.2\n---\na: 1\n",
            "a: 1\n---\nb: 2\n",
            "a: [1, [2]\n",
            "a: {b: }\n",
            "a:\n  - \n",
            "a:\n  -\n",
            "a:\n  - x\n  y: 1\n",
            "a: [a#b]\n",
            "a: [1:2]\n",
        ];
        for src in declined {
            assert!(
                super::parse(src, 0).is_none(),
                "taken, but should be left to the full parser:\n{src}"
            );
        }
    }

    /// Random small edits of real front matter: whatever the fast path still accepts, the full
    /// parser must read identically.
    #[test]
    fn mutated_front_matter_agrees_or_declines() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let bases: Vec<String> = [
            "tests/fixtures/real/content/huaian/hongze/2023.md",
            "tests/fixtures/real/content/xiangcheng/huayuan/2020.md",
            "content/huaian/hongze/2024.md",
        ]
        .iter()
        .map(|f| yaml_of(&std::fs::read_to_string(root.join(f)).unwrap()).to_string())
        .collect();
        let pieces = [
            " ", ":", "#", "-", "[", "]", "{", "}", ",", "'", "\"", "\t", "&", "*", "!", "|", ">",
            "~", "\n", "  ", "- ", ": ", "x", "0", ".", "中", "\\", "?", "%",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let (mut taken, mut total) = (0, 0);
        for round in 0..3000 {
            let base = &bases[round % bases.len()];
            let mut s = base.clone();
            for _ in 0..1 + next(3) {
                let mut at = next(s.len() + 1);
                while !s.is_char_boundary(at) {
                    at -= 1;
                }
                match next(3) {
                    0 => s.insert_str(at, pieces[next(pieces.len())]),
                    1 => {
                        let mut end = (at + 1 + next(3)).min(s.len());
                        while !s.is_char_boundary(end) {
                            end += 1;
                        }
                        s.replace_range(at..end, "");
                    }
                    _ => {
                        let piece = pieces[next(pieces.len())];
                        let mut end = (at + 1).min(s.len());
                        while !s.is_char_boundary(end) {
                            end += 1;
                        }
                        s.replace_range(at..end, piece);
                    }
                }
            }
            total += 1;
            taken += usize::from(agree(&s));
        }
        // The fast path still takes a good share of the edits (most edits keep the shape).
        eprintln!("fast path took {taken} of {total} mutants");
        assert!(taken > total / 10, "{taken} of {total}");
    }
}
