//! The two national report formats as data.
//!
//! Every table, row, column, verbatim label, cell kind and arithmetic identity is written down
//! once here. The validator, the renderer and the importer all walk these tables instead of
//! repeating per-row code, so a wording fix or a new format is a change in one place.

use crate::diagnostic::Rule;
use serde::Serialize;

/// Which national format a report follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Format {
    /// 国办公开办函〔2019〕60号《年度报告格式（试行）》, report years 2019 and 2020.
    F2019,
    /// 国办公开办函〔2021〕30号, report years 2021 onwards.
    F2021,
}

impl Format {
    /// The format a report of `year` follows when it does not say.
    pub fn default_for_year(year: i32) -> Format {
        if year <= 2020 {
            Format::F2019
        } else {
            Format::F2021
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Format::F2019 => "2019",
            Format::F2021 => "2021",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        match s.trim() {
            "2019" => Some(Format::F2019),
            "2021" => Some(Format::F2021),
            _ => None,
        }
    }

    /// The notice that defines the format, as printed in the site's explanations.
    pub fn notice(self) -> &'static str {
        match self {
            Format::F2019 => "国办公开办函〔2019〕60号",
            Format::F2021 => "国办公开办函〔2021〕30号",
        }
    }

    pub fn spec(self) -> &'static FormatSpec {
        match self {
            Format::F2019 => &F2019,
            Format::F2021 => &F2021,
        }
    }
}

/// What a cell may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum CellKind {
    /// A whole number ≥ 0.
    Count,
    /// A whole number that may be negative (本年增/减).
    Signed,
    /// A decimal amount, shown exactly as written; may carry a unit.
    Amount,
}

#[derive(Debug)]
pub struct Column {
    pub label: &'static str,
    pub kind: CellKind,
}

/// Identifies the three tables of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum TableId {
    Active,
    Applications,
    Appeals,
}

impl TableId {
    pub const ALL: [TableId; 3] = [TableId::Active, TableId::Applications, TableId::Appeals];

    /// The YAML key of the table in the report front matter.
    pub fn key(self) -> &'static str {
        match self {
            TableId::Active => "active",
            TableId::Applications => "applications",
            TableId::Appeals => "appeals",
        }
    }

    /// The official section heading the table belongs under.
    pub fn heading(self) -> &'static str {
        match self {
            TableId::Active => "二、主动公开政府信息情况",
            TableId::Applications => "三、收到和处理政府信息公开申请情况",
            TableId::Appeals => "四、政府信息公开行政复议、行政诉讼情况",
        }
    }

    /// The section numeral (二 = 2 …) the table sits under.
    pub fn section(self) -> u8 {
        match self {
            TableId::Active => 2,
            TableId::Applications => 3,
            TableId::Appeals => 4,
        }
    }

    /// Short name used in diagnostics: 表二 …
    pub fn short(self) -> &'static str {
        match self {
            TableId::Active => "表二",
            TableId::Applications => "表三",
            TableId::Appeals => "表四",
        }
    }
}

/// One row of a table.
#[derive(Debug)]
pub struct Row {
    /// Dotted YAML path, e.g. `withheld.state_secret`.
    pub key: &'static str,
    /// The row's own label as printed, e.g. `1.属于国家秘密`.
    pub label: &'static str,
    /// A merged group label printed to the left, e.g. `（三）不予公开`.
    pub group: Option<&'static str>,
    /// Short full name for messages and open data, e.g. `（三）不予公开·1.属于国家秘密`.
    pub name: &'static str,
    /// A single cell written as a scalar rather than a sequence (2021 表二 处理决定数量).
    pub scalar: bool,
    /// Index into the table's column sets.
    pub columns: &'static [Column],
    /// An outcome row of 表三 (counts into （七）总计).
    pub outcome: bool,
    /// 表二 block (第二十条第（一）项 …) the row is printed in.
    pub block: Option<&'static str>,
}

/// An arithmetic identity (勾稽关系), checked by the validator and printed nowhere else.
#[derive(Debug)]
pub enum Identity {
    /// For every column `c`: `sum(lhs rows)[c] == sum(rhs rows)[c]`. The finding points at the
    /// cell of `target` (which must be in `rhs`), whose expected value is derived from the rest.
    Columns {
        code: Rule,
        lhs: &'static [&'static str],
        rhs: &'static [&'static str],
        target: &'static str,
        /// How the expected value was derived, for the message: `一+二−（七）总计`.
        explain: &'static str,
    },
    /// For every column `c`: `target[c] == sum(rows marked outcome)[c]`.
    Outcomes {
        code: Rule,
        target: &'static str,
        explain: &'static str,
    },
    /// For every row: `cell[total] == sum(cell[parts])`.
    RowTotal {
        code: Rule,
        parts: std::ops::Range<usize>,
        total: usize,
        explain: &'static str,
    },
}

impl Identity {
    pub fn code(&self) -> Rule {
        match self {
            Identity::Columns { code, .. }
            | Identity::Outcomes { code, .. }
            | Identity::RowTotal { code, .. } => *code,
        }
    }
}

#[derive(Debug)]
pub struct TableSpec {
    pub id: TableId,
    pub rows: &'static [Row],
    pub identities: &'static [Identity],
}

impl TableSpec {
    pub fn row(&self, key: &str) -> Option<(usize, &'static Row)> {
        self.rows.iter().enumerate().find(|(_, r)| r.key == key)
    }

    /// The widest column set of the table (every row of 表三/表四 has the same).
    pub fn max_columns(&self) -> usize {
        self.rows.iter().map(|r| r.columns.len()).max().unwrap_or(0)
    }
}

#[derive(Debug)]
pub struct FormatSpec {
    pub format: Format,
    pub active: TableSpec,
    pub applications: TableSpec,
    pub appeals: TableSpec,
}

impl FormatSpec {
    pub fn table(&self, id: TableId) -> &TableSpec {
        match id {
            TableId::Active => &self.active,
            TableId::Applications => &self.applications,
            TableId::Appeals => &self.appeals,
        }
    }

    pub fn tables(&self) -> [&TableSpec; 3] {
        [&self.active, &self.applications, &self.appeals]
    }
}

// ---------------------------------------------------------------------------------------------
// Columns

const fn count(label: &'static str) -> Column {
    Column {
        label,
        kind: CellKind::Count,
    }
}
const fn signed(label: &'static str) -> Column {
    Column {
        label,
        kind: CellKind::Signed,
    }
}
const fn amount(label: &'static str) -> Column {
    Column {
        label,
        kind: CellKind::Amount,
    }
}

const C21_DOCS: &[Column] = &[
    count("本年制发件数"),
    count("本年废止件数"),
    count("现行有效件数"),
];
const C21_DECISIONS: &[Column] = &[count("本年处理决定数量")];
const C21_FEES: &[Column] = &[amount("本年收费金额（单位：万元）")];

const C19_DOCS: &[Column] = &[
    count("本年新制作数量"),
    count("本年新公开数量"),
    count("对外公开总数量"),
];
const C19_ITEMS: &[Column] = &[
    count("上一年项目数量"),
    signed("本年增/减"),
    count("处理决定数量"),
];
const C19_FEES: &[Column] = &[count("上一年项目数量"), signed("本年增/减")];
const C19_PROCUREMENT: &[Column] = &[count("采购项目数量"), amount("采购总金额")];

/// 表三 columns: 申请人情况.
pub const APPLICANTS: &[Column] = &[
    count("自然人"),
    count("商业企业"),
    count("科研机构"),
    count("社会公益组织"),
    count("法律服务机构"),
    count("其他"),
    count("总计"),
];

/// 表四 columns, the same for each of the three row groups.
pub const APPEAL_RESULTS: &[Column] = &[
    count("结果维持"),
    count("结果纠正"),
    count("其他结果"),
    count("尚未审结"),
    count("总计"),
];

/// The verbatim corner note of 表三.
pub const T3_CORNER: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

pub const BLOCK_1: &str = "第二十条第（一）项";
pub const BLOCK_5: &str = "第二十条第（五）项";
pub const BLOCK_6: &str = "第二十条第（六）项";
pub const BLOCK_8: &str = "第二十条第（八）项";
pub const BLOCK_9: &str = "第二十条第（九）项";

// ---------------------------------------------------------------------------------------------
// Rows

macro_rules! row {
    ($key:literal, $label:literal, $group:expr, $name:literal, $cols:expr, outcome) => {
        Row {
            key: $key,
            label: $label,
            group: $group,
            name: $name,
            scalar: false,
            columns: $cols,
            outcome: true,
            block: None,
        }
    };
    ($key:literal, $label:literal, $group:expr, $name:literal, $cols:expr) => {
        Row {
            key: $key,
            label: $label,
            group: $group,
            name: $name,
            scalar: false,
            columns: $cols,
            outcome: false,
            block: None,
        }
    };
}

macro_rules! active {
    ($key:literal, $label:literal, $cols:expr, $block:expr) => {
        Row {
            key: $key,
            label: $label,
            group: None,
            name: $label,
            scalar: false,
            columns: $cols,
            outcome: false,
            block: Some($block),
        }
    };
    ($key:literal, $label:literal, $cols:expr, $block:expr, scalar) => {
        Row {
            key: $key,
            label: $label,
            group: None,
            name: $label,
            scalar: true,
            columns: $cols,
            outcome: false,
            block: Some($block),
        }
    };
}

const G3: Option<&str> = Some("（三）不予公开");
const G4: Option<&str> = Some("（四）无法提供");
const G5: Option<&str> = Some("（五）不予处理");
const G6: Option<&str> = Some("（六）其他处理");

/// 表三's rows: those before （六） and after it are the same in both formats; only （六）其他处理
/// differs (one row in 2019, three in 2021), so each format passes its own （六） rows.
macro_rules! t3_rows {
    ($($six:expr),+ $(,)?) => {
        [
            row!("new", "一、本年新收政府信息公开申请数量", None, "一、本年新收政府信息公开申请数量", APPLICANTS),
            row!("carried_over", "二、上年结转政府信息公开申请数量", None, "二、上年结转政府信息公开申请数量", APPLICANTS),
            row!("granted", "（一）予以公开", None, "（一）予以公开", APPLICANTS, outcome),
            row!("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None, "（二）部分公开", APPLICANTS, outcome),
            row!("withheld.state_secret", "1.属于国家秘密", G3, "（三）不予公开·1.属于国家秘密", APPLICANTS, outcome),
            row!("withheld.prohibited", "2.其他法律行政法规禁止公开", G3, "（三）不予公开·2.其他法律行政法规禁止公开", APPLICANTS, outcome),
            row!("withheld.safety", "3.危及“三安全一稳定”", G3, "（三）不予公开·3.危及“三安全一稳定”", APPLICANTS, outcome),
            row!("withheld.third_party", "4.保护第三方合法权益", G3, "（三）不予公开·4.保护第三方合法权益", APPLICANTS, outcome),
            row!("withheld.internal", "5.属于三类内部事务信息", G3, "（三）不予公开·5.属于三类内部事务信息", APPLICANTS, outcome),
            row!("withheld.process", "6.属于四类过程性信息", G3, "（三）不予公开·6.属于四类过程性信息", APPLICANTS, outcome),
            row!("withheld.enforcement", "7.属于行政执法案卷", G3, "（三）不予公开·7.属于行政执法案卷", APPLICANTS, outcome),
            row!("withheld.query", "8.属于行政查询事项", G3, "（三）不予公开·8.属于行政查询事项", APPLICANTS, outcome),
            row!("unavailable.not_held", "1.本机关不掌握相关政府信息", G4, "（四）无法提供·1.本机关不掌握相关政府信息", APPLICANTS, outcome),
            row!("unavailable.needs_creation", "2.没有现成信息需要另行制作", G4, "（四）无法提供·2.没有现成信息需要另行制作", APPLICANTS, outcome),
            row!("unavailable.unclear", "3.补正后申请内容仍不明确", G4, "（四）无法提供·3.补正后申请内容仍不明确", APPLICANTS, outcome),
            row!("not_processed.complaint", "1.信访举报投诉类申请", G5, "（五）不予处理·1.信访举报投诉类申请", APPLICANTS, outcome),
            row!("not_processed.duplicate", "2.重复申请", G5, "（五）不予处理·2.重复申请", APPLICANTS, outcome),
            row!("not_processed.publication", "3.要求提供公开出版物", G5, "（五）不予处理·3.要求提供公开出版物", APPLICANTS, outcome),
            row!("not_processed.excessive", "4.无正当理由大量反复申请", G5, "（五）不予处理·4.无正当理由大量反复申请", APPLICANTS, outcome),
            row!("not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息", G5, "（五）不予处理·5.要求行政机关确认或重新出具已获取信息", APPLICANTS, outcome),
            $($six,)+
            row!("total", "（七）总计", None, "（七）总计", APPLICANTS),
            row!("carried_forward", "四、结转下年度继续办理", None, "四、结转下年度继续办理", APPLICANTS),
        ]
    };
}

const T3_2019: [Row; 23] = t3_rows!(row!(
    "other",
    "（六）其他处理",
    None,
    "（六）其他处理",
    APPLICANTS,
    outcome
));

const T3_2021: [Row; 25] = t3_rows!(
    row!(
        "other.no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        G6,
        "（六）其他处理·1.申请人无正当理由逾期不补正",
        APPLICANTS,
        outcome
    ),
    row!(
        "other.unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        G6,
        "（六）其他处理·2.申请人逾期未按收费通知要求缴纳费用",
        APPLICANTS,
        outcome
    ),
    row!(
        "other.other",
        "3.其他",
        G6,
        "（六）其他处理·3.其他",
        APPLICANTS,
        outcome
    ),
);

const T3_IDENTITIES: &[Identity] = &[
    Identity::Columns {
        code: Rule::T3Balance,
        lhs: &["new", "carried_over"],
        rhs: &["total", "carried_forward"],
        target: "carried_forward",
        explain: "一+二−（七）总计",
    },
    Identity::Outcomes {
        code: Rule::T3Outcomes,
        target: "total",
        explain: "各办理结果之和",
    },
    Identity::RowTotal {
        code: Rule::T3RowTotal,
        parts: 0..6,
        total: 6,
        explain: "各类申请人之和",
    },
];

const T4_ROWS: &[Row] = &[
    row!("review", "行政复议", None, "行政复议", APPEAL_RESULTS),
    row!(
        "litigation",
        "未经复议直接起诉",
        Some("行政诉讼"),
        "行政诉讼·未经复议直接起诉",
        APPEAL_RESULTS
    ),
    row!(
        "litigation_after_review",
        "复议后起诉",
        Some("行政诉讼"),
        "行政诉讼·复议后起诉",
        APPEAL_RESULTS
    ),
];

const T4_IDENTITIES: &[Identity] = &[Identity::RowTotal {
    code: Rule::T4Total,
    parts: 0..4,
    total: 4,
    explain: "结果维持+结果纠正+其他结果+尚未审结",
}];

pub static F2021: FormatSpec = FormatSpec {
    format: Format::F2021,
    active: TableSpec {
        id: TableId::Active,
        rows: &[
            active!("rules", "规章", C21_DOCS, BLOCK_1),
            active!("normative", "行政规范性文件", C21_DOCS, BLOCK_1),
            active!("licensing", "行政许可", C21_DECISIONS, BLOCK_5, scalar),
            active!("punishment", "行政处罚", C21_DECISIONS, BLOCK_6, scalar),
            active!("coercion", "行政强制", C21_DECISIONS, BLOCK_6, scalar),
            active!("fees", "行政事业性收费", C21_FEES, BLOCK_8, scalar),
        ],
        identities: &[],
    },
    applications: TableSpec {
        id: TableId::Applications,
        rows: &T3_2021,
        identities: T3_IDENTITIES,
    },
    appeals: TableSpec {
        id: TableId::Appeals,
        rows: T4_ROWS,
        identities: T4_IDENTITIES,
    },
};

pub static F2019: FormatSpec = FormatSpec {
    format: Format::F2019,
    active: TableSpec {
        id: TableId::Active,
        rows: &[
            active!("rules", "规章", C19_DOCS, BLOCK_1),
            active!("normative", "规范性文件", C19_DOCS, BLOCK_1),
            active!("licensing", "行政许可", C19_ITEMS, BLOCK_5),
            active!("other_services", "其他对外管理服务事项", C19_ITEMS, BLOCK_5),
            active!("punishment", "行政处罚", C19_ITEMS, BLOCK_6),
            active!("coercion", "行政强制", C19_ITEMS, BLOCK_6),
            active!("fees", "行政事业性收费", C19_FEES, BLOCK_8),
            active!("procurement", "政府集中采购", C19_PROCUREMENT, BLOCK_9),
        ],
        identities: &[],
    },
    applications: TableSpec {
        id: TableId::Applications,
        rows: &T3_2019,
        identities: T3_IDENTITIES,
    },
    appeals: TableSpec {
        id: TableId::Appeals,
        rows: T4_ROWS,
        identities: T4_IDENTITIES,
    },
};

/// Every YAML row key of a table in either format, for "did you mean" and for recognising a
/// key of the other format.
pub fn all_row_keys(id: TableId) -> impl Iterator<Item = &'static str> {
    F2019
        .table(id)
        .rows
        .iter()
        .chain(F2021.table(id).rows.iter())
        .map(|r| r.key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_rows_are_all_rows_between_carried_over_and_total() {
        for spec in [&F2019, &F2021] {
            let rows = spec.applications.rows;
            let first = rows.iter().position(|r| r.key == "granted").unwrap();
            let total = rows.iter().position(|r| r.key == "total").unwrap();
            for (i, r) in rows.iter().enumerate() {
                assert_eq!(r.outcome, i >= first && i < total, "{}", r.key);
            }
        }
    }

    #[test]
    fn row_counts_match_the_national_formats() {
        assert_eq!(F2019.applications.rows.len(), 23);
        assert_eq!(F2021.applications.rows.len(), 25);
        assert_eq!(F2019.active.rows.len(), 8);
        assert_eq!(F2021.active.rows.len(), 6);
        assert_eq!(F2021.appeals.rows.len(), 3);
    }
}
