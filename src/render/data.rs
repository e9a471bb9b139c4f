//! Open data: every published report's figures as one wide table, one row per report and one
//! column per figure, named in Chinese from the format data (`表三·（一）予以公开·自然人`). It is
//! the shape Excel users and statisticians expect (filter, sort, 数据透视表), and it is small:
//! the labels are written once, in the header, instead of once per cell.
//!
//! `data/reports.csv` is UTF-8 with BOM (so Excel opens it) and `data/reports.json` is compact
//! JSON: the column names once, then one array of values per report. Both have the same columns:
//! the report's lead columns, then the figure columns of every format the site's reports use,
//! each once ([`figure_columns`]): a column the two formats share is one column, so a 2020 and a
//! 2024 report line up where the formats agree; a report leaves the columns of the other format
//! empty (`null` in JSON).

use crate::content::cell::{Cell, CellValue};
use crate::content::format::{CellKind, Format, FormatSpec, TableId};
use crate::content::{Report, Site, Unit};

/// One figure column of the wide table: the table, the row's name and the column's label, which
/// are the same in both formats where the row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FigureColumn {
    pub table: TableId,
    pub row: &'static str,
    pub column: &'static str,
    pub kind: CellKind,
}

impl FigureColumn {
    /// The column's name: `表三·（一）予以公开·自然人`.
    pub fn header(&self) -> String {
        format!("{}·{}·{}", self.table.short(), self.row, self.column)
    }
}

/// The figure columns of the formats in `specs`, in table and row order, each once.
pub fn figure_columns(specs: &[&'static FormatSpec]) -> Vec<FigureColumn> {
    let mut out: Vec<FigureColumn> = Vec::new();
    for id in TableId::ALL {
        for spec in specs {
            for row in spec.table(id).rows {
                for col in row.columns {
                    let c = FigureColumn {
                        table: id,
                        row: row.name,
                        column: col.label,
                        kind: col.kind,
                    };
                    if !out.contains(&c) {
                        out.push(c);
                    }
                }
            }
        }
    }
    out
}

/// The columns about the report and its unit that come before the figures. `链接` is the report
/// page's path below the site root, or its address when the site has a `base_url`.
pub const LEAD: [&str; 9] = [
    "单位路径",
    "上级单位",
    "单位名称",
    "单位类别",
    "年度",
    "报告格式",
    "发布日期",
    "标题",
    "链接",
];

/// The names of the units above `unit`, outermost first: 淮安市人民政府 / …
pub fn ancestors(site: &Site, unit: &Unit) -> String {
    let mut names = Vec::new();
    let mut parent = unit.parent.as_deref();
    while let Some(p) = parent.and_then(|id| site.unit(id)) {
        names.push(p.name.as_str());
        parent = p.parent.as_deref();
    }
    names.reverse();
    names.join(" / ")
}

/// The wide table's columns for a set of formats, and where each format reads every figure
/// column from (table, row, column), made once per build.
pub struct WideTable {
    columns: Vec<FigureColumn>,
    places: Vec<(Format, Places)>,
}

/// For each figure column, the row and column of the format's table it is read from, if the
/// format has it.
type Places = Vec<Option<(usize, usize)>>;

/// One value of a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Text, and a figure written with a unit, a note, `/` or left blank, as displayed.
    Text(String),
    /// A plain number: as written in CSV, a JSON number in JSON.
    Number(String, serde_json::Number),
    /// A figure the report's format does not have: empty in CSV, `null` in JSON.
    Absent,
}

impl Value {
    fn text(&self) -> &str {
        match self {
            Value::Text(t) | Value::Number(t, _) => t,
            Value::Absent => "",
        }
    }
}

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Text(t) => s.serialize_str(t),
            Value::Number(_, n) => n.serialize(s),
            Value::Absent => s.serialize_none(),
        }
    }
}

/// A cell as open data: a number when it is a plain one, else its text as displayed.
fn cell_value(cell: Option<&Cell>) -> Value {
    let Some(c) = cell else {
        return Value::Text(String::new());
    };
    let text = c.display();
    if let CellValue::Number { text: n, .. } = c.value()
        && c.unit().is_none()
        && c.note().is_none()
        && let Ok(number) = n.trim().parse::<serde_json::Number>()
    {
        return Value::Number(text, number);
    }
    Value::Text(text)
}

impl WideTable {
    /// The table for reports of `formats` (each format once, in any order).
    pub fn new(formats: &[Format]) -> WideTable {
        let mut formats = formats.to_vec();
        // The current format first: its columns lead, the older format's own ones follow.
        formats.sort_by(|a, b| b.cmp(a));
        formats.dedup();
        let specs: Vec<&'static FormatSpec> = formats.iter().map(|f| f.spec()).collect();
        let columns = figure_columns(&specs);
        let places = formats
            .iter()
            .map(|&f| {
                let spec = f.spec();
                let at = columns
                    .iter()
                    .map(|c| {
                        let table = spec.table(c.table);
                        let i = table.rows.iter().position(|r| r.name == c.row)?;
                        let j = table.rows[i]
                            .columns
                            .iter()
                            .position(|x| x.label == c.column && x.kind == c.kind)?;
                        Some((i, j))
                    })
                    .collect();
                (f, at)
            })
            .collect();
        WideTable { columns, places }
    }

    /// Every column's name: [`LEAD`], then the figures'.
    pub fn header(&self) -> Vec<String> {
        LEAD.iter()
            .map(|s| s.to_string())
            .chain(self.columns.iter().map(FigureColumn::header))
            .collect()
    }

    /// The row of report `r` of `unit`, whose page is at `link`.
    pub fn row(&self, site: &Site, r: &Report, unit: &Unit, link: &str) -> Vec<Value> {
        let mut out: Vec<Value> = vec![
            Value::Text(unit.id.clone()),
            Value::Text(ancestors(site, unit)),
            Value::Text(unit.name.clone()),
            Value::Text(unit.kind.label().to_string()),
            Value::Number(r.year.to_string(), r.year.into()),
            Value::Text(r.format.id().to_string()),
            Value::Text(r.published.map(|d| d.to_string()).unwrap_or_default()),
            Value::Text(r.title(unit)),
            Value::Text(link.to_string()),
        ];
        let places = self
            .places
            .iter()
            .find(|(f, _)| *f == r.format)
            .map(|(_, p)| p.as_slice())
            .unwrap_or_default();
        out.extend(self.columns.iter().enumerate().map(|(k, c)| {
            match places.get(k).copied().flatten() {
                Some((i, j)) => cell_value(
                    r.table(c.table)
                        .rows
                        .get(i)
                        .and_then(|row| row.as_ref()?.cells.get(j)),
                ),
                None => Value::Absent,
            }
        }));
        out
    }

    /// The start of `data/reports.csv`: BOM and header.
    pub fn csv_head(&self) -> Vec<u8> {
        let mut w = csv_writer("\u{feff}".as_bytes().to_vec());
        w.write_record(self.header()).expect("write to memory");
        w.into_inner()
            .map_err(|e| e.into_error())
            .expect("write to memory")
    }

    /// The start of `data/reports.json`, up to the first row: `{"列":[…],"行":[`.
    pub fn json_head(&self) -> Vec<u8> {
        let mut out = "{\"列\":".as_bytes().to_vec();
        serde_json::to_writer(&mut out, &self.header()).expect("json");
        out.extend_from_slice(",\"行\":[".as_bytes());
        out
    }
}

/// The end of `data/reports.json`, after the last row.
pub const JSON_END: &[u8] = b"]}\n";

/// `row` as a line of CSV.
pub fn csv_row(row: &[Value]) -> Vec<u8> {
    let mut w = csv_writer(Vec::with_capacity(1024));
    w.write_record(row.iter().map(Value::text))
        .expect("write to memory");
    w.into_inner()
        .map_err(|e| e.into_error())
        .expect("write to memory")
}

/// `row` as compact JSON: numbers, strings, and `null` where the report's format has no such
/// figure.
pub fn json_row(row: &[Value]) -> Vec<u8> {
    serde_json::to_vec(row).expect("json")
}

fn csv_writer<W: std::io::Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every column of the wide table has its own name, in both formats and together: a header
    /// that named two columns alike would make Excel and pandas users read the wrong figure.
    #[test]
    fn column_names_are_unique() {
        for formats in [
            &[Format::F2021][..],
            &[Format::F2019],
            &[Format::F2019, Format::F2021],
        ] {
            let header = WideTable::new(formats).header();
            let mut seen = std::collections::HashSet::new();
            for h in &header {
                assert!(seen.insert(h), "{h} twice for {formats:?}");
            }
        }
    }

    /// Each format's figure columns are all its cells: none lost, none read from elsewhere.
    #[test]
    fn each_format_places_every_cell_once() {
        let t = WideTable::new(&[Format::F2019, Format::F2021]);
        for (f, places) in &t.places {
            let cells: usize = f
                .spec()
                .tables()
                .iter()
                .flat_map(|t| t.rows)
                .map(|r| r.columns.len())
                .sum();
            assert_eq!(places.iter().flatten().count(), cells, "{f:?}");
        }
    }
}
