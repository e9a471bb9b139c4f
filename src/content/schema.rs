//! A JSON Schema (draft-07) of a report's front matter, made from the format tables.
//!
//! Editors that speak the YAML language server (VS Code with the YAML extension, and others)
//! read it through a `# yaml-language-server: $schema=…` line at the top of the front matter:
//! the staffer gets the row keys offered as they type, the Chinese label of every row and
//! column on hover, and a wrong type underlined before `check` runs. Nothing here is written by
//! hand per row: a row or label changed in [`super::format`] changes the schema with it.
//!
//! The schema accepts what `check` accepts and no more where JSON can tell the difference: a
//! count is a whole number ≥ 0 (or digits in quotes), `~`/`""` is blank, `/` and `-` mean not
//! applicable, `{value, note}` annotates, only amounts take a `unit`. One difference JSON
//! cannot see: YAML's `3.0` arrives as the number 3, which the schema takes and `check`
//! refuses as a `cell-type` error.

use serde_json::{Map, Value, json};

use super::format::{CellKind, Format, Row, TableId, TableSpec};
use crate::diagnostic::Rule;

/// The name of the schema file `init` and `new` keep at the site root.
pub const FILE_NAME: &str = "report.schema.json";

/// The comment line that points the YAML language server at the schema, `schema` being the
/// schema file's path relative to the report file.
pub fn modeline(schema: &str) -> String {
    format!("# yaml-language-server: $schema={schema}")
}

/// The path from a report of `unit` (`a/b`, below `content/`) to the site's schema file.
pub fn relative_path(unit: &str) -> String {
    let depth = unit.split('/').filter(|s| !s.is_empty()).count() + 1;
    format!("{}{FILE_NAME}", "../".repeat(depth))
}

/// Marks that mean "not applicable" in a cell (the ASCII and full-width forms `check` reads).
const MARKS: [&str; 5] = ["/", "-", "／", "—", "－"];

fn definitions() -> Value {
    let blank = json!({
        "description": "空白（~ 或 \"\"）或不适用（/ 或 -）",
        "anyOf": [{ "type": "null" }, { "const": "" }, { "enum": MARKS }]
    });
    let note = json!({ "type": ["string", "number"], "description": "说明，显示在数字后的括号里" });
    let count = json!({
        "anyOf": [
            { "type": "integer", "minimum": 0 },
            { "type": "string", "pattern": "^\\s*\\+?[0-9]+\\s*$" }
        ]
    });
    let signed = json!({
        "anyOf": [
            { "type": "integer" },
            { "type": "string", "pattern": "^\\s*[+-]?[0-9]+\\s*$" }
        ]
    });
    let amount = json!({
        "anyOf": [
            { "type": "number", "minimum": 0 },
            { "type": "string", "pattern": "^\\s*\\+?[0-9]+(\\.[0-9]+)?\\s*$" }
        ]
    });
    let annotated = |value: &str, with_unit: bool| {
        let mut props = Map::new();
        props.insert(
            "value".into(),
            json!({ "anyOf": [{ "$ref": format!("#/definitions/{value}") }, { "$ref": "#/definitions/blank" }] }),
        );
        props.insert("note".into(), note.clone());
        if with_unit {
            props.insert(
                "unit".into(),
                json!({ "type": "string", "description": "金额的单位，如 元、万元" }),
            );
        }
        json!({ "type": "object", "properties": props, "additionalProperties": false })
    };
    let cell = |value: &str, with_unit: bool, description: &str| {
        json!({
            "description": description,
            "anyOf": [
                { "$ref": format!("#/definitions/{value}") },
                { "$ref": "#/definitions/blank" },
                annotated(value, with_unit)
            ]
        })
    };
    json!({
        "blank": blank,
        "countValue": count,
        "signedValue": signed,
        "amountValue": amount,
        "count": cell("countValue", false, "件数：整数，不小于 0；可写成 {value: 22, note: 说明}"),
        "signed": cell("signedValue", false, "本年增/减：整数，减少写负数"),
        "amount": cell("amountValue", true, "金额：照原文写数字；单位写成 {value: 75394432.52, unit: 元}")
    })
}

fn kind_ref(kind: CellKind) -> &'static str {
    match kind {
        CellKind::Count => "#/definitions/count",
        CellKind::Signed => "#/definitions/signed",
        CellKind::Amount => "#/definitions/amount",
    }
}

/// One cell of a column: its kind's definition, described by the column's official label.
fn column_cell(label: &str, kind: CellKind) -> Value {
    json!({ "description": label, "allOf": [{ "$ref": kind_ref(kind) }] })
}

fn row_schema(row: &Row) -> Value {
    let labels: Vec<&str> = row.columns.iter().map(|c| c.label).collect();
    if row.scalar {
        let c = &row.columns[0];
        return json!({
            "description": format!("{}：{}", row.name, c.label),
            "allOf": [{ "$ref": kind_ref(c.kind) }]
        });
    }
    let n = row.columns.len();
    json!({
        "description": format!("{}：{}", row.name, labels.join("，")),
        "type": "array",
        "items": row.columns.iter().map(|c| column_cell(c.label, c.kind)).collect::<Vec<_>>(),
        "additionalItems": false,
        "minItems": n,
        "maxItems": n
    })
}

/// Nested objects for dotted row keys (`withheld.state_secret`), every key required.
fn object_of(entries: Vec<(&str, Value)>, description: &str) -> Value {
    let mut props = Map::new();
    let mut groups: Vec<(String, Vec<(&str, Value)>)> = Vec::new();
    for (key, schema) in entries {
        match key.split_once('.') {
            None => {
                props.insert(key.to_string(), schema);
            }
            Some((head, rest)) => match groups.iter_mut().find(|(g, _)| g == head) {
                Some((_, items)) => items.push((rest, schema)),
                None => groups.push((head.to_string(), vec![(rest, schema)])),
            },
        }
    }
    for (head, items) in groups {
        props.insert(head, object_of(items, ""));
    }
    let required: Vec<String> = props.keys().cloned().collect();
    let mut out = json!({
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": false
    });
    if !description.is_empty() {
        out["description"] = json!(description);
    }
    out
}

fn table_schema(table: &TableSpec) -> Value {
    let rows = table.rows.iter().map(|r| (r.key, row_schema(r))).collect();
    object_of(rows, table.id.heading())
}

fn tables(format: Format) -> Value {
    let spec = format.spec();
    let mut props = Map::new();
    for id in TableId::ALL {
        props.insert(id.key().into(), table_schema(spec.table(id)));
    }
    json!({ "properties": props })
}

/// The schema of a report's front matter, for both national formats.
pub fn report_schema() -> Value {
    let rules: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
    let is_2019 = json!({
        "anyOf": [
            { "required": ["format"], "properties": { "format": { "enum": [2019, "2019"] } } },
            { "not": { "required": ["format"] }, "properties": { "year": { "maximum": 2020 } } }
        ]
    });
    let mut table_keys = Map::new();
    for id in TableId::ALL {
        table_keys.insert(
            id.key().into(),
            json!({ "type": "object", "description": id.heading() }),
        );
    }
    let mut props = json!({
        "year": { "type": "integer", "description": "报告年度，与文件名相同，如 2024" },
        "format": {
            "enum": [2019, 2021, "2019", "2021"],
            "description": "国家格式：2019（国办公开办函〔2019〕60号，2019、2020 年度）或 2021（国办公开办函〔2021〕30号，2021 年度起）；不写时按年度"
        },
        "published": {
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$",
            "description": "发布日期，年-月-日，如 2025-01-20"
        },
        "draft": { "type": "boolean", "description": "草稿：true 时检查但不发布；可以发布时删除这一行" },
        "title": { "type": "string", "description": "标题；不写时为“单位名称+年度+年政府信息公开工作年度报告”" },
        "acknowledged": {
            "type": "array",
            "description": "已经按原样发布的报告中的问题（原文如此），新报告不要用",
            "items": {
                "type": "object",
                "properties": {
                    "rule": { "enum": rules, "description": "规则代码，如 T4-total" },
                    "note": { "type": "string", "description": "页面上在数字旁显示的说明" }
                },
                "required": ["rule", "note"],
                "additionalProperties": false
            }
        }
    });
    props.as_object_mut().expect("an object").extend(table_keys);
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://nianbao.invalid/report.schema.json",
        "title": "政府信息公开工作年度报告（nianbao 源文件的文件头）",
        "description": "由 `nianbao schema` 按国家格式生成；不要手改，升级 nianbao 后重新生成",
        "type": "object",
        "properties": props,
        "required": ["year", "active", "applications", "appeals"],
        "additionalProperties": false,
        "allOf": [{ "if": is_2019, "then": tables(Format::F2019), "else": tables(Format::F2021) }],
        "definitions": definitions()
    })
}

/// The schema as the file `init` and `new` write (pretty, ending in a newline).
pub fn report_schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&report_schema()).expect("schema serialises");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::format::{F2019, F2021};

    #[test]
    fn every_row_of_both_formats_is_in_the_schema_with_its_label() {
        let schema = report_schema();
        for (branch, spec) in [("then", &F2019), ("else", &F2021)] {
            for table in spec.tables() {
                let t = &schema["allOf"][0][branch]["properties"][table.id.key()];
                for row in table.rows {
                    let mut node = t;
                    for part in row.key.split('.') {
                        node = &node["properties"][part];
                    }
                    let d = node["description"].as_str().unwrap_or_default();
                    assert!(d.starts_with(row.name), "{} {}: {d}", branch, row.key);
                    for c in row.columns {
                        assert!(d.contains(c.label), "{}: {d}", row.key);
                    }
                }
            }
        }
    }

    #[test]
    fn the_schema_path_climbs_out_of_the_unit_folders() {
        assert_eq!(relative_path("huaian"), "../../report.schema.json");
        assert_eq!(
            relative_path("huaian/hongze"),
            "../../../report.schema.json"
        );
    }
}
