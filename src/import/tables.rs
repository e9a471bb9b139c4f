//! Table rows matched against the national format (the rows, labels and column kinds of
//! [`crate::content::format`]) and read into cells.
//!
//! - The format is told by the headings: labels found only in one format's tables
//!   ("本年制发件数" vs "本年新制作数量", the （六） sub-rows …).
//! - A row is recognised by its official label with whitespace removed, with some tolerance
//!   for PDF damage ("2.其他法律行政止公开", "1、" for "1."); the label may be split over cells.
//! - In a page table whose header rows name the columns, every figure is placed through the
//!   header grid ([`header_starts`], [`map_by_header`]): the official 2019 layout merges
//!   different columns in the header and in the figures of a 表二 block.
//! - Otherwise by position: 表三's seven figures are the last seven cells (labels sit on the
//!   left, merged label cells are empty); 表二's follow the label; 表四 is fifteen figures in
//!   order. Text tables (`|` rows, `place.table == 0`) are always read by position, so garbled
//!   header names ("数据1 … 数据6") do not matter.
//! - A row a report may leave out ([`OMITTABLE`]: 规章) is imported as not applicable.
//!
//! Every row that holds figures but cannot be placed, every figure that cannot be read and every
//! row the format needs but the input lacks is a finding at its place in the input.

use super::cells::{self, has_digit, is_value};
use super::prose::Doc;
use super::{CODE, Options, Place, SourceCell, SourceRow};
use crate::content::format::{CellKind, F2019, F2021, Format, FormatSpec, TableId, TableSpec};
use crate::content::writer::{CellOut, Figures};
use crate::content::yaml::Pos;
use crate::diagnostic::Diagnostic;

/// A label for matching: no whitespace, full-width ASCII as ASCII, "、" and "．" as ".", no
/// quotation marks.
pub fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| {
            !c.is_whitespace() && !matches!(c, '“' | '”' | '"' | '‘' | '’' | '\'' | '「' | '」')
        })
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '、' => '.',
            '—' | '–' => '-',
            _ => c,
        })
        .collect::<String>()
        .to_lowercase()
}

/// The last `n` characters of `s`.
fn tail(s: &str, n: usize) -> &str {
    let len = s.chars().count();
    match s.char_indices().nth(len.saturating_sub(n)) {
        Some((i, _)) => &s[i..],
        None => s,
    }
}

/// Rows a report may leave out: units without rule-making power often print 表二 without the
/// 规章 row. Such a row is imported as not applicable ("/") with a warning naming it; any other
/// missing row refuses the import.
const OMITTABLE: &[(TableId, &str)] = &[(TableId::Active, "rules")];

/// The lowest similarity at which a damaged label still names a row.
const MATCH: f64 = 0.75;

/// The candidate `own` (the row's own label cell) or `joined` (all its label cells) names:
/// its index, or `None` when nothing is close enough or two candidates are equally close.
fn best_match(own: &str, joined: &str, candidates: &[String]) -> Option<usize> {
    let mut scored: Vec<(f64, usize)> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let by_own = strsim::normalized_levenshtein(own, c);
            let by_tail = strsim::normalized_levenshtein(tail(joined, c.chars().count()), c);
            (by_own.max(by_tail), i)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (best, i) = *scored.first()?;
    let second = scored.get(1).map_or(0.0, |s| s.0);
    (best >= MATCH && (best == 1.0 || best - second >= 0.1)).then_some(i)
}

/// Whether a row holds a figure: a cell that reads as a number. A heading with a footnote mark
/// ("第二十条第（一）项[1]") has a digit but no figure.
fn has_figure(row: &SourceRow) -> bool {
    row.cells
        .iter()
        .any(|c| has_digit(&c.text) && is_value(&c.text))
}

/// What a row says, for messages: its non-empty cells joined.
fn row_text(row: &SourceRow) -> String {
    let parts: Vec<&str> = row.texts().filter(|t| !t.is_empty()).collect();
    let s = parts.join(" | ");
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

/// The grid column where each of `labels` starts, read from a table's header rows: every
/// header cell whose text names one of the labels marks its column, and the labels must come in
/// order from left to right (表四 repeats its five labels three times). `None` when the headers
/// do not name every label, as in a table without header rows or with garbled ones
/// ("数据1 … 数据6"): the caller then reads the figures by position.
///
/// This is how the official 2019 layout is read: its blocks merge cells differently, so
/// `<td>规章</td><td>13</td><td colspan="2">13</td><td>524</td>` puts the second figure under a
/// header two columns wide, and only the header says which figure it is.
pub fn header_starts(headers: &[&SourceRow], labels: &[&str]) -> Option<Vec<usize>> {
    let mut distinct: Vec<String> = Vec::new();
    for l in labels {
        let n = norm(l);
        if !distinct.contains(&n) {
            distinct.push(n);
        }
    }
    let mut found: Vec<(usize, usize)> = Vec::new(); // (column, index into distinct)
    for row in headers {
        for (c, cell) in row.cells.iter().enumerate() {
            if cell.text.is_empty() || found.iter().any(|(fc, _)| *fc == c) {
                continue;
            }
            let own = norm(&cell.text);
            if let Some(i) = best_match(&own, &own, &distinct) {
                found.push((c, i));
            }
        }
    }
    found.sort_unstable();
    let order: Vec<&str> = found.iter().map(|&(_, i)| distinct[i].as_str()).collect();
    let want: Vec<String> = labels.iter().map(|l| norm(l)).collect();
    (order == want).then(|| found.into_iter().map(|(c, _)| c).collect())
}

/// The figures of `row` placed under the headers starting at `starts`: each non-empty cell from
/// the first header's column on goes to the header whose columns hold it (a merged cell is
/// empty past its first column), a header with no figure gets a blank cell. `Err` names the
/// header (index into `starts`) that two figures fall under.
pub fn map_by_header(row: &SourceRow, starts: &[usize]) -> Result<Vec<SourceCell>, usize> {
    let first = *starts.first().ok_or(0usize)?;
    let mut out: Vec<Option<SourceCell>> = vec![None; starts.len()];
    for (c, cell) in row.cells.iter().enumerate().skip(first) {
        if cell.text.is_empty() {
            continue;
        }
        let j = starts.iter().rposition(|&s| s <= c).unwrap_or(0);
        if out[j].is_some() {
            return Err(j);
        }
        out[j] = Some(cell.clone());
    }
    Ok(out
        .into_iter()
        .map(|c| {
            c.unwrap_or_else(|| SourceCell {
                text: String::new(),
                pos: row.place.pos(),
            })
        })
        .collect())
}

/// The header rows that apply to `rows[at]`, a row of a page table (HTML; text tables have no
/// reliable columns and get none). `nearest`: the run of rows without figures nearest above it
/// (表二's blocks each have their own header row); else the rows of its table before the
/// table's first row with figures (表三 and 表四 have one header of up to three rows).
fn headers_above<'a>(rows: &[&'a SourceRow], at: usize, nearest: bool) -> Vec<&'a SourceRow> {
    let table = rows[at].place.table;
    if table == 0 {
        return Vec::new();
    }
    let same: Vec<&'a SourceRow> = rows[..at]
        .iter()
        .rev()
        .take_while(|r| r.place.table == table)
        .copied()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if nearest {
        let end = same
            .iter()
            .rposition(|r| !has_figure(r))
            .map_or(0, |i| i + 1);
        let start = same[..end]
            .iter()
            .rposition(|r| has_figure(r))
            .map_or(0, |i| i + 1);
        same[start..end].to_vec()
    } else {
        same.into_iter().take_while(|r| !has_figure(r)).collect()
    }
}

struct Reader<'a> {
    opts: &'a Options,
    diags: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn at_row(&mut self, row: &SourceRow, message: String, help: &str) {
        let d = Diagnostic::new(
            CODE,
            &self.opts.file,
            row.place.pos(),
            format!("{message}{}", row.place.describe()),
        );
        let width = row.cells.first().map(|c| c.text.as_str()).unwrap_or("|");
        self.diags.push(d.width(width).help(help));
    }

    /// One finding for the rows with figures whose label names no row of the table: at the
    /// first, saying how many there are (a run of them is one cause, often the next section's
    /// heading not standing on its own line).
    fn unknown_rows(&mut self, id: TableId, rows: &[&SourceRow], help: &str) {
        let Some(first) = rows.first() else {
            return;
        };
        let message = if rows.len() == 1 {
            format!("{}中无法识别这一行：“{}”", id.short(), row_text(first))
        } else {
            format!(
                "{}中有 {} 行无法识别，第一行：“{}”",
                id.short(),
                rows.len(),
                row_text(first)
            )
        };
        let help = if rows.len() == 1 {
            help.to_string()
        } else {
            format!(
                "{help}；一连几行都认不出时，多半是下一部分的标题没有单独成行，或表格不在它那一部分下面"
            )
        };
        self.at_row(first, message, &help);
    }

    fn at(&mut self, pos: Pos, width: &str, message: String, help: &str) {
        self.diags.push(
            Diagnostic::new(CODE, &self.opts.file, pos, message)
                .width(width)
                .help(help),
        );
    }

    /// Reads the cells of `row` (a row of `table`) into `out`; a finding for each unreadable one.
    fn cells(
        &mut self,
        table: &TableSpec,
        row: usize,
        src: &[&SourceCell],
        place: Place,
    ) -> Option<Vec<CellOut>> {
        let spec = &table.rows[row];
        let mut out = Vec::with_capacity(src.len());
        for (cell, col) in src.iter().zip(spec.columns) {
            match cells::read(&cell.text, col.kind) {
                Ok(c) => out.push(c),
                Err(msg) => {
                    let pos = if cell.pos.line > 0 {
                        cell.pos
                    } else {
                        place.pos()
                    };
                    self.at(
                        pos,
                        &cell.text,
                        format!(
                            "{}·{}·{}：{msg}{}",
                            table.id.short(),
                            spec.name,
                            col.label,
                            place.describe()
                        ),
                        cell_hint(col.kind),
                    );
                }
            }
        }
        (out.len() == src.len()).then_some(out)
    }
}

fn cell_hint(kind: CellKind) -> &'static str {
    match kind {
        CellKind::Count => {
            "在导入的文本中改正这一格：件数写阿拉伯数字，不适用写 /；原文如此的，照原文核对后再导入"
        }
        CellKind::Signed => "本年增/减写整数，如 +173、-4、减4",
        CellKind::Amount => "金额写数字，可带单位，如 96171.6、75394432.52元",
    }
}

/// Every label of a format's tables (columns, rows, groups): (normalised, as printed).
fn format_labels(spec: &FormatSpec) -> Vec<(String, &'static str)> {
    let mut v = Vec::new();
    for t in spec.tables() {
        for r in t.rows {
            v.extend(r.columns.iter().map(|c| (norm(c.label), c.label)));
        }
        for r in t.rows {
            v.push((norm(r.label), r.label));
            v.extend(r.group.map(|g| (norm(g), g)));
        }
    }
    let mut seen = std::collections::HashSet::new();
    v.retain(|(n, _)| seen.insert(n.clone()));
    v
}

/// Every label of the national tables, both formats, normalised: rows, groups, columns, 表二's
/// block headings and the other headers of the official layout.
static TABLE_WORDS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    use crate::content::layout::{Content, grid};
    let mut words: Vec<String> = Vec::new();
    for spec in [&F2019, &F2021] {
        words.extend(format_labels(spec).into_iter().map(|(n, _)| n));
        for table in spec.tables() {
            for cell in grid(table).cells {
                if let Content::Header(t) | Content::Label(t) = cell.content {
                    words.push(norm(t));
                }
            }
        }
    }
    words.sort();
    words.dedup();
    words
});

/// Whether a line under 二, 三 or 四 is a piece of a table printed as text (a block heading
/// "第二十条 第（一）项", a header "本年处理决定数量" or part of one, a row of figures) rather
/// than the report's prose, which is kept whatever its length.
pub fn is_table_text(text: &str) -> bool {
    let n = norm(text);
    if n.is_empty() || text.split_whitespace().all(is_value) {
        return true;
    }
    n.chars().count() <= 40 && TABLE_WORDS.iter().any(|w| w.contains(&n))
}

/// The format the tables' headings show, and a note saying why.
pub fn detect_format(doc: &Doc, year: i32) -> (Format, String) {
    let mut seen: Vec<String> = Vec::new();
    for n in [2, 3] {
        for row in doc.rows(n) {
            seen.extend(row.texts().map(norm));
        }
        seen.extend(doc.lines(n).into_iter().map(norm));
    }
    let (l19, l21) = (format_labels(&F2019), format_labels(&F2021));
    let hits =
        |own: &[(String, &'static str)], other: &[(String, &'static str)]| -> Vec<&'static str> {
            own.iter()
                .filter(|(n, _)| !other.iter().any(|(o, _)| o == n) && seen.contains(n))
                .map(|(_, l)| *l)
                .collect()
        };
    let (h19, h21) = (hits(&l19, &l21), hits(&l21, &l19));
    let show = |h: &[&str]| {
        h.iter()
            .take(3)
            .map(|l| format!("“{l}”"))
            .collect::<Vec<_>>()
            .join("")
    };
    if h21.len() > h19.len() {
        (
            Format::F2021,
            format!("按表头判断为 2021 格式（表中有{}）", show(&h21)),
        )
    } else if h19.len() > h21.len() {
        (
            Format::F2019,
            format!("按表头判断为 2019 格式（表中有{}）", show(&h19)),
        )
    } else {
        let f = Format::default_for_year(year);
        (
            f,
            format!("表头中没有能区分格式的字样，按年度用 {} 格式", f.id()),
        )
    }
}

/// Reads the three tables. The notes tell the user what was decided for them.
pub fn read(doc: &Doc, opts: &Options) -> Result<(Figures, Vec<String>), Vec<Diagnostic>> {
    let (format, note) = detect_format(doc, opts.year);
    let mut notes = vec![note];
    let spec = format.spec();
    let mut r = Reader {
        opts,
        diags: Vec::new(),
    };
    let mut figures = Figures {
        format,
        active: vec![None; spec.active.rows.len()],
        applications: vec![None; spec.applications.rows.len()],
        appeals: vec![None; spec.appeals.rows.len()],
        notes: Vec::new(),
    };
    for id in TableId::ALL {
        let n = id.section();
        let Some(section) = doc.section(n) else {
            let next = doc
                .sections
                .iter()
                .find(|s| s.number > n)
                .map_or(0, |s| s.line);
            r.at(
                Pos::new(next, if next > 0 { 1 } else { 0 }),
                "",
                format!("找不到第{}部分“{}”，无法读取{}", crate::content::body::NUMERALS[n as usize - 1], id.heading(), id.short()),
                "导入的文本中每个表格前应有它那一部分的标题，如“三、收到和处理政府信息公开申请情况”，标题单独成行",
            );
            continue;
        };
        let rows = doc.rows(n);
        if rows.is_empty() {
            r.at(
                Pos::new(section.line, 1),
                &section.heading,
                format!("“{}”下面没有{}", section.heading, id.short()),
                "表格应是每行一行、单元格以 | 分隔的文本，或每格一行、以 Tab 开头的文本，或网页中的 <table>",
            );
            continue;
        }
        match id {
            TableId::Active => active(&mut r, &spec.active, &rows, &mut figures),
            TableId::Applications => {
                applications(&mut r, &spec.applications, &rows, &mut figures, &mut notes)
            }
            TableId::Appeals => appeals(&mut r, &spec.appeals, &rows, &mut figures),
        }
        let mut missing: Vec<&str> = Vec::new();
        for (i, row) in spec.table(id).rows.iter().enumerate() {
            if figures.table(id)[i].is_some()
                || r.diags.iter().any(|d| d.message.contains(row.name))
            {
                continue;
            }
            if OMITTABLE.contains(&(id, row.key)) {
                figures.table_mut(id)[i] =
                    Some(vec![CellOut::NotApplicable("/"); row.columns.len()]);
                figures.notes.push((
                    id,
                    row.key.to_string(),
                    "原表没有这一行，按不适用导入".into(),
                ));
                notes.push(format!(
                    "警告：{}没有“{}”一行（没有规章制定权的单位常略去这一行），按不适用导入为 /；若原表有这一行，在导入的报告中照原表填写",
                    id.short(),
                    row.name
                ));
            } else {
                missing.push(row.name);
            }
        }
        // One finding for the table, however many rows it lacks.
        if let Some(first) = missing.first() {
            let message = if missing.len() == 1 {
                format!("{}缺少“{first}”一行", id.short())
            } else {
                let shown: Vec<String> = missing.iter().take(3).map(|n| format!("“{n}”")).collect();
                format!(
                    "{}缺少 {} 行：{}{}",
                    id.short(),
                    missing.len(),
                    shown.join(""),
                    if missing.len() > 3 { "等" } else { "" }
                )
            };
            r.at(
                Pos::new(section.line, 1),
                &section.heading,
                message,
                "核对原文：这些行可能被拆散或标签印错；补好导入的文本后再导入",
            );
        }
    }
    if r.diags.is_empty() {
        Ok((figures, notes))
    } else {
        Err(r.diags)
    }
}

/// Splits a row into (label cells, own label, value cells) the 表二 way: the label is the last
/// text cell before the first figure.
fn split_after_label(row: &SourceRow) -> Option<(usize, &[SourceCell])> {
    let first_value = row
        .cells
        .iter()
        .position(|c| !c.text.is_empty() && is_value(&c.text))
        .unwrap_or(row.cells.len());
    let label = row.cells[..first_value]
        .iter()
        .rposition(|c| !c.text.is_empty() && !is_value(&c.text))?;
    Some((label, &row.cells[label + 1..]))
}

fn active(r: &mut Reader, table: &TableSpec, rows: &[&SourceRow], figures: &mut Figures) {
    let candidates: Vec<String> = table.rows.iter().map(|row| norm(row.label)).collect();
    let mut unknown: Vec<&SourceRow> = Vec::new();
    for (at, row) in rows.iter().enumerate() {
        let matched = split_after_label(row).and_then(|(label, values)| {
            let own = norm(&row.cells[label].text);
            let joined: String = row.cells[..=label].iter().map(|c| norm(&c.text)).collect();
            best_match(&own, &joined, &candidates).map(|i| (i, label, values))
        });
        let Some((i, label, values)) = matched else {
            if has_figure(row) {
                unknown.push(*row);
            }
            continue;
        };
        let spec = &table.rows[i];
        let need = spec.columns.len();
        if figures.active[i].is_some() {
            r.at_row(
                row,
                format!("表二·{} 出现了两次", spec.name),
                "删去重复的一行后再导入",
            );
            continue;
        }
        // Through the block's header row when it names the columns; else by position.
        let names: Vec<&str> = spec.columns.iter().map(|c| c.label).collect();
        let headers = headers_above(rows, at, true);
        let by_header = header_starts(&headers, &names)
            .filter(|starts| starts[0] > label)
            .map(|starts| map_by_header(row, &starts));
        let src: Vec<SourceCell> = match by_header {
            Some(Ok(cells)) => cells,
            Some(Err(j)) => {
                r.at_row(
                    row,
                    format!(
                        "表二·{} 在表头“{}”下有两个数",
                        spec.name, spec.columns[j].label
                    ),
                    "核对这一行：每列一个数，空格写 /",
                );
                continue;
            }
            None => match by_position(values, need, row.grid) {
                Some(cells) => cells,
                None => {
                    let got = values.iter().filter(|c| !c.text.is_empty()).count();
                    r.at_row(
                        row,
                        format!(
                            "表二·{} 应有 {need} 个数（{}），这一行标签后有 {got} 个数、{} 格",
                            spec.name,
                            labels(spec.columns),
                            values.len()
                        ),
                        "核对这一行：每列一个数，空格写 /",
                    );
                    continue;
                }
            },
        };
        let src: Vec<&SourceCell> = src.iter().collect();
        figures.active[i] = r.cells(table, i, &src, row.place);
    }
    r.unknown_rows(
        TableId::Active,
        &unknown,
        "行的标签应是表二的一项，如“规章”“行政许可”；核对导入的文本",
    );
}

/// 表二's figures read by position when no header says where they are: the `need` cells after
/// the label when nothing follows them; in a grid, the non-empty cells when there are exactly
/// `need` of them (merged cells leave empty ones between).
fn by_position(values: &[SourceCell], need: usize, grid: bool) -> Option<Vec<SourceCell>> {
    let extra = values
        .iter()
        .skip(need)
        .filter(|c| !c.text.is_empty())
        .count();
    if values.len() >= need && extra == 0 {
        return Some(values[..need].to_vec());
    }
    let filled: Vec<SourceCell> = values
        .iter()
        .filter(|c| !c.text.is_empty())
        .cloned()
        .collect();
    (grid && filled.len() == need).then_some(filled)
}

fn labels(cols: &[crate::content::format::Column]) -> String {
    cols.iter().map(|c| c.label).collect::<Vec<_>>().join("、")
}

fn applications(
    r: &mut Reader,
    table: &TableSpec,
    rows: &[&SourceRow],
    figures: &mut Figures,
    notes: &mut Vec<String>,
) {
    let width = table.max_columns();
    let mut candidates: Vec<String> = table.rows.iter().map(|row| norm(row.label)).collect();
    // 2021: a single （六）其他处理 row without its three sub-rows.
    let group6 = table
        .rows
        .iter()
        .find(|row| row.key.starts_with("other."))
        .and_then(|row| row.group);
    if let Some(g) = group6 {
        candidates.push(norm(g));
    }
    // In a grid every row has as many cells as the widest data row.
    let grid_width = rows
        .iter()
        .filter(|row| row.grid && has_figure(row))
        .map(|row| row.cells.len())
        .max();
    let mut single_other: Option<(&SourceRow, Vec<CellOut>)> = None;
    let mut unknown: Vec<&SourceRow> = Vec::new();
    let applicants: Vec<&str> = crate::content::format::APPLICANTS
        .iter()
        .map(|c| c.label)
        .collect();
    for (at, row) in rows.iter().enumerate() {
        let cells = &row.cells;
        // A page table whose header names the seven columns: figures through the header grid.
        let by_header = header_starts(&headers_above(rows, at, false), &applicants)
            .filter(|s| s[0] > 0 && s[0] <= cells.len())
            .map(|s| (s[0], map_by_header(row, &s)));
        // Labels on the left, the seven figures on the right; a row short of figures still has
        // all its labels on the left.
        // In a full grid row the figures are the last seven cells, whatever they hold.
        let first_figure = cells
            .iter()
            .position(|c| !c.text.is_empty() && is_value(&c.text))
            .unwrap_or(cells.len());
        let after_labels = cells[..first_figure]
            .iter()
            .rposition(|c| !c.text.is_empty() && !is_value(&c.text))
            .map_or(0, |i| i + 1);
        let split = if let Some((first, _)) = &by_header {
            *first
        } else if row.grid && grid_width == Some(cells.len()) {
            cells.len().saturating_sub(width)
        } else {
            cells.len().saturating_sub(width).max(after_labels)
        };
        let (label_cells, values) = cells.split_at(split);
        let own = label_cells
            .iter()
            .rev()
            .find(|c| !c.text.is_empty())
            .map(|c| norm(&c.text))
            .unwrap_or_default();
        let joined: String = label_cells.iter().map(|c| norm(&c.text)).collect();
        let Some(i) = best_match(&own, &joined, &candidates) else {
            if has_figure(row) {
                unknown.push(*row);
            }
            continue;
        };
        let name = table
            .rows
            .get(i)
            .map_or(group6.unwrap_or(""), |row| row.name);
        let mapped = match by_header {
            Some((_, Ok(v))) => Some(v),
            Some((_, Err(j))) => {
                r.at_row(
                    row,
                    format!(
                        "表三·{name} 在表头“{}”下有两个数",
                        crate::content::format::APPLICANTS[j].label
                    ),
                    "核对这一行：每列一个数",
                );
                continue;
            }
            None => None,
        };
        if mapped.is_none() && row.grid && grid_width.is_some_and(|w| w != cells.len()) {
            r.at_row(
                row,
                format!(
                    "表三·{name} 这一行有 {} 格，表中其他行有 {} 格：不知道缺的是哪一格",
                    cells.len(),
                    grid_width.unwrap_or(0)
                ),
                "在导入的文本中把这一行补齐（空着的格子写 | |）",
            );
            continue;
        }
        let values: &[SourceCell] = mapped.as_deref().unwrap_or(values);
        if values.len() != width {
            let got = values.iter().filter(|c| !c.text.is_empty()).count();
            r.at_row(
                row,
                format!(
                    "表三·{name} 应有 {width} 个数（{}），读到 {got} 个",
                    labels(crate::content::format::APPLICANTS)
                ),
                "核对这一行：每列一个数",
            );
            continue;
        }
        let src: Vec<&SourceCell> = values.iter().collect();
        if i == table.rows.len() {
            // The single （六）其他处理 row of a 2021 table: read as the first sub-row's columns.
            let first = table
                .rows
                .iter()
                .position(|row| row.key.starts_with("other."))
                .unwrap_or(0);
            if let Some(c) = r.cells(table, first, &src, row.place) {
                single_other = Some((row, c));
            }
            continue;
        }
        if figures.applications[i].is_some() {
            r.at_row(
                row,
                format!("表三·{name} 出现了两次"),
                "删去重复的一行后再导入",
            );
            continue;
        }
        figures.applications[i] = r.cells(table, i, &src, row.place);
    }
    r.unknown_rows(
        TableId::Applications,
        &unknown,
        "行的标签应是表三的一项，如“1.属于国家秘密”；标签残缺太多的，在导入的文本中补全",
    );
    if let Some((row, cells)) = single_other {
        let subs: Vec<usize> = (0..table.rows.len())
            .filter(|&i| table.rows[i].key.starts_with("other."))
            .collect();
        if subs.iter().any(|&i| figures.applications[i].is_some()) {
            r.at_row(
                row,
                "表三中（六）其他处理既有合计行又有分项".into(),
                "2021 格式只填三个分项；删去合计行后再导入",
            );
        } else if cells.iter().all(CellOut::is_zero) {
            for &i in &subs {
                figures.applications[i] = Some(vec![CellOut::zero(); width]);
            }
            figures.notes.push((
                TableId::Applications,
                "other".into(),
                "原表只有一行，全为 0".into(),
            ));
            notes.push(format!(
                "表三（六）其他处理原表只有一行（第 {} 行），全为 0，三个分项都填 0",
                row.place.line
            ));
        } else {
            r.at_row(
                row,
                "表三（六）其他处理只有一行，2021 格式分为三项，不全为 0 时无法拆分".into(),
                "按原报告把这一行拆成“1.申请人无正当理由逾期不补正…”“2.申请人逾期未按收费通知要求缴纳费用…”“3.其他”三行后再导入",
            );
        }
    }
}

fn appeals(r: &mut Reader, table: &TableSpec, rows: &[&SourceRow], figures: &mut Figures) {
    let per_row = table.max_columns();
    let need = per_row * table.rows.len();
    let figure_rows: Vec<&&SourceRow> = rows.iter().filter(|row| has_figure(row)).collect();
    let Some(first) = figure_rows.first() else {
        if let Some(row) = rows.first() {
            r.at_row(
                row,
                format!(
                    "表四中找不到数字：应有 {need} 个数（行政复议 {per_row} 个、行政诉讼 {} 个）",
                    need - per_row
                ),
                "核对导入的文本中表四的数字行",
            );
        }
        return;
    };
    // One row of figures under a header naming the fifteen columns: through the header grid.
    let names: Vec<&str> = table
        .rows
        .iter()
        .flat_map(|row| row.columns.iter().map(|c| c.label))
        .collect();
    let at = rows
        .iter()
        .position(|row| std::ptr::eq(*row, **first))
        .unwrap_or(0);
    let mapped = (figure_rows.len() == 1)
        .then(|| header_starts(&headers_above(rows, at, false), &names))
        .flatten()
        .and_then(|s| map_by_header(first, &s).ok());
    let mut values: Vec<&SourceCell> = match &mapped {
        Some(cells) => cells.iter().collect(),
        None => figure_rows
            .iter()
            .flat_map(|row| row.cells.iter())
            .collect(),
    };
    while values.len() > need && values.first().is_some_and(|c| c.text.is_empty()) {
        values.remove(0);
    }
    while values.len() > need && values.last().is_some_and(|c| c.text.is_empty()) {
        values.pop();
    }
    if values.len() != need {
        r.at_row(
            first,
            format!("表四应有 {need} 个数（行政复议 {per_row} 个、行政诉讼 {} 个），读到 {} 个", need - per_row, values.len()),
            "表四按原表从左到右：行政复议的结果维持、结果纠正、其他结果、尚未审结、总计，再是未经复议直接起诉和复议后起诉各五个",
        );
        return;
    }
    for (i, chunk) in values.chunks(per_row).enumerate() {
        figures.appeals[i] = r.cells(table, i, chunk, first.place);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_labels_still_name_their_rows() {
        let t = &F2021.applications;
        let c: Vec<String> = t.rows.iter().map(|r| norm(r.label)).collect();
        let find = |own: &str| best_match(&norm(own), &norm(own), &c).map(|i| t.rows[i].key);
        assert_eq!(find("2.其他法律行政止公开"), Some("withheld.prohibited"));
        assert_eq!(
            find("1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            Some("other.no_correction")
        );
        assert_eq!(
            find("5.要求行政机关确认或重 新出具已获取信息"),
            Some("not_processed.confirmation")
        );
        assert_eq!(
            find("（二）部分公开（区分处理的，只计这一情 形，不计其他情形）"),
            Some("partial")
        );
        assert_eq!(find("（七）总 计"), Some("total"));
        assert_eq!(find("申请人情况"), None);
        assert_eq!(find("自然人"), None);
        let joined = norm("（三）不予公开1.属于国家秘密");
        assert_eq!(
            best_match("", &joined, &c).map(|i| t.rows[i].key),
            Some("withheld.state_secret")
        );
    }

    fn grid_row(cells: &[&str]) -> SourceRow {
        SourceRow {
            cells: cells
                .iter()
                .map(|t| SourceCell {
                    text: t.to_string(),
                    pos: Pos::new(1, 0),
                })
                .collect(),
            place: Place {
                line: 1,
                column: 1,
                table: 1,
                row: 1,
            },
            grid: true,
        }
    }

    /// The 2019 official layout: the header and the figures merge different columns.
    #[test]
    fn figures_are_placed_through_the_header_grid() {
        let labels = ["本年新制作数量", "本年新公开数量", "对外公开总数量"];
        let head = grid_row(&[
            "信息内容",
            "本年新制作数量",
            "本年新公开数量",
            "",
            "对外公开总数量",
        ]);
        let starts = header_starts(&[&head], &labels).unwrap();
        assert_eq!(starts, [1, 2, 4]);
        let texts = |cells: Vec<SourceCell>| cells.into_iter().map(|c| c.text).collect::<Vec<_>>();
        let row = grid_row(&["规章", "13", "13", "", "524"]);
        assert_eq!(
            texts(map_by_header(&row, &starts).unwrap()),
            ["13", "13", "524"]
        );
        // A figure merged over the first two columns, a blank under the second header.
        let row = grid_row(&["行政强制", "4", "", "", "3"]);
        assert_eq!(texts(map_by_header(&row, &starts).unwrap()), ["4", "", "3"]);
        let row = grid_row(&["规章", "1", "2", "3", "4"]);
        assert_eq!(map_by_header(&row, &starts), Err(1));
        // A block heading with a footnote mark is not a row of figures.
        assert!(!has_figure(&grid_row(&[
            "第二十条第（一）项[1]",
            "",
            "",
            "",
            ""
        ])));
        assert!(has_figure(&grid_row(&["规章", "13"])));
        // Garbled headers name no column: the caller reads by position.
        let garbled = grid_row(&["", "数据1", "数据2", "数据3"]);
        assert_eq!(header_starts(&[&garbled], &labels), None);
        // 表四: five labels three times, over two header rows.
        let results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
        let mut top = vec!["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
        top.extend([
            "未经复议直接起诉",
            "",
            "",
            "",
            "",
            "复议后起诉",
            "",
            "",
            "",
            "",
        ]);
        let mut second = vec![""; 5];
        second.extend(results.iter().chain(&results));
        let all: Vec<&str> = results.iter().cycle().take(15).copied().collect();
        let starts = header_starts(&[&grid_row(&top), &grid_row(&second)], &all).unwrap();
        assert_eq!(starts, (0..15).collect::<Vec<_>>());
    }

    #[test]
    fn norm_removes_spaces_and_unifies_marks() {
        assert_eq!(norm("结 果维持"), "结果维持");
        assert_eq!(norm("1、申请人"), "1.申请人");
        assert_eq!(norm("3.危及“三安全一稳定”"), "3.危及三安全一稳定");
        assert_eq!(norm("（一）"), "(一)");
    }
}
