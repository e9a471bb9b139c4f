//! The inverse of [`super::parse`]: figures and cells to the text of a report file, as written
//! by `import`, `new` and `init`. YAML front matter with the three tables (every row and column
//! named in a Chinese comment, values aligned as in hand-typed reports) and the Markdown body.
//! Row keys and labels come from [`super::format`]; whether a string needs quotes is decided by
//! [`super::yaml::scalar`], the same rules the readers use. No I/O.

use unicode_width::UnicodeWidthStr;

use super::Date;
use super::format::{Format, TableId, TableSpec};
use super::yaml::scalar::{self, Context};

/// A cell in its source form, ready to be written as YAML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CellOut {
    /// A number, as canonical text: `173`, `-4`, `96171.6`.
    Number(String),
    /// `{value: 22, note: 其中修订16件}`.
    Noted { value: String, note: String },
    /// `{value: 75394432.52, unit: 元}` (amount columns only).
    WithUnit { value: String, unit: String },
    /// Nothing written: `~`.
    Blank,
    /// `"/"` or `"-"`.
    NotApplicable(&'static str),
}

impl CellOut {
    pub fn zero() -> CellOut {
        CellOut::Number("0".into())
    }

    /// The number in the cell, if it holds one.
    pub fn value(&self) -> Option<&str> {
        match self {
            CellOut::Number(v)
            | CellOut::Noted { value: v, .. }
            | CellOut::WithUnit { value: v, .. } => Some(v),
            CellOut::Blank | CellOut::NotApplicable(_) => None,
        }
    }

    pub fn is_zero(&self) -> bool {
        self.value().is_some_and(|v| {
            v.trim_start_matches('-')
                .chars()
                .all(|c| c == '0' || c == '.')
        })
    }
}

/// A table's rows in the format's row order; `None` where a row is left out.
pub type TableCells = Vec<Option<Vec<CellOut>>>;

/// The three tables of a report.
#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    pub format: Format,
    pub active: TableCells,
    pub applications: TableCells,
    pub appeals: TableCells,
    /// Comments for the written file: (table, row key or group key, text).
    pub notes: Vec<(TableId, String, String)>,
}

impl Figures {
    /// Every row present with zeros: the skeleton of `nianbao new`.
    pub fn zeros(format: Format) -> Figures {
        let spec = format.spec();
        let zeros = |t: &TableSpec| {
            t.rows
                .iter()
                .map(|r| Some(vec![CellOut::zero(); r.columns.len()]))
                .collect()
        };
        Figures {
            format,
            active: zeros(&spec.active),
            applications: zeros(&spec.applications),
            appeals: zeros(&spec.appeals),
            notes: Vec::new(),
        }
    }

    pub fn table(&self, id: TableId) -> &TableCells {
        match id {
            TableId::Active => &self.active,
            TableId::Applications => &self.applications,
            TableId::Appeals => &self.appeals,
        }
    }

    pub fn table_mut(&mut self, id: TableId) -> &mut TableCells {
        match id {
            TableId::Active => &mut self.active,
            TableId::Applications => &mut self.applications,
            TableId::Appeals => &mut self.appeals,
        }
    }

    /// The note written beside a row or group, if any.
    pub fn note(&self, id: TableId, key: &str) -> Option<&str> {
        self.notes
            .iter()
            .find(|(t, k, _)| *t == id && k == key)
            .map(|(_, _, n)| n.as_str())
    }

    /// Sets the cells of the row `key` (`withheld.state_secret`); `false` if the format has no
    /// such row or the number of cells is not the row's.
    pub fn set(&mut self, id: TableId, key: &str, cells: Vec<CellOut>) -> bool {
        let Some((i, row)) = self.format.spec().table(id).row(key) else {
            return false;
        };
        if row.columns.len() != cells.len() {
            return false;
        }
        self.table_mut(id)[i] = Some(cells);
        true
    }
}

/// What goes into a report file.
#[derive(Clone, Debug)]
pub struct Draft<'a> {
    pub year: i32,
    pub format: Format,
    pub published: Option<Date>,
    pub title: Option<String>,
    pub figures: &'a Figures,
    /// The Markdown body, preamble first.
    pub body: String,
    /// A skeleton from `nianbao new` or `init`: a draft (`draft: true`) until a person says it
    /// is ready, with `published` left commented out for the user.
    pub skeleton: bool,
}

/// A string as a YAML scalar outside flow collections (`title: …`, `name: …`).
pub fn yaml_scalar(s: &str) -> String {
    scalar::write(s, Context::Block).into_owned()
}

fn cell_yaml(c: &CellOut) -> String {
    match c {
        CellOut::Number(v) => v.clone(),
        CellOut::Noted { value, note } => {
            format!(
                "{{value: {value}, note: {}}}",
                scalar::write(note, Context::Flow)
            )
        }
        CellOut::WithUnit { value, unit } => {
            format!(
                "{{value: {value}, unit: {}}}",
                scalar::write(unit, Context::Flow)
            )
        }
        CellOut::Blank => "~".into(),
        CellOut::NotApplicable(s) => format!("\"{s}\""),
    }
}

enum Line {
    /// A comment on a line of its own, at the table's indent.
    Comment(String),
    /// Column names, aligned with the values below.
    Columns(String),
    Entry {
        prefix: String,
        value: Option<String>,
        comment: Option<String>,
    },
}

fn table_lines(spec: &TableSpec, figures: &Figures) -> Vec<Line> {
    let id = spec.id;
    let cells = figures.table(id);
    let mut lines = Vec::new();
    let mut group: Option<&str> = None;
    let mut block: Option<&str> = None;
    let mut columns: Option<String> = None;
    for (i, row) in spec.rows.iter().enumerate() {
        let Some(values) = cells.get(i).and_then(Option::as_ref) else {
            continue;
        };
        if row.block != block
            && let Some(b) = row.block
        {
            lines.push(Line::Comment(format!("# {b}")));
            block = row.block;
        }
        let labels: Vec<&str> = row.columns.iter().map(|c| c.label).collect();
        let labels = labels.join(", ");
        if !row.scalar && columns.as_deref() != Some(labels.as_str()) {
            lines.push(Line::Columns(labels.clone()));
            columns = Some(labels);
        } else if row.scalar {
            columns = None;
        }
        let (parent, key) = match row.key.split_once('.') {
            Some((p, k)) => (Some(p), k),
            None => (None, row.key),
        };
        if parent != group {
            group = parent;
            if let Some(p) = parent {
                let label = row.group.unwrap_or(p);
                let comment = match figures.note(id, p) {
                    Some(n) => format!("{label}——{n}"),
                    None => label.to_string(),
                };
                lines.push(Line::Entry {
                    prefix: format!("{p}:"),
                    value: None,
                    comment: Some(comment),
                });
            }
        }
        let indent = if parent.is_some() { "  " } else { "" };
        let value = if row.scalar {
            values.first().map(cell_yaml).unwrap_or_else(|| "~".into())
        } else {
            format!(
                "[{}]",
                values.iter().map(cell_yaml).collect::<Vec<_>>().join(", ")
            )
        };
        let mut comment = match parent {
            Some(_) => row.label.to_string(),
            None if row.label.chars().count() > row.name.chars().count() => row.label.to_string(),
            None => row.name.to_string(),
        };
        if row.scalar {
            comment = format!("{comment}：{}", row.columns[0].label);
        }
        if let Some(n) = figures.note(id, row.key) {
            comment = format!("{comment}——{n}");
        }
        lines.push(Line::Entry {
            prefix: format!("{indent}{key}:"),
            value: Some(value),
            comment: Some(comment),
        });
    }
    lines
}

fn render_table(out: &mut String, spec: &TableSpec, figures: &Figures) {
    let lines = table_lines(spec, figures);
    let value_col = lines
        .iter()
        .filter_map(|l| match l {
            Line::Entry {
                prefix,
                value: Some(_),
                ..
            } => Some(prefix.width() + 1),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    let comment_col = lines
        .iter()
        .filter_map(|l| match l {
            Line::Entry { value: Some(v), .. } => Some(value_col + v.width() + 2),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    out.push_str(&format!("{}:\n", spec.id.key()));
    for l in lines {
        let text = match l {
            Line::Comment(c) => format!("  {c}"),
            Line::Columns(c) => format!("  #{}{c}", " ".repeat((value_col + 1).saturating_sub(1))),
            Line::Entry {
                prefix,
                value,
                comment,
            } => {
                let mut s = format!("  {prefix}");
                if let Some(v) = value {
                    s.push_str(&" ".repeat(value_col.saturating_sub(prefix.width())));
                    s.push_str(&v);
                }
                if let Some(c) = comment {
                    let at = s.width().max(comment_col + 2);
                    s.push_str(&" ".repeat(at - s.width()));
                    s.push_str("# ");
                    s.push_str(&c);
                }
                s
            }
        };
        out.push_str(text.trim_end());
        out.push('\n');
    }
}

/// The whole report file.
pub fn render(d: &Draft) -> String {
    let mut y = String::from("---\n");
    y.push_str(&format!("year: {}\n", d.year));
    y.push_str(&format!(
        "format: {}             # 表格格式：2019（{}）或 2021（{}）\n",
        d.format.id(),
        Format::F2019.notice(),
        Format::F2021.notice()
    ));
    match (d.published, d.skeleton) {
        (Some(p), _) => y.push_str(&format!("published: {p}\n")),
        (None, true) => y.push_str(&format!(
            "# published: {}-01-20    # 发布日期（年-月-日）：发布时去掉行首的 # 并改为实际日期\n",
            d.year + 1
        )),
        (None, false) => {
            y.push_str("# published: YYYY-MM-DD   # 原文未见发布日期：核实后填写，并去掉行首的 #\n")
        }
    }
    if d.skeleton {
        y.push_str(
            "draft: true              # 草稿：检查，但不发布；报告可以发布时删除这一行（或改为 false）\n",
        );
    }
    if let Some(t) = &d.title {
        y.push_str(&format!("title: {}\n", yaml_scalar(t)));
    }
    let spec = d.format.spec();
    for id in TableId::ALL {
        render_table(&mut y, spec.table(id), d.figures);
    }
    y.push_str("---\n");
    y.push_str(d.body.trim_start_matches('\n'));
    if !y.ends_with('\n') {
        y.push('\n');
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse;

    #[test]
    fn a_rendered_skeleton_parses_back_with_every_row() {
        for format in [Format::F2019, Format::F2021] {
            let mut figures = Figures::zeros(format);
            figures.active[0] = Some(vec![
                CellOut::Noted {
                    value: "22".into(),
                    note: "其中修订16件".into(),
                },
                CellOut::Blank,
                CellOut::NotApplicable("/"),
            ]);
            let text = render(&Draft {
                year: 2022,
                format,
                published: None,
                title: Some("标题: 测试".into()),
                figures: &figures,
                body: "## 一、总体情况\n\n好。\n".into(),
                skeleton: true,
            });
            let (report, diags) = parse::report("x.md", "u", 2022, &text);
            assert!(diags.is_empty(), "{diags:?}\n{text}");
            let report = report.unwrap();
            assert_eq!(report.title.as_deref(), Some("标题: 测试"));
            assert_eq!(report.format, format);
            for id in TableId::ALL {
                assert!(report.table(id).rows.iter().all(Option::is_some), "{text}");
            }
            assert_eq!(
                report.active.rows[0].as_ref().unwrap().cells[0].display(),
                "22（其中修订16件）"
            );
            assert!(report.active.rows[0].as_ref().unwrap().cells[1].is_blank());
            assert_eq!(
                report.active.rows[0].as_ref().unwrap().cells[2].display(),
                "/"
            );
            for row in format.spec().applications.rows {
                assert!(text.contains(row.label), "{}", row.label);
            }
        }
    }
}
