//! Open data: every report's figures as JSON and as CSV that Excel opens (UTF-8 with BOM),
//! labels in Chinese. One long-format row per cell keeps both formats in one file.

use serde::Serialize;
use serde_json::json;

use crate::content::format::TableId;
use crate::content::{Report, Unit};

/// One cell of a report as open data.
#[derive(Serialize)]
struct DataCell<'a> {
    #[serde(rename = "列")]
    column: &'a str,
    #[serde(rename = "值")]
    value: String,
}

/// The report's figures as JSON (stable key order).
pub fn report_json(r: &Report, unit: &Unit) -> serde_json::Value {
    let spec = r.spec();
    let mut tables = serde_json::Map::new();
    for id in TableId::ALL {
        let table = spec.table(id);
        let rows: Vec<serde_json::Value> = table
            .rows
            .iter()
            .zip(&r.table(id).rows)
            .map(|(row, data)| {
                let cells: Vec<DataCell> = row
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(j, c)| DataCell {
                        column: c.label,
                        value: data
                            .as_ref()
                            .and_then(|d| d.cells.get(j))
                            .map(|c| c.display())
                            .unwrap_or_default(),
                    })
                    .collect();
                json!({"键": row.key, "行": row.name, "单元格": cells})
            })
            .collect();
        tables.insert(id.heading().to_string(), serde_json::Value::Array(rows));
    }
    json!({
        "单位": unit.id,
        "单位名称": unit.name,
        "单位类别": unit.kind.label(),
        "年度": r.year,
        "标题": r.title(unit),
        "格式": r.format.id(),
        "发布日期": r.published.map(|d| d.to_string()),
        "表格": tables,
    })
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

/// A CSV file with BOM and header, filled by `fill`.
pub fn csv_file(fill: impl FnOnce(&mut csv::Writer<&mut Vec<u8>>) -> csv::Result<()>) -> Vec<u8> {
    let mut buf = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut buf);
        w.write_record(CSV_HEADER).expect("write to memory");
        fill(&mut w).expect("write to memory");
        w.flush().expect("write to memory");
    }
    buf
}
