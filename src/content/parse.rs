//! From file text to the content model: front matter, schema and cells, with every finding
//! positioned in the file. Pure functions; the loader does the I/O.

use super::body;
use super::cell::{CellError, parse_cell};
use super::format::{Format, Row, TableId, TableSpec, all_row_keys};
use super::frontmatter::{self, SplitError};
use super::model::{Acknowledged, Date, Report, RowData, SiteConfig, TableData, Unit, UnitKind};
use super::suggest;
use super::yaml::{self, Key, Node, Pos, Value};
use crate::diagnostic::{Diagnostic, Rule};
use std::borrow::Cow;

/// Removes a UTF-8 BOM and turns CRLF into LF; lines and columns are unchanged.
pub fn normalize(text: &str) -> std::borrow::Cow<'_, str> {
    let t = text.strip_prefix('\u{feff}').unwrap_or(text);
    if t.contains('\r') {
        t.replace("\r\n", "\n").into()
    } else {
        t.into()
    }
}

/// Front matter parsed into a tree, plus the body; or the `yaml` finding that stopped it.
pub struct Parsed<'a> {
    pub root: Node<'a>,
    pub body: &'a str,
    pub body_line: u32,
}

#[allow(clippy::result_large_err)] // one finding, built once per bad file
pub fn front_matter<'a>(file: &str, text: &'a str) -> Result<Parsed<'a>, Diagnostic> {
    let split = frontmatter::split(text).map_err(|e| {
        let msg = match e {
            SplitError::NoOpening => "文件开头缺少 `---`：前置元数据要放在两行 `---` 之间",
            SplitError::NoClosing => "前置元数据没有结束的 `---` 行",
        };
        Diagnostic::new(Rule::Yaml, file, Pos::new(1, 1), msg)
            .help("文件第一行写 `---`，然后是 YAML 键值，再写一行 `---`，之后才是正文")
    })?;
    let root = yaml::parse(split.yaml, split.yaml_line_offset).map_err(|e| {
        Diagnostic::new(
            Rule::Yaml,
            file,
            e.pos,
            format!("YAML 语法错误：{}", e.message),
        )
        .help("检查这一行及上一行的缩进、冒号和括号；含有冒号等符号的文字请加引号")
    })?;
    if !matches!(root.value, Value::Map(_)) {
        return Err(
            Diagnostic::new(Rule::Yaml, file, root.pos, "前置元数据应是“键: 值”的列表")
                .help("每行写成 `title: 标题` 这样的形式"),
        );
    }
    Ok(Parsed {
        root,
        body: split.body,
        body_line: split.body_line,
    })
}

fn unknown_key(file: &str, key: &Key, known: &[&str], what: &str) -> Diagnostic {
    let d = Diagnostic::new(
        Rule::Schema,
        file,
        key.pos,
        format!("{what}中没有“{}”这个键", key.name),
    )
    .width(&key.name);
    match suggest(&key.name, known.iter().copied()) {
        Some(s) => d.help(format!("是不是要写 `{s}`？")),
        None => d.help(format!("可用的键：{}", known.join("、"))),
    }
}

fn text_value(file: &str, key: &Key, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<String> {
    match node.scalar_text() {
        Some(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        None if matches!(node.value, Value::Null) => None,
        None => {
            diags.push(
                Diagnostic::new(
                    Rule::Schema,
                    file,
                    node.pos,
                    format!("`{}` 应为一段文字，实为{}", key.name, node.kind_name()),
                )
                .help("写在同一行，如 `name: 项城市人民政府`"),
            );
            None
        }
    }
}

const SITE_KEYS: &[&str] = &[
    "title",
    "base_url",
    "owner",
    "operator",
    "site_code",
    "icp",
    "police_record",
    "contact",
    "theme",
    "column",
    "fragments",
];

/// Parses `content/_index.md`.
pub fn site(file: &str, text: &str) -> (SiteConfig, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut cfg = SiteConfig {
        file: file.to_string(),
        ..Default::default()
    };
    let parsed = match front_matter(file, text) {
        Ok(p) => p,
        Err(d) => return (cfg, vec![d]),
    };
    cfg.intro = parsed.body.trim().to_string();
    for (key, node) in parsed.root.as_map().unwrap_or(&[]) {
        let slot = match &*key.name {
            "title" => {
                cfg.title = text_value(file, key, node, &mut diags).unwrap_or_default();
                continue;
            }
            "contact" => {
                cfg.contact = match &node.value {
                    Value::Seq(items) => items.iter().filter_map(|i| i.scalar_text()).collect(),
                    _ => text_value(file, key, node, &mut diags)
                        .into_iter()
                        .flat_map(|s| s.lines().map(str::to_string).collect::<Vec<_>>())
                        .collect(),
                };
                continue;
            }
            "fragments" => {
                match node.value {
                    Value::Bool(b) => cfg.fragments = b,
                    Value::Null => {}
                    _ => diags.push(
                        Diagnostic::new(
                            Rule::Schema,
                            file,
                            node.pos,
                            format!("`fragments` 应为 true 或 false，实为{}", node.kind_name()),
                        )
                        .help(
                            "写 `fragments: true` 为每份报告生成 fragment.html，不需要时删去这一行",
                        ),
                    ),
                }
                continue;
            }
            "base_url" => &mut cfg.base_url,
            "owner" => &mut cfg.owner,
            "operator" => &mut cfg.operator,
            "site_code" => &mut cfg.site_code,
            "icp" => &mut cfg.icp,
            "police_record" => &mut cfg.police_record,
            "theme" => &mut cfg.theme,
            "column" => &mut cfg.column,
            _ => {
                diags.push(unknown_key(file, key, SITE_KEYS, "站点设置"));
                continue;
            }
        };
        *slot = text_value(file, key, node, &mut diags);
    }
    if cfg.title.is_empty() {
        diags.push(
            Diagnostic::new(
                Rule::Schema,
                file,
                Pos::new(1, 1),
                "站点设置缺少 `title`（网站栏目标题）",
            )
            .help("加一行，如 `title: 项城市政府信息公开工作年度报告`"),
        );
    }
    (cfg, diags)
}

const UNIT_KEYS: &[&str] = &["name", "short_name", "kind", "order"];

/// Parses `content/<unit>/_index.md`. `None` when the unit lacks what it needs (`unit` finding).
pub fn unit(
    file: &str,
    id: &str,
    parent: Option<String>,
    text: &str,
) -> (Option<Unit>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let parsed = match front_matter(file, text) {
        Ok(p) => p,
        Err(d) => return (None, vec![d]),
    };
    let (mut name, mut short_name, mut kind, mut order) = (None, None, None, None);
    let mut kind_bad = false;
    for (key, node) in parsed.root.as_map().unwrap_or(&[]) {
        match &*key.name {
            "name" => name = text_value(file, key, node, &mut diags),
            "short_name" => short_name = text_value(file, key, node, &mut diags),
            "kind" => {
                let text = text_value(file, key, node, &mut diags).unwrap_or_default();
                kind = UnitKind::parse(&text);
                if kind.is_none() {
                    kind_bad = true;
                    let labels: Vec<&str> = UnitKind::ALL.iter().map(|k| k.label()).collect();
                    diags.push(
                        Diagnostic::new(
                            Rule::Unit,
                            file,
                            node.pos,
                            format!("不认识的单位类别“{text}”"),
                        )
                        .width(node.raw)
                        .help(format!("`kind` 只能是：{}", labels.join("、"))),
                    );
                }
            }
            "order" => match node.value {
                Value::Int(i) => order = Some(i),
                _ => diags.push(
                    Diagnostic::new(Rule::Schema, file, node.pos, "`order` 应为整数")
                        .width(node.raw)
                        .help("同级单位按 `order` 从小到大排列，如 `order: 10`"),
                ),
            },
            _ => diags.push(unknown_key(file, key, UNIT_KEYS, "单位设置")),
        }
    }
    if name.is_none() {
        diags.push(
            Diagnostic::new(
                Rule::Unit,
                file,
                Pos::new(1, 1),
                "单位缺少 `name`（单位全称）",
            )
            .help("加一行，如 `name: 项城市人民政府花园街道办事处`"),
        );
    }
    if kind.is_none() && !kind_bad {
        diags.push(
            Diagnostic::new(
                Rule::Unit,
                file,
                Pos::new(1, 1),
                "单位缺少 `kind`（单位类别）",
            )
            .help("加一行 `kind: 街道`；可选：人民政府、部门、乡镇、街道、其他"),
        );
    }
    let unit = match (name, kind) {
        (Some(name), Some(kind)) => Some(Unit {
            id: id.to_string(),
            parent,
            name,
            short_name,
            kind,
            order,
            intro: parsed.body.trim().to_string(),
            file: file.to_string(),
        }),
        _ => None,
    };
    (unit, diags)
}

const REPORT_KEYS: &[&str] = &[
    "year",
    "format",
    "published",
    "draft",
    "title",
    "acknowledged",
    "active",
    "applications",
    "appeals",
];

/// Parses `content/<unit>/<YYYY>.md`. `stem_year` is the year in the file name.
pub fn report(
    file: &str,
    unit: &str,
    stem_year: i32,
    text: &str,
) -> (Option<Report>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let parsed = match front_matter(file, text) {
        Ok(p) => p,
        Err(d) => return (None, vec![d]),
    };
    let entries = parsed.root.as_map().unwrap_or(&[]);
    let get = |name: &str| entries.iter().find(|(k, _)| k.name == name);

    for (key, _) in entries {
        if !REPORT_KEYS.contains(&&*key.name) {
            diags.push(unknown_key(file, key, REPORT_KEYS, "报告"));
        }
    }

    let mut year = stem_year;
    let mut year_pos = Pos::new(1, 1);
    match get("year") {
        Some((_, node)) => {
            year_pos = node.pos;
            match node.value {
                Value::Int(y) if y == stem_year as i64 => {}
                Value::Int(y) => {
                    year = y as i32;
                    diags.push(
                        Diagnostic::new(
                            Rule::Year,
                            file,
                            node.pos,
                            format!("`year` 写的是 {y}，文件名却是 {stem_year}.md"),
                        )
                        .width(node.raw)
                        .expected_actual(stem_year, y)
                        .help(format!("改正 `year`，或把文件改名为 {y}.md")),
                    );
                }
                _ => diags.push(
                    Diagnostic::new(Rule::Schema, file, node.pos, "`year` 应为四位数的年份")
                        .width(node.raw)
                        .help(format!("写成 `year: {stem_year}`")),
                ),
            }
        }
        None => diags.push(
            Diagnostic::new(
                Rule::Schema,
                file,
                Pos::new(1, 1),
                "报告缺少 `year`（报告年度）",
            )
            .help(format!("加一行 `year: {stem_year}`")),
        ),
    }

    let mut format = Format::default_for_year(year);
    let mut format_pos = None;
    if let Some((_, node)) = get("format") {
        format_pos = Some(node.pos);
        match node.scalar_text().as_deref().and_then(Format::parse) {
            Some(f) => format = f,
            None => diags.push(
                Diagnostic::new(
                    Rule::Schema,
                    file,
                    node.pos,
                    format!("不认识的格式“{}”", node.raw),
                )
                .width(node.raw)
                .help("`format` 只能是 2019（2019、2020 年度）或 2021（2021 年度起）"),
            ),
        }
    }

    let mut published = None;
    let mut published_pos = None;
    if let Some((_, node)) = get("published") {
        published_pos = Some(node.pos);
        match node.scalar_text().as_deref().and_then(Date::parse) {
            Some(d) => published = Some(d),
            None => diags.push(
                Diagnostic::new(
                    Rule::Schema,
                    file,
                    node.pos,
                    format!("发布日期“{}”不是有效日期", node.raw),
                )
                .width(node.raw)
                .help("写成 `published: 2025-01-20`（年-月-日）"),
            ),
        }
    }

    let draft = match get("draft") {
        None => false,
        Some((_, node)) => match node.value {
            Value::Bool(b) => b,
            _ => {
                diags.push(
                    Diagnostic::new(Rule::Schema, file, node.pos, "`draft` 只能是 true 或 false")
                        .width(node.raw)
                        .help("草稿写 `draft: true`；发布时删除这一行"),
                );
                false
            }
        },
    };

    let title = get("title").and_then(|(k, n)| text_value(file, k, n, &mut diags));
    let acknowledged = get("acknowledged")
        .map(|(_, n)| acknowledged(file, n, &mut diags))
        .unwrap_or_default();

    let spec = format.spec();
    let tables = TableId::ALL.map(|id| match get(id.key()) {
        Some((key, node)) => table(file, spec.table(id), format, key, node, &mut diags),
        None => {
            diags.push(
                Diagnostic::new(
                    Rule::Schema,
                    file,
                    Pos::new(1, 1),
                    format!("报告缺少{}（`{}`）", id.heading(), id.key()),
                )
                .help(format!(
                    "用 `nianbao new` 生成的模板里有完整的 `{}` 表格",
                    id.key()
                )),
            );
            TableData {
                rows: vec![None; spec.table(id).rows.len()],
                pos: Pos::new(1, 1),
            }
        }
    });
    let [active, applications, appeals] = tables;

    let body = body::parse(parsed.body, parsed.body_line);
    let report = Report {
        unit: unit.to_string(),
        year,
        format,
        published,
        draft,
        title,
        acknowledged,
        active,
        applications,
        appeals,
        body,
        attachments: Vec::new(),
        file: file.to_string(),
        year_pos,
        format_pos,
        published_pos,
    };
    (Some(report), diags)
}

fn acknowledged(file: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Vec<Acknowledged> {
    let codes: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
    let Value::Seq(items) = &node.value else {
        diags.push(
            Diagnostic::new(Rule::Schema, file, node.pos, "`acknowledged` 应为列表")
                .help("写成 `acknowledged: [{rule: T4-total, note: 原文如此}]`"),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let Some(map) = item.as_map() else {
            diags.push(Diagnostic::new(
                Rule::Schema,
                file,
                item.pos,
                "`acknowledged` 的每一项应写成 `{rule: 规则代码, note: 说明}`",
            ));
            continue;
        };
        let (mut rule, mut note) = (None, None);
        for (k, v) in map {
            match &*k.name {
                "rule" => rule = Some(v),
                "note" => note = v.scalar_text(),
                _ => diags.push(unknown_key(file, k, &["rule", "note"], "`acknowledged` 项")),
            }
        }
        let Some(rule_node) = rule else {
            diags.push(Diagnostic::new(
                Rule::Schema,
                file,
                item.pos,
                "`acknowledged` 项缺少 `rule`（规则代码，如 T4-total）",
            ));
            continue;
        };
        let rule_text = rule_node.scalar_text().unwrap_or_default();
        if !codes.contains(&rule_text.as_str()) {
            let d = Diagnostic::new(
                Rule::Schema,
                file,
                rule_node.pos,
                format!("没有“{rule_text}”这条规则"),
            )
            .width(rule_node.raw);
            diags.push(match suggest(&rule_text, codes.iter().copied()) {
                Some(s) => d.help(format!("是不是要写 `{s}`？")),
                None => d.help("规则代码见 README 或 `nianbao check` 的输出，如 T4-total"),
            });
            continue;
        }
        let Some(note) = note.filter(|n| !n.trim().is_empty()) else {
            diags.push(
                Diagnostic::new(
                    Rule::Schema,
                    file,
                    item.pos,
                    "`acknowledged` 项缺少 `note`：页面上要向读者说明原文的问题",
                )
                .help("写成 `note: 原文如此：……`"),
            );
            continue;
        };
        out.push(Acknowledged {
            rule: rule_text,
            note,
            pos: rule_node.pos,
        });
    }
    out
}

/// Flattens nested row groups (`withheld: {state_secret: …}`) and literal dotted keys
/// (`withheld.state_secret: …`) into one list of (path, key, value).
/// Is `key` a row below the group `path` (`withheld.state_secret` below `withheld`)?
fn is_below(key: &str, path: &str) -> bool {
    key.len() > path.len() && key.starts_with(path) && key.as_bytes()[path.len()] == b'.'
}

fn flatten<'a, 'y>(
    spec: &TableSpec,
    prefix: &str,
    entries: &'a [(Key<'y>, Node<'y>)],
    out: &mut Vec<(Cow<'a, str>, &'a Key<'y>, &'a Node<'y>)>,
) {
    for (key, node) in entries {
        // Most rows are at the top level: their path is the key as written, not a copy.
        let path = if prefix.is_empty() {
            Cow::Borrowed(&*key.name)
        } else {
            Cow::Owned(format!("{prefix}.{}", key.name))
        };
        // Only a map can be a group; test that first, it is the rare case.
        if let Value::Map(children) = &node.value
            && spec.row(&path).is_none()
            && spec.rows.iter().any(|r| is_below(r.key, &path))
        {
            flatten(spec, &path, children, out);
            continue;
        }
        out.push((path, key, node));
    }
}

fn table(
    file: &str,
    spec: &'static TableSpec,
    format: Format,
    key: &Key,
    node: &Node,
    diags: &mut Vec<Diagnostic>,
) -> TableData {
    let mut data = TableData {
        rows: vec![None; spec.rows.len()],
        pos: key.pos,
    };
    let Value::Map(entries) = &node.value else {
        diags.push(
            Diagnostic::new(
                Rule::Schema,
                file,
                node.pos,
                format!(
                    "{}（`{}`）应是按行列出的表格",
                    spec.id.heading(),
                    spec.id.key()
                ),
            )
            .help("每行写成 `new: [0, 0, 0, 0, 0, 0, 0]` 这样的形式"),
        );
        return data;
    };
    let mut flat = Vec::new();
    flatten(spec, "", entries, &mut flat);
    let other = match format {
        Format::F2019 => Format::F2021,
        Format::F2021 => Format::F2019,
    };
    for (path, key, node) in flat {
        let Some((index, row)) = spec.row(&path) else {
            let group_rows: Vec<&str> = spec
                .rows
                .iter()
                .filter(|r| r.key.starts_with(&format!("{path}.")))
                .map(|r| &r.key[path.len() + 1..])
                .collect();
            let d = if !group_rows.is_empty() {
                Diagnostic::new(
                    Rule::Schema,
                    file,
                    node.pos,
                    format!("{}格式中 `{path}` 分为几行，不是一行", format.id()),
                )
                .help(format!("写成下一级的键：{}", group_rows.join("、")))
            } else if all_row_keys(spec.id).any(|k| k == path || k.starts_with(&format!("{path}.")))
            {
                Diagnostic::new(
                    Rule::Schema,
                    file,
                    key.pos,
                    format!(
                        "`{path}` 是 {} 格式的行，本报告用的是 {} 格式",
                        other.id(),
                        format.id()
                    ),
                )
                .width(&key.name)
                .help(format!(
                    "{} 年度起用 2021 格式；核对 `format` 和 `year`，或删除这一行",
                    2021
                ))
            } else {
                let known: Vec<&str> = spec.rows.iter().map(|r| r.key).collect();
                let d = Diagnostic::new(
                    Rule::Schema,
                    file,
                    key.pos,
                    format!("{}中没有“{path}”这一行", spec.id.short()),
                )
                .width(&key.name);
                match suggest(&path, known.iter().copied()) {
                    // Placed on the row it resembles, so that row is not reported missing too.
                    Some(s) => d.help(format!("是不是要写 `{s}`？")).place(
                        spec.id.short(),
                        spec.row(s).map_or(s, |(_, r)| r.name),
                        None,
                    ),
                    None => d.help(format!("可用的行：{}", known.join("、"))),
                }
            };
            diags.push(d);
            continue;
        };
        let place = |d: Diagnostic, col: Option<&str>| d.place(spec.id.short(), row.name, col);
        let cells: Vec<&Node> = match (&node.value, row.scalar) {
            (Value::Seq(items), false) => items.iter().collect(),
            (Value::Seq(_), true) => {
                diags.push(place(
                    Diagnostic::new(
                        Rule::Schema,
                        file,
                        node.pos,
                        format!("{}·{} 只有一个数，不是列表", spec.id.short(), row.name),
                    )
                    .help(format!("写成 `{}: 550`", key.name)),
                    None,
                ));
                continue;
            }
            (_, true) => vec![node],
            // The other format's row group (2021's three （六） rows in a 2019 report).
            (Value::Map(_), false)
                if other
                    .spec()
                    .table(spec.id)
                    .rows
                    .iter()
                    .any(|r| r.key.starts_with(&format!("{path}."))) =>
            {
                diags.push(place(
                    Diagnostic::new(
                        Rule::Schema,
                        file,
                        node.pos,
                        format!(
                            "`{path}` 在 {} 格式中分为几行，本报告用的是 {} 格式，{}·{} 只有一行",
                            other.id(),
                            format.id(),
                            spec.id.short(),
                            row.name
                        ),
                    )
                    .help(format!(
                        "写成一行 `{}: [{}]`；或核对 `format` 和 `year`",
                        key.name,
                        vec!["0"; row.columns.len()].join(", ")
                    )),
                    None,
                ));
                continue;
            }
            (_, false) => {
                diags.push(place(
                    Diagnostic::new(
                        Rule::Schema,
                        file,
                        node.pos,
                        format!(
                            "{}·{} 应是 {} 个数的列表",
                            spec.id.short(),
                            row.name,
                            row.columns.len()
                        ),
                    )
                    .width(node.raw)
                    .help(column_order_hint(row)),
                    None,
                ));
                continue;
            }
        };
        if cells.len() != row.columns.len() {
            diags.push(place(
                Diagnostic::new(
                    Rule::Schema,
                    file,
                    node.pos,
                    format!(
                        "{}·{} 应有 {} 个数，实有 {} 个",
                        spec.id.short(),
                        row.name,
                        row.columns.len(),
                        cells.len()
                    ),
                )
                .expected_actual(row.columns.len(), cells.len())
                .help(column_order_hint(row)),
                None,
            ));
            continue;
        }
        let mut parsed = Vec::with_capacity(cells.len());
        let mut ok = true;
        for (cell, col) in cells.iter().zip(row.columns) {
            match parse_cell(cell, col.kind) {
                Ok(c) => parsed.push(c),
                Err(CellError::Type {
                    message,
                    hint,
                    pos,
                    raw,
                }) => {
                    ok = false;
                    diags.push(place(
                        Diagnostic::new(
                            Rule::CellType,
                            file,
                            pos,
                            format!("{}·{}·{}：{message}", spec.id.short(), row.name, col.label),
                        )
                        .width(&raw)
                        .help(hint),
                        Some(col.label),
                    ));
                }
                Err(CellError::Key { key, pos }) => {
                    ok = false;
                    let d = Diagnostic::new(
                        Rule::Schema,
                        file,
                        pos,
                        format!("单元格中没有“{key}”这个键"),
                    )
                    .width(&key);
                    let d = match suggest(&key, ["value", "note", "unit"].into_iter()) {
                        Some(s) => d.help(format!("是不是要写 `{s}`？")),
                        None => d.help(
                            "单元格可写 `{value: 22, note: 说明}` 或 `{value: 12.5, unit: 元}`",
                        ),
                    };
                    diags.push(place(d, Some(col.label)));
                }
            }
        }
        if ok {
            data.rows[index] = Some(RowData {
                cells: parsed,
                pos: node.pos,
            });
        }
    }
    for (i, row) in spec.rows.iter().enumerate() {
        let present = data.rows[i].is_some();
        let written = diags
            .iter()
            .any(|d| d.row.as_deref() == Some(row.name) && d.file == file);
        if !present && !written {
            diags.push(
                Diagnostic::new(
                    Rule::Schema,
                    file,
                    key.pos,
                    format!("{}缺少“{}”一行（`{}`）", spec.id.short(), row.name, row.key),
                )
                .width(&key.name)
                .place(spec.id.short(), row.name, None)
                .help("即使是 0 也要填写；不适用的单元格写 \"/\""),
            );
        }
    }
    data
}

/// "按顺序写：本年制发件数、本年废止件数、现行有效件数" for a row of the wrong shape.
fn column_order_hint(row: &Row) -> String {
    let labels: Vec<&str> = row.columns.iter().map(|c| c.label).collect();
    format!("按顺序写：{}", labels.join("、"))
}
