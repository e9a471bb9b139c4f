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
    "政府信息公开工作报告",
    "信息公开工作报告",
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
    // "…年度报告（2021年）": the brackets the year leaves empty go too.
    let t = ["（）", "()", "【】", "[]", "〔〕"]
        .iter()
        .fold(t, |t, empty| t.replace(empty, ""));
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

/// Endings of the name of an area run by a 管委会 (综合实验区, 新区, 开发区 …): such a unit
/// publishes the area's own report, which has the 人民政府 deadline (31 March).
const AREAS: &[&str] = &[
    "实验区",
    "试验区",
    "示范区",
    "新区",
    "开发区",
    "高新区",
    "产业园区",
    "工业园区",
    "园区",
    "合作区",
    "自贸区",
    "保税区",
    "管理区",
    "经济区",
    "度假区",
    "风景区",
    "名胜区",
    "林区",
    "垦区",
];

/// Endings of the name of a 管委会 itself.
const AREA_BOARDS: &[&str] = &["管委会", "管理委员会", "工委管委会", "党工委管委会"];

/// Endings of an administrative division's name: a report named after the area alone
/// ("淮安市洪泽区2023年…") is the area's own report.
const DIVISIONS: &[&str] = &["市", "县", "区", "旗", "自治州", "州", "盟"];

/// A guessed kind and why, for the message that asks the user to check it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindGuess {
    pub kind: UnitKind,
    /// "“…实验区”是由管委会管理的区域，发布本区域的报告", shown beside the guess.
    pub why: String,
}

/// The kind a unit's name suggests: 街道办事处 → 街道, 镇/乡 → 乡镇, an area run by a
/// 管委会 (综合实验区, 新区, 开发区 …, or its 管委会) or a division named alone → 人民政府,
/// 局/委员会/办公室… → 部门, 人民政府 → 人民政府, else 其他. It is a guess: the caller says so and
/// how to correct it in `_index.md`.
pub fn guess_kind(name: &str) -> UnitKind {
    guess_kind_why(name).kind
}

/// [`guess_kind`] with the reason.
pub fn guess_kind_why(name: &str) -> KindGuess {
    let n = name.trim();
    let guess = |kind: UnitKind, why: String| KindGuess { kind, why };
    if let Some(e) = ["街道办事处", "街道", "街道工委"]
        .iter()
        .find(|e| n.ends_with(*e))
    {
        return guess(UnitKind::Subdistrict, format!("名称以“{e}”结尾"));
    }
    let township = ["镇人民政府", "乡人民政府", "镇政府", "乡政府", "镇", "乡"];
    if let Some(e) = township.iter().find(|e| n.ends_with(*e)) {
        return guess(UnitKind::Township, format!("名称以“{e}”结尾"));
    }
    let area = AREA_BOARDS
        .iter()
        .find_map(|b| n.strip_suffix(b))
        .unwrap_or(n);
    if let Some(e) = AREAS.iter().find(|e| area.ends_with(*e)) {
        return guess(
            UnitKind::Government,
            format!(
                "“{e}”是由管委会管理的区域，按发布本区域报告的单位对待，报告期限为次年 3 月 31 日"
            ),
        );
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
    if let Some(e) = department.iter().find(|e| n.ends_with(*e)) {
        return guess(UnitKind::Department, format!("名称以“{e}”结尾"));
    }
    if let Some(e) = ["人民政府", "政府"].iter().find(|e| n.ends_with(*e)) {
        return guess(UnitKind::Government, format!("名称以“{e}”结尾"));
    }
    if let Some(e) = DIVISIONS.iter().find(|e| n.ends_with(*e)) {
        return guess(
            UnitKind::Government,
            format!("名称是行政区域（以“{e}”结尾），按本级人民政府的报告对待"),
        );
    }
    guess(UnitKind::Other, "名称看不出单位类别".to_string())
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
        assert_eq!(
            name_from_title("某某区人民政府政府信息公开工作年度报告（2021年）", 2021).as_deref(),
            Some("某某区人民政府")
        );
        assert_eq!(
            name_from_title("某某县卫生健康局2022年度政府信息公开工作报告", 2022).as_deref(),
            Some("某某县卫生健康局")
        );
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

    #[test]
    fn areas_run_by_a_board_publish_the_area_report() {
        // Issue 11.8: a region's own report has the 31 March deadline.
        for name in [
            "平潭综合实验区",
            "平潭综合实验区管委会",
            "某某经济技术开发区管理委员会",
            "某某高新区",
            "某某新区",
            "淮安市洪泽区",
        ] {
            let g = guess_kind_why(name);
            assert_eq!(g.kind, UnitKind::Government, "{name}");
            assert!(!g.why.is_empty());
        }
        // Its departments stay departments; a city board is a department.
        assert_eq!(guess_kind("平潭综合实验区行政审批局"), UnitKind::Department);
        assert_eq!(guess_kind("某某开发区管委会办公室"), UnitKind::Department);
        assert_eq!(guess_kind("某某市城市管理委员会"), UnitKind::Department);
    }
}
