//! The report in the source format: YAML front matter with the three tables (every row and
//! column named in a Chinese comment, values aligned as in hand-typed reports) and the Markdown
//! body. [`write_atomic`] is the only function of the import that touches the disk.

use std::io::Write as _;
use std::path::Path;
use unicode_width::UnicodeWidthStr;

use super::cells::CellOut;
use super::tables::Figures;
use crate::content::Date;
use crate::content::format::{Format, TableId, TableSpec};

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
    /// A skeleton from `nianbao new`: `published` is left commented out for the user.
    pub skeleton: bool,
}

/// A YAML scalar: plain when YAML reads it back as the same text, else double-quoted.
pub fn yaml_scalar(s: &str) -> String {
    let special = s.is_empty()
        || s.trim() != s
        || s.contains([
            ':', '#', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`',
            '\\', '\n',
        ])
        || s.starts_with(['-', '?', '~'])
        || s.parse::<f64>().is_ok()
        || matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "null" | "on" | "off"
        );
    if !special {
        return s.to_string();
    }
    let mut q = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            _ => q.push(c),
        }
    }
    q.push('"');
    q
}

fn cell_yaml(c: &CellOut) -> String {
    match c {
        CellOut::Number(v) => v.clone(),
        CellOut::Noted { value, note } => {
            format!("{{value: {value}, note: {}}}", yaml_scalar(note))
        }
        CellOut::WithUnit { value, unit } => {
            format!("{{value: {value}, unit: {}}}", yaml_scalar(unit))
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

/// Writes `text` to `path` atomically: a temporary file beside it, flushed, then renamed over
/// it. Without `overwrite` an existing file is never replaced (`AlreadyExists`), even one that
/// appears while we write.
pub fn write_atomic(path: &Path, text: &str, overwrite: bool) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".nianbao-tmp-")
        .suffix(".md")
        .tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    let persisted = if overwrite {
        tmp.persist(path)
    } else {
        tmp.persist_noclobber(path)
    };
    persisted.map(|_| ()).map_err(|e| e.error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse;

    #[test]
    fn scalars_are_quoted_only_when_yaml_needs_it() {
        assert_eq!(yaml_scalar("其中修订16件"), "其中修订16件");
        assert_eq!(yaml_scalar("说明：见附件"), "说明：见附件");
        assert_eq!(yaml_scalar("a: b"), "\"a: b\"");
        assert_eq!(yaml_scalar("2024"), "\"2024\"");
        assert_eq!(yaml_scalar("say \"hi\""), "\"say \\\"hi\\\"\"");
    }

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

    #[test]
    fn atomic_writes_do_not_clobber() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/2024.md");
        write_atomic(&p, "one", false).unwrap();
        let e = write_atomic(&p, "two", false).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "one");
        write_atomic(&p, "three", true).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "three");
        assert_eq!(
            std::fs::read_dir(p.parent().unwrap()).unwrap().count(),
            1,
            "no temp file left"
        );
    }
}
