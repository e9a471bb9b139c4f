//! Table cells: the forms of report-format.md §2, read from the YAML tree.

use serde::Serialize;
use std::borrow::Cow;

use super::format::CellKind;
use super::yaml::{Node, Pos, Value};

/// An exact decimal: `mantissa / 10^scale`. Amounts are summed for region totals without float
/// rounding and printed as written.
///
/// Cells hold values within [`MAX_COUNT_DIGITS`], [`MAX_AMOUNT_DIGITS`] and [`MAX_AMOUNT_SCALE`],
/// so a sum of any number of them a site could hold fits the `i128` exactly. (A `Decimal` is
/// never stored in bulk — a cell keeps a 64-bit mantissa and boxes the rare larger value — so it
/// is laid out plainly: packing it to 8-byte alignment saved nothing.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Decimal {
    pub mantissa: i128,
    pub scale: u32,
}

/// The largest count a cell accepts has 12 digits (999 999 999 999): nearly a thousand times
/// China's population, far more requests, decisions or documents than any office could have in a
/// year, and still far inside what a chart (`f64`) or a browser holds exactly (2^53), and what
/// the checks' 64-bit sums can add up without overflow.
pub const MAX_COUNT_DIGITS: usize = 12;

/// Amounts (本年收费金额, 采购总金额) accept up to 15 digits before the point: a quadrillion yuan is
/// beyond any budget in 元 or 万元.
pub const MAX_AMOUNT_DIGITS: usize = 15;

/// Amounts accept up to 6 digits after the point: an amount in 万元 written to the 分.
pub const MAX_AMOUNT_SCALE: usize = 6;

/// The parts of a decimal numeral: `-12` → (true, "12", ""), `96171.6` → (false, "96171", "6");
/// `None` for anything else (`3.`, `.5`, `1e3`, `三`).
fn numeral(s: &str) -> Option<(bool, &str, &str)> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (int, frac) = match body.split_once('.') {
        Some((_, "")) => return None,
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    (!int.is_empty() && digits(int) && digits(frac)).then_some((neg, int, frac))
}

/// `10^exp`, or `None` beyond `i128` (only for values no cell holds).
fn pow10(exp: u32) -> Option<i128> {
    10i128.checked_pow(exp)
}

impl Decimal {
    pub fn int(v: i64) -> Decimal {
        Decimal {
            mantissa: v as i128,
            scale: 0,
        }
    }

    /// Parses `-12`, `+173`, `96171.6`; nothing else, and nothing beyond `i128`.
    pub fn parse(s: &str) -> Option<Decimal> {
        let (neg, int, frac) = numeral(s.trim())?;
        let mut m: i128 = 0;
        for d in int.bytes().chain(frac.bytes()) {
            m = m.checked_mul(10)?.checked_add(i128::from(d - b'0'))?;
        }
        Some(Decimal {
            mantissa: if neg { -m } else { m },
            scale: u32::try_from(frac.len()).ok()?,
        })
    }

    pub fn is_whole(&self) -> bool {
        match pow10(self.scale) {
            Some(p) => self.mantissa % p == 0,
            None => self.mantissa == 0,
        }
    }

    /// The value as a whole number, when it is one.
    pub fn as_int(&self) -> Option<i64> {
        if self.scale == 0 {
            return i64::try_from(self.mantissa).ok();
        }
        if self.is_whole() {
            i64::try_from(self.mantissa / pow10(self.scale)?).ok()
        } else {
            None
        }
    }

    /// The mantissa at a finer `scale`. Within the cell bounds this is below 10^21 and sums of
    /// such values stay far inside `i128`, so `add` and `sub` cannot overflow for cell values.
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
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let a = self.mantissa.unsigned_abs();
        // Beyond 10^38 the whole mantissa is fraction.
        let (int, frac) = match pow10(self.scale) {
            Some(p) => (a / p.unsigned_abs(), a % p.unsigned_abs()),
            None => (0, a),
        };
        write!(f, "{sign}{int}.{frac:0width$}", width = self.scale as usize)
    }
}

/// The not-applicable marks a cell may hold, printed as written.
const MARKS: [&str; 5] = ["/", "-", "／", "—", "－"];

/// Whether `text`, which [`Decimal::parse`] read as `value`, is how `value` prints: no `+`, no
/// leading zero, no `-0`. (Comparing against `value.to_string()` cost a twentieth of a check.)
fn is_canonical(text: &str, value: Decimal) -> bool {
    let digits = match text.as_bytes().first() {
        Some(b'+') => return false,
        Some(b'-') if value.mantissa == 0 => return false,
        Some(b'-') => &text[1..],
        _ => text,
    };
    let int = digits.split('.').next().unwrap_or("");
    let canonical = !(int.len() > 1 && int.starts_with('0'));
    debug_assert_eq!(canonical, value.to_string() == text, "{text}");
    canonical
}

/// What a cell holds, as a view borrowed from the [`Cell`].
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue<'a> {
    /// A number, with the text exactly as written.
    Number { value: Decimal, text: Cow<'a, str> },
    /// `~`, `""` or missing value.
    Blank,
    /// `"/"` or `"-"`, printed as written.
    NotApplicable(&'a str),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    Blank,
    Number,
    /// `mantissa` is the index of the mark in [`MARKS`].
    NotApplicable,
}

/// One table cell: 32 bytes. A build holds every report's ~200 cells, so the cell keeps a
/// number as a 64-bit mantissa and scale and prints its text from them; only what cannot be
/// printed back (`+173`, `007`, a quoted `"3"`, a note or unit, a value beyond 64 bits) goes to
/// a side allocation, which a usual report never needs. (At 64 bytes a cell, cells were half of a
/// check's memory.)
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    mantissa: i64,
    pub pos: Pos,
    extra: Option<Box<Extra>>,
    tag: Tag,
    scale: u8,
}

#[derive(Clone, Debug, PartialEq, Default)]
struct Extra {
    note: Option<String>,
    unit: Option<String>,
    /// The value as written (quotes included), when it differs from the printed text; see
    /// [`Cell::raw`].
    raw: Option<Box<str>>,
    /// The number's text when it is not the canonical form of its value (`+173`, `007`).
    text: Option<Box<str>>,
    /// A value whose mantissa or scale does not fit the cell.
    big: Option<Decimal>,
}

impl Cell {
    fn blank(pos: Pos) -> Cell {
        Cell {
            mantissa: 0,
            pos,
            extra: None,
            tag: Tag::Blank,
            scale: 0,
        }
    }

    /// A cell read from the source, whose value was written as `raw`.
    fn read(tag: Tag, value: Decimal, text: &str, pos: Pos, raw: &str) -> Cell {
        let mut cell = Cell::blank(pos);
        cell.tag = tag;
        let mut extra = Extra::default();
        match tag {
            Tag::Blank => {}
            Tag::NotApplicable => {
                cell.mantissa = MARKS.iter().position(|m| *m == text).unwrap_or(0) as i64;
            }
            Tag::Number => {
                match (i64::try_from(value.mantissa), u8::try_from(value.scale)) {
                    (Ok(m), Ok(s)) => {
                        cell.mantissa = m;
                        cell.scale = s;
                    }
                    _ => extra.big = Some(value),
                }
                if !is_canonical(text, value) {
                    extra.text = Some(text.into());
                }
            }
        }
        let printed = match tag {
            Tag::Blank => "",
            _ => text,
        };
        if printed != raw {
            extra.raw = Some(raw.into());
        }
        if extra != Extra::default() {
            cell.extra = Some(Box::new(extra));
        }
        cell
    }

    /// What the cell holds.
    pub fn value(&self) -> CellValue<'_> {
        match self.tag {
            Tag::Blank => CellValue::Blank,
            Tag::NotApplicable => CellValue::NotApplicable(MARKS[self.mantissa as usize]),
            Tag::Number => CellValue::Number {
                value: self.decimal(),
                text: self.number_text(),
            },
        }
    }

    fn decimal(&self) -> Decimal {
        match self.extra.as_ref().and_then(|e| e.big) {
            Some(big) => big,
            None => Decimal {
                mantissa: i128::from(self.mantissa),
                scale: u32::from(self.scale),
            },
        }
    }

    fn number_text(&self) -> Cow<'_, str> {
        match self.extra.as_ref().and_then(|e| e.text.as_deref()) {
            Some(t) => Cow::Borrowed(t),
            None => Cow::Owned(self.decimal().to_string()),
        }
    }

    /// The value exactly as written in the source (`"3"`, `~`, `7000.00`), for the caret under it.
    pub fn raw(&self) -> Cow<'_, str> {
        if let Some(raw) = self.extra.as_ref().and_then(|e| e.raw.as_deref()) {
            return Cow::Borrowed(raw);
        }
        match self.value() {
            CellValue::Number { text, .. } => text,
            CellValue::NotApplicable(mark) => Cow::Borrowed(mark),
            CellValue::Blank => Cow::Borrowed(""),
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
        (self.tag == Tag::Number).then(|| self.decimal())
    }

    pub fn count(&self) -> Option<i64> {
        if self.tag != Tag::Number {
            return None;
        }
        if self.scale == 0 && self.extra.as_ref().is_none_or(|e| e.big.is_none()) {
            return Some(self.mantissa);
        }
        self.decimal().as_int()
    }

    /// How the cell is printed: value as written, unit, then the note in full-width brackets.
    pub fn display(&self) -> String {
        let mut s = match self.value() {
            CellValue::Number { text, .. } => text.into_owned(),
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
        self.tag != Tag::Number
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
        let mut cell = cell.unwrap_or(Cell::blank(node.pos));
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
    let blank = |tag: Tag, text: &str| {
        Ok(Cell::read(
            tag,
            Decimal::default(),
            text,
            node.pos,
            node.raw,
        ))
    };
    let err = |message: String, hint: String| {
        Err(CellError::Type {
            message,
            hint,
            pos: node.pos,
            raw: node.raw.to_string(),
        })
    };
    let type_err = |message: String| err(message, kind_hint(kind).to_string());
    let text = match &node.value {
        Value::Null => return blank(Tag::Blank, ""),
        Value::Str(s) if s.trim().is_empty() => return blank(Tag::Blank, ""),
        Value::Str(s) if MARKS.contains(&s.trim()) => {
            return blank(Tag::NotApplicable, s.trim());
        }
        Value::Str(s) => s.trim(),
        Value::Int(_) | Value::Float(_) => node.raw.trim().trim_matches(['"', '\'']),
        Value::Bool(_) | Value::Seq(_) | Value::Map(_) => {
            return type_err(format!("单元格应为数字，实为{}", node.kind_name()));
        }
    };
    let Some((negative, int, frac)) = numeral(text) else {
        return type_err(format!("“{text}”不是数字"));
    };
    let zero = int.bytes().chain(frac.bytes()).all(|b| b == b'0');
    let digits = int.trim_start_matches('0').len();
    match kind {
        CellKind::Count | CellKind::Signed if text.contains('.') => {
            return type_err(format!("“{text}”不是整数：件数只能是整数"));
        }
        CellKind::Count | CellKind::Amount if negative && !zero => {
            return type_err(format!("“{text}”是负数：只有“本年增/减”可以为负"));
        }
        CellKind::Count | CellKind::Signed if digits > MAX_COUNT_DIGITS => {
            return err(
                format!("“{text}”超出件数上限：有 {digits} 位，件数最多 {MAX_COUNT_DIGITS} 位"),
                format!(
                    "件数不超过 {}，核对是否多写或粘连了数字",
                    "9".repeat(MAX_COUNT_DIGITS)
                ),
            );
        }
        CellKind::Amount if frac.len() > MAX_AMOUNT_SCALE => {
            return err(
                format!(
                    "“{text}”有 {} 位小数：金额最多写到小数点后 {MAX_AMOUNT_SCALE} 位",
                    frac.len()
                ),
                "按原文的精度写金额，如 `96171.6`；以万元为单位时精确到分也只需 6 位小数".into(),
            );
        }
        CellKind::Amount if digits > MAX_AMOUNT_DIGITS => {
            return err(
                format!(
                    "“{text}”超出金额上限：整数部分有 {digits} 位，最多 {MAX_AMOUNT_DIGITS} 位"
                ),
                "核对是否多写或粘连了数字，或改用更大的单位，如 `{value: 7539.44, unit: 万元}`"
                    .into(),
            );
        }
        _ => {}
    }
    // Within the bounds above a numeral has at most 21 digits, well inside `i128`.
    let Some(value) = Decimal::parse(text) else {
        return type_err(format!("“{text}”不是数字"));
    };
    Ok(Cell::read(Tag::Number, value, text, node.pos, node.raw))
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
            cell("\"-\"", CellKind::Count).unwrap().value(),
            CellValue::NotApplicable("-")
        );
    }

    #[test]
    fn cells_print_and_quote_exactly_what_was_written() {
        // (source, printed, raw under the caret)
        for (src, kind, printed, raw) in [
            ("12", CellKind::Count, "12", "12"),
            ("+173", CellKind::Signed, "+173", "+173"),
            ("-4", CellKind::Signed, "-4", "-4"),
            ("007", CellKind::Count, "007", "007"),
            ("\"3\"", CellKind::Count, "3", "\"3\""),
            ("7000.00", CellKind::Amount, "7000.00", "7000.00"),
            ("0.5", CellKind::Amount, "0.5", "0.5"),
            (
                "123456789012345.123456",
                CellKind::Amount,
                "123456789012345.123456",
                "123456789012345.123456",
            ),
            ("\"／\"", CellKind::Count, "／", "\"／\""),
            ("\"—\"", CellKind::Count, "—", "\"—\""),
            ("~", CellKind::Count, "", "~"),
        ] {
            let c = cell(src, kind).unwrap();
            assert_eq!(c.display(), printed, "{src}");
            assert_eq!(c.raw(), raw, "{src}");
        }
        let big = cell("123456789012345.123456", CellKind::Amount).unwrap();
        assert_eq!(big.number(), Decimal::parse("123456789012345.123456"));
        assert_eq!(cell("+173", CellKind::Signed).unwrap().count(), Some(173));
        assert_eq!(
            cell("7000.00", CellKind::Amount).unwrap().count(),
            Some(7000)
        );
        assert_eq!(cell("\"/\"", CellKind::Count).unwrap().count(), None);
    }

    #[test]
    fn canonical_text_is_what_the_value_prints() {
        for t in [
            "0", "-0", "+0", "7", "007", "0.5", "00.5", "-0.0", "-0.5", "+1", "10", "100.00", "-12",
        ] {
            let v = Decimal::parse(t).unwrap();
            assert_eq!(is_canonical(t, v), v.to_string() == t, "{t}");
        }
    }

    /// Decimals beyond what a cell accepts (a scale past 10^38) still print and compare without
    /// overflowing, and the largest amounts a cell accepts add up exactly.
    #[test]
    fn decimals_never_overflow() {
        let tiny = format!("0.{}1", "0".repeat(40));
        let d = Decimal::parse(&tiny).unwrap();
        assert_eq!(d.to_string(), tiny);
        assert!(!d.is_whole());
        assert_eq!(d.as_int(), None);
        assert!(
            Decimal::parse(&format!("0.{}", "0".repeat(50)))
                .unwrap()
                .is_whole()
        );
        assert_eq!(Decimal::parse(&"9".repeat(40)), None);

        let max = Decimal::parse("999999999999999.999999").unwrap();
        let total = (0..1000).fold(Decimal::default(), |t, _| t.add(max));
        assert_eq!(total.to_string(), "999999999999999999.999000");
        assert_eq!(total.sub(total).to_string(), "0.000000");
    }

    /// A build holds every report's ~200 cells: the size is part of the design.
    #[test]
    fn a_cell_is_32_bytes() {
        assert_eq!(std::mem::size_of::<Cell>(), 32);
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
