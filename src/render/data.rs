//! Open data: every report's figures as JSON and as CSV that Excel opens (UTF-8 with BOM),
//! labels in Chinese. One long-format row per cell keeps both formats in one file.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::content::format::{Row, TableId, TableSpec};
use crate::content::model::{RowData, TableData};
use crate::content::{Report, Unit};

/// One cell of a report as open data.
struct DataCell<'a> {
    column: &'a str,
    value: String,
}

impl Serialize for DataCell<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("列", self.column)?;
        m.serialize_entry("值", &self.value)?;
        m.end()
    }
}

/// One row of a table: key, name and its cells.
struct DataRow<'a> {
    row: &'a Row,
    data: Option<&'a RowData>,
}

impl Serialize for DataRow<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let cells: Vec<DataCell> = self
            .row
            .columns
            .iter()
            .enumerate()
            .map(|(j, c)| DataCell {
                column: c.label,
                value: self
                    .data
                    .and_then(|d| d.cells.get(j))
                    .map(|c| c.display())
                    .unwrap_or_default(),
            })
            .collect();
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("键", self.row.key)?;
        m.serialize_entry("行", self.row.name)?;
        m.serialize_entry("单元格", &cells)?;
        m.end()
    }
}

/// A table's rows, in the format's order.
struct DataTable<'a>(&'a TableSpec, &'a TableData);

impl Serialize for DataTable<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            self.0
                .rows
                .iter()
                .zip(&self.1.rows)
                .map(|(row, data)| DataRow {
                    row,
                    data: data.as_ref(),
                }),
        )
    }
}

/// The three tables by heading.
struct DataTables<'a>(&'a Report);

impl Serialize for DataTables<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let spec = self.0.spec();
        let mut m = s.serialize_map(Some(TableId::ALL.len()))?;
        for id in TableId::ALL {
            m.serialize_entry(id.heading(), &DataTable(spec.table(id), self.0.table(id)))?;
        }
        m.end()
    }
}

/// A report's figures as open data (stable key order), serialised straight from the model.
pub struct ReportData<'a> {
    pub report: &'a Report,
    pub unit: &'a Unit,
}

impl Serialize for ReportData<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (r, unit) = (self.report, self.unit);
        let mut m = s.serialize_map(Some(8))?;
        m.serialize_entry("单位", &unit.id)?;
        m.serialize_entry("单位名称", &unit.name)?;
        m.serialize_entry("单位类别", unit.kind.label())?;
        m.serialize_entry("年度", &r.year)?;
        m.serialize_entry("标题", &r.title(unit))?;
        m.serialize_entry("格式", r.format.id())?;
        m.serialize_entry("发布日期", &r.published.map(|d| d.to_string()))?;
        m.serialize_entry("表格", &DataTables(r))?;
        m.end()
    }
}

/// The report's figures as pretty-printed JSON (`report.json`).
pub fn report_json(r: &Report, unit: &Unit) -> Vec<u8> {
    let mut out = Vec::with_capacity(24 * 1024);
    serde_json::to_writer_pretty(&mut out, &ReportData { report: r, unit }).expect("json");
    out
}

/// The JSON of one report as an element of the pretty-printed array of all reports: the same
/// text one level deeper, which is what `to_vec_pretty` of the whole array gives.
pub fn indented(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + json.len() / 8);
    for (i, line) in json.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(b"  ");
        out.extend_from_slice(line);
    }
    out
}

pub const CSV_HEADER: [&str; 9] = [
    "单位",
    "单位名称",
    "年度",
    "格式",
    "发布日期",
    "表格",
    "行",
    "列",
    "值",
];

/// Appends the report's rows (long format) to a CSV writer.
pub fn report_csv_rows<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    r: &Report,
    unit: &Unit,
) -> csv::Result<()> {
    let spec = r.spec();
    let published = r.published.map(|d| d.to_string()).unwrap_or_default();
    let year = r.year.to_string();
    for id in TableId::ALL {
        let table = spec.table(id);
        for (row, data) in table.rows.iter().zip(&r.table(id).rows) {
            for (j, col) in row.columns.iter().enumerate() {
                let v = data
                    .as_ref()
                    .and_then(|d| d.cells.get(j))
                    .map(|c| c.display())
                    .unwrap_or_default();
                w.write_record([
                    unit.id.as_str(),
                    unit.name.as_str(),
                    &year,
                    r.format.id(),
                    &published,
                    id.short(),
                    row.name,
                    col.label,
                    &v,
                ])?;
            }
        }
    }
    Ok(())
}

/// The report's CSV rows without BOM and header: `report.csv` and the site's file are made
/// of them.
pub fn report_csv_body(r: &Report, unit: &Unit) -> Vec<u8> {
    let mut w = csv_writer(Vec::with_capacity(32 * 1024));
    report_csv_rows(&mut w, r, unit).expect("write to memory");
    w.into_inner()
        .map_err(|e| e.into_error())
        .expect("write to memory")
}

/// BOM and header: the start of every CSV file.
pub fn csv_head() -> Vec<u8> {
    let mut w = csv_writer("\u{feff}".as_bytes().to_vec());
    w.write_record(CSV_HEADER).expect("write to memory");
    w.into_inner()
        .map_err(|e| e.into_error())
        .expect("write to memory")
}

fn csv_writer<W: std::io::Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indented_objects_make_the_pretty_array() {
        let a = serde_json::json!({"单位": "a", "年度": 2024, "x": [], "y": {}, "s": "一\n二",
            "表格": {"二": [{"键": "k", "单元格": [{"列": "c", "值": ""}]}]}});
        let b = serde_json::json!({"单位": "b", "发布日期": null});
        let mut whole = b"[".to_vec();
        for (i, v) in [&a, &b].into_iter().enumerate() {
            whole.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
            whole.extend(indented(&serde_json::to_vec_pretty(v).unwrap()));
        }
        whole.extend_from_slice(b"\n]");
        assert_eq!(
            String::from_utf8(whole).unwrap(),
            String::from_utf8(serde_json::to_vec_pretty(&[&a, &b]).unwrap()).unwrap()
        );
    }
}
