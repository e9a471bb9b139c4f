//! `nianbao new`: a report skeleton for a unit and year.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::EXIT_ERRORS;
use super::import::{content_dir, unit_path};
use crate::content::{UnitKind, parse, schema};
use crate::import::unit;
use crate::save;
use crate::scaffold;

pub(super) struct Args {
    pub root: PathBuf,
    pub unit: String,
    pub year: i32,
    pub name: Option<String>,
    pub kind: Option<UnitKind>,
}

pub(super) fn parse_kind(s: &str) -> Result<UnitKind, String> {
    UnitKind::parse(s).ok_or_else(|| {
        let labels: Vec<&str> = UnitKind::ALL.iter().map(|k| k.label()).collect();
        format!("不认识的单位类别“{s}”：可选 {}", labels.join("、"))
    })
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("错误：{message}");
    ExitCode::from(EXIT_ERRORS)
}

/// Writes the unit's `_index.md` (when missing) and the skeleton; returns what was written.
pub(super) fn create(content: &Path, args: &Args) -> Result<Vec<String>, String> {
    let unit_id = unit_path(&args.unit)?;
    if !(1900..=2999).contains(&args.year) {
        return Err(format!("年度 {} 不对：写四位数的年份，如 2024", args.year));
    }
    let dir = content.join(&unit_id);
    let rel = format!("content/{unit_id}/{}.md", args.year);
    let target = dir.join(format!("{}.md", args.year));
    if target.exists() {
        return Err(format!("{rel} 已存在，没有覆盖（new 从不覆盖已有报告）"));
    }
    let mut written = Vec::new();
    let index = dir.join("_index.md");
    if !index.exists() {
        let Some(name) = &args.name else {
            return Err(format!(
                "单位 content/{unit_id}/ 还不存在：加上 --name 单位全称（可再加 --kind 单位类别）来新建它"
            ));
        };
        let kind = args.kind.unwrap_or_else(|| unit::guess_kind(name));
        save::write_atomic(&index, unit::index_md(name, kind), false)
            .map_err(|e| format!("无法写入 content/{unit_id}/_index.md：{e}"))?;
        let how = if args.kind.is_some() {
            ""
        } else {
            "，按名称推断，不对请改"
        };
        written.push(format!(
            "content/{unit_id}/_index.md（单位：{name}，kind: {}{how}）",
            kind.label()
        ));
    }
    let prev_file = dir.join(format!("{}.md", args.year - 1));
    let prev = std::fs::read_to_string(&prev_file).ok().and_then(|t| {
        let file = format!("content/{unit_id}/{}.md", args.year - 1);
        parse::report(&file, &unit_id, args.year - 1, &parse::normalize(&t)).0
    });
    let text = scaffold::report(args.year, prev.as_ref(), &unit_id);
    save::write_atomic(&target, &text, false).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => format!("{rel} 已存在，没有覆盖"),
        _ => format!("无法写入 {rel}：{e}"),
    })?;
    if let Some(line) = keep_schema(content)? {
        written.push(line);
    }
    let from_prev = if prev.is_some() {
        format!("，二、上年结转取自 {} 年报告", args.year - 1)
    } else {
        String::new()
    };
    written.push(format!(
        "{rel}（{} 格式{from_prev}；草稿：填好数字和正文，发布时填写 published 并删除 draft 一行）",
        crate::content::format::Format::default_for_year(args.year).id()
    ));
    Ok(written)
}

/// Writes the site's schema file (beside `content/`) that the skeleton's first line points
/// editors at, when it is missing or from another version of nianbao. It is generated, so
/// replacing it loses nothing a person wrote.
fn keep_schema(content: &Path) -> Result<Option<String>, String> {
    let root = content.parent().unwrap_or(Path::new("."));
    let path = root.join(schema::FILE_NAME);
    let text = schema::report_schema_text();
    if std::fs::read_to_string(&path).is_ok_and(|t| t == text) {
        return Ok(None);
    }
    save::write_atomic(&path, &text, true)
        .map_err(|e| format!("无法写入 {}：{e}", schema::FILE_NAME))?;
    Ok(Some(format!(
        "{}（报告文件头的格式说明，编辑器据此自动补全和提示错误）",
        schema::FILE_NAME
    )))
}

pub(super) fn run(args: Args) -> ExitCode {
    let content = match content_dir(&args.root) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    match create(&content, &args) {
        Ok(written) => {
            for w in written {
                println!("已新建 {w}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}
