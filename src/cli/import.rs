//! `nianbao import`: a published report into `content/<unit>/<year>.md`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{EXIT_ERRORS, EXIT_UNREADABLE};
use crate::check::check_site;
use crate::content::writer;
use crate::content::{Date, parse};
use crate::diagnostic::{self, Diagnostic, Style};
use crate::import::{self, Options, unit};
use crate::save;

pub(super) struct Args {
    pub root: PathBuf,
    pub unit: String,
    pub year: i32,
    pub force: bool,
    pub published: Option<Date>,
    pub file: PathBuf,
}

/// A unit path below `content/`: `huaian/hongze`, no empty, `.` or `..` parts.
pub(super) fn unit_path(s: &str) -> Result<String, String> {
    let s = s.trim().trim_matches('/');
    let ok = !s.is_empty()
        && s.split('/').all(|p| {
            !p.is_empty() && p != "." && p != ".." && !p.starts_with('.') && !p.starts_with('_')
        })
        && !s.contains(['\\', ':', '*', '?', '"', '<', '>', '|'])
        && !s.chars().any(char::is_control);
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!(
            "“{s}”不是单位文件夹路径：写成 content/ 下的相对路径，如 huaian/hongze"
        ))
    }
}

pub(super) fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("“{s}”不是日期：写成 2025-01-20（年-月-日）"))
}

/// The content folder, or the message that says how to get one.
pub(super) fn content_dir(root: &Path) -> Result<PathBuf, String> {
    let content = root.join("content");
    if content.is_dir() {
        Ok(content)
    } else {
        Err(format!(
            "找不到内容文件夹 {}：请在站点根目录运行，或用 --root 指定站点根目录；新建站点可运行 `nianbao init 目录`",
            content.display()
        ))
    }
}

/// The name of an existing unit, read from its `_index.md`.
pub(super) fn existing_unit_name(index: &Path, id: &str) -> Option<String> {
    let text = std::fs::read_to_string(index).ok()?;
    let text = parse::normalize(&text);
    parse::unit("", id, None, &text).0.map(|u| u.name)
}

/// Writes a new unit's `_index.md`; one that appeared meanwhile is kept as it is.
pub(super) fn write_unit_index(
    path: &Path,
    name: &str,
    kind: crate::content::UnitKind,
) -> std::io::Result<()> {
    match save::write_atomic(path, unit::index_md(name, kind), false) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    }
}

fn fail(message: impl std::fmt::Display, status: u8) -> ExitCode {
    eprintln!("错误：{message}");
    ExitCode::from(status)
}

/// The kinds a unit may have and what each means for the deadline, for the note beside a guess.
pub(super) const KIND_CHOICES: &str = "可选：人民政府、部门、乡镇、街道、其他；人民政府的报告期限为次年 3 月 31 日，其他为次年 1 月 31 日";

/// A new unit's `kind` line of the import's output: the guess, why, and how to correct it.
fn kind_note(rel_index: &str, guess: &unit::KindGuess) -> String {
    format!(
        "kind: {}（按名称推断：{}。这是推断，不对请改 {rel_index} 中的 kind，{KIND_CHOICES}）",
        guess.kind.label(),
        guess.why
    )
}

pub(super) fn run(args: Args) -> ExitCode {
    let unit_id = match unit_path(&args.unit) {
        Ok(u) => u,
        Err(e) => return fail(e, EXIT_ERRORS),
    };
    let content = match content_dir(&args.root) {
        Ok(c) => c,
        Err(e) => return fail(e, EXIT_UNREADABLE),
    };
    let unit_dir = content.join(&unit_id);
    let target = unit_dir.join(format!("{}.md", args.year));
    let rel_report = format!("content/{unit_id}/{}.md", args.year);
    let rel_index = format!("content/{unit_id}/_index.md");
    if target.exists() && !args.force {
        return fail(
            format!("{rel_report} 已存在，没有覆盖；要用导入的内容替换它，加 --force"),
            EXIT_ERRORS,
        );
    }

    let file = args.file.display().to_string();
    if args.file.is_dir() {
        return fail(
            format!(
                "{file} 是文件夹：用 --unit 和 --year 时导入一个文件；导入整个栏目的文件夹时不写 --unit 和 --year"
            ),
            EXIT_ERRORS,
        );
    }
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => return fail(format!("无法读取 {file}：{e}"), EXIT_UNREADABLE),
    };
    let text = match import::decode(&bytes, &file) {
        Ok((text, legacy)) => {
            if let Some(enc) = legacy {
                println!("说明：{file} 不是 UTF-8，按 {enc} 编码读取");
            }
            text
        }
        Err(d) => {
            eprintln!(
                "{}",
                diagnostic::render_human(
                    &d,
                    None,
                    Style {
                        color: super::stderr_color()
                    }
                )
            );
            return ExitCode::from(EXIT_ERRORS);
        }
    };

    let index = unit_dir.join("_index.md");
    let existing_name = if index.exists() {
        existing_unit_name(&index, &unit_id)
    } else {
        None
    };
    let opts = Options {
        year: args.year,
        file: file.clone(),
        unit_name: existing_name.clone(),
        published: args.published,
    };
    let imported = match import::import(&text, &opts) {
        Ok(i) => i,
        Err(diags) => {
            let style = Style {
                color: super::stderr_color(),
            };
            for d in &diags {
                eprintln!("{}", diagnostic::render_human(d, Some(&text), style));
            }
            eprintln!(
                "导入失败：{file} 中有 {} 处读不懂，没有写入任何文件（不做猜测；改正导入的文本后再运行）",
                diags.len()
            );
            return ExitCode::from(EXIT_ERRORS);
        }
    };

    // A new unit needs a name; the report's title gives it.
    let new_unit = if index.exists() {
        None
    } else {
        match &imported.unit_name {
            Some(name) => Some((name.clone(), unit::guess_kind_why(name))),
            None => {
                return fail(
                    format!(
                        "单位 {rel_index} 不存在，报告标题中也看不出单位名称；请先新建它（写上 name: 单位全称 和 kind: 单位类别）再导入"
                    ),
                    EXIT_ERRORS,
                );
            }
        }
    };

    if let Some((name, kind)) = &new_unit
        && let Err(e) = write_unit_index(&index, name, kind.kind)
    {
        return fail(format!("无法写入 {rel_index}：{e}"), EXIT_UNREADABLE);
    }
    match save::write_atomic(
        &target,
        writer::render(&imported.draft(args.year)),
        args.force,
    ) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return fail(
                format!("{rel_report} 已存在，没有覆盖；要用导入的内容替换它，加 --force"),
                EXIT_ERRORS,
            );
        }
        Err(e) => return fail(format!("无法写入 {rel_report}：{e}"), EXIT_UNREADABLE),
    }

    println!(
        "已导入 {file} → {rel_report}（{} 格式）",
        imported.format.id()
    );
    for n in &imported.notes {
        println!("  · {n}");
    }
    if imported.published.is_none() {
        println!(
            "  · 原文中没有找到发布日期：核实后在 {rel_report} 中填写 `published`（或导入时加 --published 2025-01-20）"
        );
    }
    if let Some((name, kind)) = &new_unit {
        println!(
            "新建单位 {rel_index}：name: {name}，{}",
            kind_note(&rel_index, kind)
        );
    }

    // What `check` says about the imported report.
    println!();
    match check_site(&args.root) {
        Ok(checked) => {
            let mine: Vec<&Diagnostic> = checked
                .outcome
                .diagnostics
                .iter()
                .filter(|d| d.file == rel_report || d.file == rel_index)
                .collect();
            let style = Style {
                color: super::stdout_color(),
            };
            for d in &mine {
                println!(
                    "{}",
                    diagnostic::render_human(
                        d,
                        checked.loaded.sources.get(&d.file).map(String::as_str),
                        style
                    )
                );
            }
            let owned: Vec<Diagnostic> = mine.into_iter().cloned().collect();
            let (e, w) = diagnostic::count(&owned);
            println!("检查导入的报告：{e} 个错误，{w} 个警告");
            if e > 0 {
                println!(
                    "报告按原文导入，没有改动数字；原文发布时就有的问题，在报告中用 `acknowledged` 说明，或核实后改正"
                );
            }
        }
        Err(e) => eprintln!("错误：{e}"),
    }
    ExitCode::SUCCESS
}
