//! Table cells as published, read into the forms of report-format.md §2.
//!
//! Real reports write "+173", "减4", "75394432.52元", "22（其中修订16件）", "&nbsp;", "/" and
//! full-width digits. Each is turned into the one source form that means the same; anything
//! else is refused with a message, never guessed.

use crate::content::format::CellKind;
use crate::content::writer::CellOut;

/// Amount units seen in real reports, longest first.
const UNITS: &[&str] = &["万元", "亿元", "千元", "元"];

/// Count suffixes that add nothing to the number.
const COUNT_SUFFIXES: &[&str] = &["件"];

/// Full-width digits and signs to ASCII; every kind of space removed.
fn ascii(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200b}' && *c != '\u{feff}')
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            '，' => ',',
            '＋' => '+',
            '－' | '−' | '—' | '–' | '―' => '-',
            '／' => '/',
            '（' => '(',
            '）' => ')',
            _ => c,
        })
        .collect()
}

/// `1,234` → `1234` when the commas group thousands; `None` when they do not.
fn strip_thousands(num: &str) -> Option<String> {
    if !num.contains(',') {
        return Some(num.to_string());
    }
    let (int, frac) = num
        .split_once('.')
        .map_or((num, None), |(i, f)| (i, Some(f)));
    let groups: Vec<&str> = int.split(',').collect();
    let ok = !groups[0].is_empty()
        && groups[0].len() <= 3
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    ok.then(|| match frac {
        Some(f) => format!("{}.{f}", groups.concat()),
        None => groups.concat(),
    })
}

/// An unsigned decimal in canonical form (no leading zeros but one), or `None`.
fn decimal(num: &str) -> Option<String> {
    let num = strip_thousands(num)?;
    let (int, frac) = num
        .split_once('.')
        .map_or((num.as_str(), None), |(i, f)| (i, Some(f)));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(f) = frac
        && (f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    Some(match frac {
        Some(f) => format!("{int}.{f}"),
        None => int.to_string(),
    })
}

/// Reads the published text of a cell of `kind`. The error is a Chinese sentence saying why.
pub fn read(text: &str, kind: CellKind) -> Result<CellOut, String> {
    let shown = text.trim();
    let t = ascii(text);
    if t.is_empty() {
        return Ok(CellOut::Blank);
    }
    match t.as_str() {
        "/" | "\\" => return Ok(CellOut::NotApplicable("/")),
        "-" | "--" => return Ok(CellOut::NotApplicable("-")),
        _ => {}
    }
    // A note in brackets after the number: 22（其中修订16件）.
    if let Some(open) = t.find('(')
        && t.ends_with(')')
        && open > 0
    {
        let note = shown
            .char_indices()
            .find(|(_, c)| matches!(c, '（' | '('))
            .map(|(i, c)| {
                shown[i + c.len_utf8()..]
                    .trim_end_matches(['）', ')'])
                    .trim()
                    .to_string()
            })
            .unwrap_or_default();
        let inner = read(&t[..open], kind)?;
        return match inner {
            CellOut::Number(value) if !note.is_empty() => Ok(CellOut::Noted { value, note }),
            CellOut::Number(value) => Ok(CellOut::Number(value)),
            _ => Err(format!("“{shown}”括号前不是数字")),
        };
    }
    let (sign, body) = signed_parts(&t, kind);
    let (body, unit) = match kind {
        CellKind::Amount => match UNITS.iter().find(|u| body.ends_with(*u)) {
            Some(u) => (&body[..body.len() - u.len()], Some(*u)),
            None => (body, None),
        },
        _ => (
            COUNT_SUFFIXES
                .iter()
                .find_map(|s| body.strip_suffix(s))
                .unwrap_or(body),
            None,
        ),
    };
    let Some(value) = decimal(body) else {
        return Err(match kind {
            CellKind::Amount => format!("“{shown}”不是金额"),
            _ => format!("“{shown}”不是数字"),
        });
    };
    if kind != CellKind::Amount && value.contains('.') {
        return Err(format!("“{shown}”不是整数：件数只能是整数"));
    }
    if sign < 0 && kind != CellKind::Signed {
        return Err(format!("“{shown}”是负数：只有“本年增/减”可以为负"));
    }
    let value = if sign < 0 && value.trim_start_matches(['0', '.']).is_empty() {
        value
    } else if sign < 0 {
        format!("-{value}")
    } else {
        value
    };
    Ok(match unit {
        Some(u) => CellOut::WithUnit {
            value,
            unit: u.to_string(),
        },
        None => CellOut::Number(value),
    })
}

/// Splits a leading sign: `+173`, `-4`, and in 本年增/减 also `增5`, `减4`, `减少4`.
fn signed_parts(t: &str, kind: CellKind) -> (i8, &str) {
    if let Some(rest) = t.strip_prefix('+') {
        return (1, rest);
    }
    if let Some(rest) = t.strip_prefix('-') {
        return (-1, rest);
    }
    if kind == CellKind::Signed {
        for (word, sign) in [("减少", -1), ("增加", 1), ("减", -1), ("增", 1)] {
            if let Some(rest) = t.strip_prefix(word) {
                return (sign, rest);
            }
        }
    }
    (1, t)
}

/// Whether a cell holds a digit at all: rows of figures have them, header rows do not.
pub fn has_digit(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
}

/// Whether the text reads as a cell value (number, blank, "/" …) rather than a label.
pub fn is_value(text: &str) -> bool {
    read(text, CellKind::Amount).is_ok() || read(text, CellKind::Signed).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use CellKind::*;

    fn n(s: &str) -> CellOut {
        CellOut::Number(s.into())
    }

    #[test]
    fn the_real_variants() {
        assert_eq!(read("+173", Signed), Ok(n("173")));
        assert_eq!(read("减4", Signed), Ok(n("-4")));
        assert_eq!(read("-4", Signed), Ok(n("-4")));
        assert_eq!(read("增 5", Signed), Ok(n("5")));
        assert_eq!(
            read("75394432.52元", Amount),
            Ok(CellOut::WithUnit {
                value: "75394432.52".into(),
                unit: "元".into()
            })
        );
        assert_eq!(
            read("12.5万元", Amount),
            Ok(CellOut::WithUnit {
                value: "12.5".into(),
                unit: "万元".into()
            })
        );
        assert_eq!(
            read("22（其中修订16件）", Count),
            Ok(CellOut::Noted {
                value: "22".into(),
                note: "其中修订16件".into()
            })
        );
        assert_eq!(read("\u{a0}", Count), Ok(CellOut::Blank));
        assert_eq!(read("", Count), Ok(CellOut::Blank));
        assert_eq!(read("/", Count), Ok(CellOut::NotApplicable("/")));
        assert_eq!(read("－", Count), Ok(CellOut::NotApplicable("-")));
        assert_eq!(read("-", Count), Ok(CellOut::NotApplicable("-")));
        assert_eq!(read("\u{3000}\u{3000}0", Count), Ok(n("0")));
        assert_eq!(read("0\u{a0}", Count), Ok(n("0")));
        assert_eq!(read("１２", Count), Ok(n("12")));
        assert_eq!(read("1,234", Count), Ok(n("1234")));
        assert_eq!(read("96171.6", Amount), Ok(n("96171.6")));
        assert_eq!(read("7000.00", Amount), Ok(n("7000.00")));
        assert_eq!(read("3件", Count), Ok(n("3")));
    }

    #[test]
    fn what_is_not_read() {
        for (bad, kind) in [
            ("1O", Count),
            ("三", Count),
            ("3.5", Count),
            ("-4", Count),
            ("减4", Count),
            ("12,34", Count),
            ("abc", Amount),
            ("7000美元", Amount),
        ] {
            assert!(read(bad, kind).is_err(), "{bad}");
        }
    }

    #[test]
    fn values_and_labels() {
        assert!(is_value("0"));
        assert!(is_value("+173"));
        assert!(is_value(""));
        assert!(!is_value("规章"));
        assert!(!is_value("1.属于国家秘密"));
        assert!(has_digit("１"));
        assert!(!has_digit("第二十条第（一）项"));
    }
}
