//! The unit (机关) a report belongs to: its name from the report's title and its kind guessed
//! from the name, for a new `_index.md`.

use unicode_width::UnicodeWidthStr;

use crate::content::UnitKind;

/// Endings of a report title after the unit's name, longest first.
const TITLE_ENDINGS: &[&str] = &[
    "政府信息公开工作年度报告",
    "政府信息公开年度报告",
    "信息公开工作年度报告",
    "政务公开工作年度报告",
    "工作年度报告",
    "年度报告",
    "年报",
];

/// "淮安市人民政府2024年政府信息公开工作年度报告" → "淮安市人民政府"; also with the year first
/// ("2024年淮安市…") or without one ("项城市人民政府花园街道办事处政府信息公开工作年度报告").
pub fn name_from_title(title: &str, year: i32) -> Option<String> {
    let t: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_matches(['《', '》', '“', '”']);
    let t = t
        .replace(&format!("{year}年度"), "")
        .replace(&format!("{year}年"), "");
    let mut name = t.as_str();
    for end in TITLE_ENDINGS {
        if let Some(n) = name.strip_suffix(end) {
            name = n;
            break;
        }
    }
    let name = name.trim_end_matches("关于").trim_end_matches('的').trim();
    (name.chars().count() >= 2 && name != t).then(|| name.to_string())
}

/// The kind a unit's name suggests: 街道办事处 → 街道, 镇/乡 → 乡镇, 局/委员会/办公室… → 部门,
/// 人民政府 → 人民政府, else 其他. The caller prints it so the user can correct it.
pub fn guess_kind(name: &str) -> UnitKind {
    let n = name.trim();
    if n.ends_with("街道办事处") || n.ends_with("街道") || n.ends_with("街道工委") {
        return UnitKind::Subdistrict;
    }
    let township = ["镇人民政府", "乡人民政府", "镇政府", "乡政府", "镇", "乡"];
    if township.iter().any(|e| n.ends_with(e)) {
        return UnitKind::Township;
    }
    let department = [
        "局",
        "厅",
        "委员会",
        "委",
        "办公室",
        "办",
        "署",
        "中心",
        "管委会",
        "支队",
        "大队",
        "处",
        "院",
        "所",
        "站",
        "部",
    ];
    if department.iter().any(|e| n.ends_with(e)) {
        return UnitKind::Department;
    }
    if n.ends_with("人民政府") || n.ends_with("政府") {
        return UnitKind::Government;
    }
    UnitKind::Other
}

fn yaml_text(s: &str) -> String {
    crate::content::writer::yaml_scalar(s)
}

/// A unit's `_index.md`.
pub fn index_md(name: &str, kind: UnitKind) -> String {
    let labels: Vec<&str> = UnitKind::ALL.iter().map(|k| k.label()).collect();
    let lines = [
        (format!("name: {}", yaml_text(name)), "单位全称".to_string()),
        (
            "# short_name: 简称".to_string(),
            "可选：页面上显示的简称".to_string(),
        ),
        (
            format!("kind: {}", kind.label()),
            format!("单位类别：{}", labels.join("、")),
        ),
        (
            "# order: 10".to_string(),
            "可选：同级单位的排列顺序，小的在前".to_string(),
        ),
    ];
    let width = lines.iter().map(|(l, _)| l.width()).max().unwrap_or(0);
    let mut s = String::from("---\n");
    for (line, comment) in lines {
        s.push_str(&format!(
            "{line}{}  # {comment}\n",
            " ".repeat(width - line.width())
        ));
    }
    s.push_str("---\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_titles() {
        assert_eq!(
            name_from_title("淮安市人民政府2024年政府信息公开工作年度报告", 2024).as_deref(),
            Some("淮安市人民政府")
        );
        assert_eq!(
            name_from_title("2024年淮安市人民政府政府信息公开工作年度报告", 2024).as_deref(),
            Some("淮安市人民政府")
        );
        assert_eq!(
            name_from_title("项城市人民政府花园街道办事处政府信息公开工作年度报告", 2020)
                .as_deref(),
            Some("项城市人民政府花园街道办事处")
        );
        assert_eq!(
            name_from_title("洪泽区人民政府 2023 年政府信息公开工作年度报告", 2023).as_deref(),
            Some("洪泽区人民政府")
        );
        assert_eq!(name_from_title("政府信息公开工作年度报告", 2023), None);
    }

    #[test]
    fn kinds_from_names() {
        assert_eq!(guess_kind("淮安市洪泽区人民政府"), UnitKind::Government);
        assert_eq!(
            guess_kind("项城市人民政府花园街道办事处"),
            UnitKind::Subdistrict
        );
        assert_eq!(guess_kind("项城市丁集镇人民政府"), UnitKind::Township);
        assert_eq!(guess_kind("淮安市人民政府办公室"), UnitKind::Department);
        assert_eq!(guess_kind("项城市发展和改革委员会"), UnitKind::Department);
        assert_eq!(guess_kind("淮安市公安局"), UnitKind::Department);
        assert_eq!(guess_kind("某某协会"), UnitKind::Other);
    }
}
