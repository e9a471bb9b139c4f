//! Table cells: the forms of report-format.md §2, read from the YAML tree.

use serde::Serialize;

use super::format::CellKind;
use super::yaml::{Node, Pos, Value};

/// An exact decimal: `mantissa / 10^scale`. Amounts are summed for region totals without float
/// rounding and printed as written.
// Packed to 8-byte alignment: an i128 would otherwise align every cell to 16 bytes, and a build
// holds ~200 cells per report (80 → 64 bytes a cell). Fields are read by value, never borrowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[repr(C, packed(8))]
pub struct Decimal {
    pub mantissa: i128,
    pub scale: u32,
}

impl Decimal {
    pub fn int(v: i64) -> Decimal {
        Decimal {
            mantissa: v as i128,
            scale: 0,
        }
    }

    /// Parses `-12`, `+173`, `96171.6`; nothing else.
    pub fn parse(s: &str) -> Option<Decimal> {
        let s = s.trim();
        let (neg, body) = match s.as_bytes().first()? {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if int.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        if body.contains('.') && frac.is_empty() {
            return None;
        }
        let mut m: i128 = 0;
        for d in int.bytes().chain(frac.bytes()) {
            m = m.checked_mul(10)?.checked_add(i128::from(d - b'0'))?;
        }
        Some(Decimal {
            mantissa: if neg { -m } else { m },
            scale: frac.len() as u32,
        })
    }

    pub fn is_whole(&self) -> bool {
        self.scale == 0 || self.mantissa % 10i128.pow(self.scale) == 0
    }

    /// The value as a whole number, when it is one.
    pub fn as_int(&self) -> Option<i64> {
        if self.scale == 0 {
            return i64::try_from(self.mantissa).ok();
        }
        if self.is_whole() {
            i64::try_from(self.mantissa / 10i128.pow(self.scale)).ok()
        } else {
            None
        }
    }

    fn rescale(&self, scale: u32) -> i128 {
        self.mantissa * 10i128.pow(scale - self.scale)
    }

    #[allow(clippy::should_implement_trait)] // used as a method, not an operator
    pub fn add(self, other: Decimal) -> Decimal {
        let scale = self.scale.max(other.scale);
        Decimal {
            mantissa: self.rescale(scale) + other.rescale(scale),
            scale,
        }
    }

    #[allow(clippy::should_implement_trait)]
    pub fn sub(self, other: Decimal) -> Decimal {
        let scale = self.scale.max(other.scale);
        Decimal {
            mantissa: self.rescale(scale) - other.rescale(scale),
            scale,
        }
    }

    pub fn to_f64(&self) -> f64 {
        self.mantissa as f64 / 10f64.powi(self.scale as i32)
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.scale == 0 {
            let m = self.mantissa;
            return write!(f, "{m}");
        }
        let p = 10i128.pow(self.scale);
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let a = self.mantissa.abs();
        write!(
            f,
            "{sign}{}.{:0width$}",
            a / p,
            a % p,
            width = self.scale as usize
        )
    }
}

/// A cell's text as written. Numbers are a few bytes: they are kept inside the cell, and only
/// longer text goes to the heap. Every report holds ~200 cells, and a build holds every report:
/// an allocation per cell was a fifth of a build's memory.
#[derive(Clone, PartialEq, Eq)]
pub struct Text(TextRepr);

#[derive(Clone, PartialEq, Eq)]
enum TextRepr {
    Inline(u8, [u8; 22]),
    Heap(Box<str>),
}

impl Text {
    pub fn new(s: &str) -> Text {
        Text(if s.len() <= 22 {
            let mut bytes = [0; 22];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            TextRepr::Inline(s.len() as u8, bytes)
        } else {
            TextRepr::Heap(s.into())
        })
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Always a whole &str copied in by `new`.
            TextRepr::Inline(len, bytes) => {
                std::str::from_utf8(&bytes[..*len as usize]).expect("copied from a str")
            }
            TextRepr::Heap(s) => s,
        }
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::new(s)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    /// A number, with the text exactly as written.
    Number { value: Decimal, text: Text },
    /// `~`, `""` or missing value.
    Blank,
    /// `"/"` or `"-"`, printed as written.
    NotApplicable(Text),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub value: CellValue,
    pub pos: Pos,
    /// Note, unit and raw text: rare, so kept apart (one pointer in the cell).
    extra: Option<Box<Extra>>,
}

#[derive(Clone, Debug, PartialEq, Default)]
struct Extra {
    note: Option<String>,
    unit: Option<String>,
    /// The value as written (quotes included), when it differs from the printed text; see
    /// [`Cell::raw`].
    raw: Option<Box<str>>,
}

impl Cell {
    /// A cell read from the source, whose value was written as `raw`.
    pub fn new(value: CellValue, pos: Pos, raw: &str) -> Cell {
        let same = match &value {
            CellValue::Number { text, .. } | CellValue::NotApplicable(text) => text == raw,
            CellValue::Blank => raw.is_empty(),
        };
        Cell {
            value,
            pos,
            extra: (!same).then(|| {
                Box::new(Extra {
                    raw: Some(raw.into()),
                    ..Extra::default()
                })
            }),
        }
    }

    /// The value exactly as written in the source (`"3"`, `~`, `7000.00`), for the caret under it.
    pub fn raw(&self) -> &str {
        match (
            self.extra.as_ref().and_then(|e| e.raw.as_deref()),
            &self.value,
        ) {
            (Some(raw), _) => raw,
            (None, CellValue::Number { text, .. } | CellValue::NotApplicable(text)) => text,
            (None, CellValue::Blank) => "",
        }
    }

    /// The note written as `{value, note}`.
    pub fn note(&self) -> Option<&str> {
        self.extra.as_ref()?.note.as_deref()
    }

    /// The unit written as `{value, unit}` (amounts only).
    pub fn unit(&self) -> Option<&str> {
        self.extra.as_ref()?.unit.as_deref()
    }

    fn annotate(&mut self, note: Option<String>, unit: Option<String>) {
        if note.is_some() || unit.is_some() {
            let extra = self.extra.get_or_insert_with(Box::default);
            extra.note = note;
            extra.unit = unit;
        }
    }

    pub fn number(&self) -> Option<Decimal> {
        match &self.value {
            CellValue::Number { value, .. } => Some(*value),
            _ => None,
        }
    }

    pub fn count(&self) -> Option<i64> {
        self.number().and_then(|d| d.as_int())
    }

    /// How the cell is printed: value as written, unit, then the note in full-width brackets.
    pub fn display(&self) -> String {
        let mut s = match &self.value {
            CellValue::Number { text, .. } => text.to_string(),
            CellValue::Blank => String::new(),
            CellValue::NotApplicable(t) => t.to_string(),
        };
        if let Some(u) = self.unit() {
            s.push_str(u);
        }
        if let Some(n) = self.note() {
            s.push('（');
            s.push_str(n);
            s.push('）');
        }
        s
    }

    pub fn is_blank(&self) -> bool {
        !matches!(self.value, CellValue::Number { .. })
    }
}

/// Why a cell could not be read. The caller turns it into a `cell-type` or `schema` finding.
#[derive(Debug, PartialEq)]
pub enum CellError {
    /// `cell-type`: the message and the position of the offending scalar.
    Type {
        message: String,
        hint: String,
        pos: Pos,
        raw: String,
    },
    /// `schema`: an unknown key inside `{value, note, unit}`.
    Key { key: String, pos: Pos },
}

impl Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.display())
    }
}

/// Reads a cell of `kind` from a node.
pub fn parse_cell(node: &Node, kind: CellKind) -> Result<Cell, CellError> {
    if let Value::Map(entries) = &node.value {
        let mut cell = None;
        let mut note = None;
        let mut unit = None;
        for (k, v) in entries {
            match &*k.name {
                "value" => cell = Some(parse_scalar(v, kind)?),
                "note" => note = v.scalar_text().filter(|s| !s.is_empty()),
                "unit" => {
                    if kind != CellKind::Amount {
                        return Err(CellError::Type {
                            message: "只有金额列可以写单位".into(),
                            hint: "件数列只写数字，去掉 `unit`".into(),
                            pos: k.pos,
                            raw: k.name.to_string(),
                        });
                    }
                    unit = v.scalar_text().filter(|s| !s.is_empty());
                }
                _ => {
                    return Err(CellError::Key {
                        key: k.name.to_string(),
                        pos: k.pos,
                    });
                }
            }
        }
        let mut cell = cell.unwrap_or(Cell::new(CellValue::Blank, node.pos, ""));
        cell.annotate(note, unit);
        return Ok(cell);
    }
    parse_scalar(node, kind)
}

fn kind_hint(kind: CellKind) -> &'static str {
    match kind {
        CellKind::Count => {
            "件数只写阿拉伯数字整数，如 `12`；说明写成 `{value: 22, note: 其中修订16件}`"
        }
        CellKind::Signed => "本年增/减写整数，减少写负数，如 `-4`",
        CellKind::Amount => "金额写数字，如 `96171.6`；单位写成 `{value: 75394432.52, unit: 元}`",
    }
}

fn parse_scalar(node: &Node, kind: CellKind) -> Result<Cell, CellError> {
    let blank = |v: CellValue| Ok(Cell::new(v, node.pos, node.raw));
    let type_err = |message: String| {
        Err(CellError::Type {
            message,
            hint: kind_hint(kind).to_string(),
            pos: node.pos,
            raw: node.raw.to_string(),
        })
    };
    let text = match &node.value {
        Value::Null => return blank(CellValue::Blank),
        Value::Str(s) if s.trim().is_empty() => return blank(CellValue::Blank),
        Value::Str(s) if matches!(s.trim(), "/" | "-" | "／" | "—" | "－") => {
            return blank(CellValue::NotApplicable(Text::new(s.trim())));
        }
        Value::Str(s) => s.trim(),
        Value::Int(_) | Value::Float(_) => node.raw.trim().trim_matches(['"', '\'']),
        Value::Bool(_) | Value::Seq(_) | Value::Map(_) => {
            return type_err(format!("单元格应为数字，实为{}", node.kind_name()));
        }
    };
    let Some(value) = Decimal::parse(text) else {
        return type_err(format!("“{text}”不是数字"));
    };
    match kind {
        CellKind::Count | CellKind::Signed if !value.is_whole() || text.contains('.') => {
            return type_err(format!("“{text}”不是整数：件数只能是整数"));
        }
        CellKind::Count | CellKind::Amount if value.mantissa < 0 => {
            return type_err(format!("“{text}”是负数：只有“本年增/减”可以为负"));
        }
        _ => {}
    }
    Ok(Cell::new(
        CellValue::Number {
            value,
            text: Text::new(text),
        },
        node.pos,
        node.raw,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::yaml;

    fn cell(src: &str, kind: CellKind) -> Result<Cell, CellError> {
        let text = format!("c: {src}\n");
        let root = yaml::parse(&text, 0).unwrap();
        parse_cell(&root.as_map().unwrap()[0].1, kind)
    }

    #[test]
    fn the_forms_of_the_spec() {
        assert_eq!(cell("12", CellKind::Count).unwrap().count(), Some(12));
        assert_eq!(cell("-3", CellKind::Signed).unwrap().count(), Some(-3));
        assert_eq!(
            cell("96171.6", CellKind::Amount).unwrap().display(),
            "96171.6"
        );
        assert_eq!(
            cell("7000.00", CellKind::Amount).unwrap().display(),
            "7000.00"
        );
        assert_eq!(
            cell("{value: 22, note: 其中修订16件}", CellKind::Count)
                .unwrap()
                .display(),
            "22（其中修订16件）"
        );
        assert_eq!(
            cell("{value: 75394432.52, unit: 元}", CellKind::Amount)
                .unwrap()
                .display(),
            "75394432.52元"
        );
        assert!(cell("~", CellKind::Count).unwrap().is_blank());
        assert!(cell("\"\"", CellKind::Count).unwrap().is_blank());
        assert_eq!(cell("\"/\"", CellKind::Count).unwrap().display(), "/");
        assert_eq!(
            cell("\"-\"", CellKind::Count).unwrap().value,
            CellValue::NotApplicable("-".into())
        );
    }

    #[test]
    fn counts_that_are_not_whole_numbers_are_cell_type_errors() {
        for bad in ["3.0", "\"3件\"", "\"三\"", "-3", "true", "1.5"] {
            assert!(
                matches!(cell(bad, CellKind::Count), Err(CellError::Type { .. })),
                "{bad}"
            );
        }
        assert!(matches!(
            cell("{value: 3, unit: 件}", CellKind::Count),
            Err(CellError::Type { .. })
        ));
        assert!(matches!(
            cell("{valeu: 3}", CellKind::Count),
            Err(CellError::Key { .. })
        ));
    }

    #[test]
    fn decimals_add_exactly() {
        let a = Decimal::parse("0.1").unwrap();
        let b = Decimal::parse("0.2").unwrap();
        assert_eq!(a.add(b).to_string(), "0.3");
        assert_eq!(
            Decimal::parse("7730.28")
                .unwrap()
                .add(Decimal::int(7545))
                .to_string(),
            "15275.28"
        );
        assert_eq!(Decimal::parse("-0.5").unwrap().to_string(), "-0.5");
        assert_eq!(Decimal::parse("+173").unwrap().as_int(), Some(173));
    }
}
