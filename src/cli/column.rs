//! `nianbao import --root DIR PATH…` without `--unit`: every annual report in the saved pages of
//! a portal's 年报 column, each placed by its title, ending with one summary table.
//!
//! What each file is and where its unit goes is decided by [`crate::import::column`]; this module
//! walks the folders, reads and imports each page, writes what was imported and prints the
//! summary. A refused page writes nothing; an existing report is skipped unless `--force`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use unicode_width::UnicodeWidthStr;

use super::import::{KIND_CHOICES, content_dir, existing_unit_name, write_unit_index};
use super::{EXIT_ERRORS, EXIT_UNREADABLE};
use crate::check::check_site;
use crate::content::writer;
use crate::diagnostic::{self, Diagnostic};
use crate::import::column::{self, ATTACHMENTS, FIRST_YEAR, PAGE_EXTENSIONS, Page};
use crate::import::{self, Imported, Options, unit};
use crate::save;

pub(super) struct Args {
    pub root: PathBuf,
    pub force: bool,
    pub paths: Vec<PathBuf>,
}

/// What became of one file.
enum Outcome {
    Imported {
        report: String,
        note: String,
    },
    /// Not imported: the reasons, each once, with the line and a short quote.
    Refused {
        report: Option<String>,
        reasons: Vec<String>,
    },
    Skipped {
        report: Option<String>,
        why: String,
    },
}

/// A page read and imported in memory, waiting for its unit's folder.
struct Ready {
    name: String,
    /// The name is the page's issuer's ("来源：…"), the title's being short or missing.
    from_issuer: bool,
    year: i32,
    imported: Imported,
}

/// The files below `paths`, in order; folders are walked (hidden ones left out). Files that are
/// neither pages, text nor attachments (images, styles, scripts) are only counted.
fn walk(paths: &[PathBuf], content: &Path) -> Result<(Vec<PathBuf>, usize), String> {
    fn count_files(dir: &Path) -> usize {
        std::fs::read_dir(dir).map_or(0, |entries| {
            entries
                .flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        count_files(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
    }
    // The site's own sources and a built site are never pages to import (`nianbao import .`
    // from the site's root).
    let content = content.canonicalize().ok();
    let own = |dir: &Path| {
        dir.join(crate::output::MARKER).is_file()
            || content.is_some() && dir.canonicalize().ok() == content
    };
    fn visit(
        dir: &Path,
        out: &mut Vec<PathBuf>,
        assets: &mut usize,
        own: &dyn Fn(&Path) -> bool,
    ) -> std::io::Result<()> {
        if own(dir) {
            return Ok(());
        }
        let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let path = e.path();
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if e.file_type()?.is_dir() {
                // A browser's "save page" puts the page's images, styles and frames in
                // "页面_files": not pages of the column.
                if e.file_name().to_string_lossy().ends_with("_files") {
                    *assets += count_files(&path);
                    continue;
                }
                visit(&path, out, assets, own)?;
            } else {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut all = Vec::new();
    let mut ignored = 0;
    for p in paths {
        if p.is_dir() {
            visit(p, &mut all, &mut ignored, &own)
                .map_err(|e| format!("无法读取文件夹 {}：{e}", p.display()))?;
        } else if p.is_file() {
            all.push(p.clone());
        } else {
            return Err(format!(
                "找不到 {}：写保存的网页所在的文件夹或文件",
                p.display()
            ));
        }
    }
    let kept = all
        .into_iter()
        .filter(|p| {
            let keep = match extension(p) {
                None => true,
                Some(e) => {
                    PAGE_EXTENSIONS.contains(&e.as_str())
                        || ATTACHMENTS.iter().any(|(a, _)| *a == e)
                }
            };
            ignored += usize::from(!keep);
            keep
        })
        .collect();
    Ok((kept, ignored))
}

fn extension(p: &Path) -> Option<String> {
    p.extension().map(|e| e.to_string_lossy().to_lowercase())
}

/// At most `n` characters of `s`, with "…" when cut.
fn short(s: &str, n: usize) -> String {
    let s = s.trim();
    if s.chars().count() > n {
        format!("{}…", s.chars().take(n).collect::<String>())
    } else {
        s.to_string()
    }
}

/// A finding as one line of the summary's details: "第 12 行：message（“quote”）", and its help.
fn reason(d: &Diagnostic, source: &str) -> String {
    let mut s = if d.line > 0 {
        format!("第 {} 行：{}", d.line, d.message)
    } else {
        d.message.clone()
    };
    // A page's line is markup (often the whole article on one line): the message names the
    // table row instead.
    let quote = !import::is_html(source);
    if quote && let Some(line) = d.source_line(source).filter(|l| !l.trim().is_empty()) {
        let chars: Vec<char> = line.chars().collect();
        let from = (d.column as usize).saturating_sub(1).min(chars.len());
        let quote: String = chars[from..].iter().collect();
        let _ = write!(s, "（原文“{}”）", short(&quote, 30));
    }
    if let Some(h) = &d.help {
        let _ = write!(s, "\n      提示：{h}");
    }
    s
}

/// Reasons of a refused import, each once, in order.
fn reasons(diags: &[Diagnostic], source: &str) -> Vec<String> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for d in diags {
        if seen.contains(&(&d.message, &d.help)) {
            continue;
        }
        seen.push((&d.message, &d.help));
        out.push(reason(d, source));
    }
    out
}

/// The units already in `content/`, as (folder, name).
fn existing_units(content: &Path) -> Vec<(String, String)> {
    fn visit(dir: &Path, id: &str, out: &mut Vec<(String, String)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with(['.', '_']) || !e.path().is_dir() {
                continue;
            }
            let child = if id.is_empty() {
                name
            } else {
                format!("{id}/{name}")
            };
            let index = e.path().join("_index.md");
            if index.is_file()
                && let Some(n) = existing_unit_name(&index, &child)
            {
                out.push((child.clone(), n));
            }
            visit(&e.path(), &child, out);
        }
    }
    let mut out = Vec::new();
    visit(content, "", &mut out);
    out
}

/// Reads one saved file: `Ok` a report ready to place, `Err` what became of it.
fn read_one(path: &Path) -> Result<Ready, Outcome> {
    let file = path.display().to_string();
    if let Some(e) = extension(path)
        && let Some((_, what)) = ATTACHMENTS.iter().find(|(a, _)| *a == e)
    {
        return Err(Outcome::Skipped {
            report: None,
            why: format!("附件（{what}），不是网页：报告若在其中，先提取文字存为文本文件再导入"),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| Outcome::Refused {
        report: None,
        reasons: vec![format!("无法读取：{e}")],
    })?;
    let text = match import::decode(&bytes, &file) {
        Ok((text, _)) => text,
        // An empty file, a PDF or Word file under a page's name, an unknown encoding: the user
        // may have to fetch or convert it again.
        Err(d) => {
            return Err(Outcome::Refused {
                report: None,
                reasons: reasons(&[*d], ""),
            });
        }
    };
    let page = column::classify(&text, &file).map_err(|d| Outcome::Refused {
        report: None,
        reasons: reasons(&[*d], &text),
    })?;
    let (title, year, issuer) = match page {
        Page::Report {
            title,
            year,
            issuer,
            ..
        } => (title, year, issuer),
        Page::NoYear { title, line } => {
            return Err(Outcome::Refused {
                report: None,
                reasons: vec![format!(
                    "{}标题“{}”没有写年度\n      提示：单独导入并写明年度：nianbao import --unit 单位文件夹 --year 年度 {file}",
                    if line > 0 {
                        format!("第 {line} 行：")
                    } else {
                        String::new()
                    },
                    short(&title, 40)
                )],
            });
        }
        Page::Old { title, year } => {
            return Err(Outcome::Skipped {
                report: None,
                why: format!(
                    "{year} 年度的报告（“{}”）：{FIRST_YEAR} 年以前的报告没有全国统一的表格，不导入",
                    short(&title, 30)
                ),
            });
        }
        Page::List { reports } => {
            return Err(Outcome::Skipped {
                report: None,
                why: format!("栏目列表页（列出 {reports} 篇年度报告），不是报告"),
            });
        }
        Page::Source => {
            return Err(Outcome::Skipped {
                report: None,
                why: "已是 nianbao 的报告源文件（有前置元数据），不是发布的网页或文字：需要时直接复制到 content/单位文件夹/年度.md".to_string(),
            });
        }
        Page::Other { title } => {
            return Err(Outcome::Skipped {
                report: None,
                why: match title {
                    Some(t) => format!("不是年度报告（“{}”）", short(&t, 30)),
                    None => "不是年度报告（没有“……年度报告”标题）".to_string(),
                },
            });
        }
    };
    let Some((name, from_issuer)) = column::unit_name(&title, year, issuer.as_deref()) else {
        return Err(Outcome::Refused {
            report: None,
            reasons: vec![format!(
                "标题“{}”中看不出单位名称\n      提示：单独导入并指定单位：nianbao import --unit 单位文件夹 --year {year} {file}",
                short(&title, 40)
            )],
        });
    };
    let opts = Options {
        year,
        file: file.clone(),
        unit_name: None,
        published: None,
    };
    match import::import(&text, &opts) {
        Ok(imported) => Ok(Ready {
            name,
            from_issuer,
            year,
            imported,
        }),
        Err(diags) => Err(Outcome::Refused {
            report: Some(format!("{name} {year}")),
            reasons: reasons(&diags, &text),
        }),
    }
}

/// Writes a ready report (and its new unit's `_index.md`); the note for the summary.
fn write_one(
    content: &Path,
    ready: &Ready,
    id: &str,
    new_unit: Option<&unit::KindGuess>,
    force: bool,
) -> Result<String, String> {
    let dir = content.join(id);
    if let Some(guess) = new_unit {
        write_unit_index(&dir.join("_index.md"), &ready.name, guess.kind)
            .map_err(|e| format!("无法写入 content/{id}/_index.md：{e}"))?;
    }
    let target = dir.join(format!("{}.md", ready.year));
    save::write_atomic(
        &target,
        writer::render(&ready.imported.draft(ready.year)),
        force,
    )
    .map_err(|e| format!("无法写入 content/{id}/{}.md：{e}", ready.year))?;
    let mut note = format!("{} 格式", ready.imported.format.id());
    match ready.imported.published {
        Some(d) => {
            let _ = write!(note, "，发布日期 {d}");
        }
        None => note.push_str("，原文没有发布日期"),
    }
    if ready.from_issuer {
        let _ = write!(note, "，单位名称“{}”取自网页的来源", ready.name);
    }
    Ok(note)
}

fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(s.width())))
}

pub(super) fn run(args: Args) -> ExitCode {
    let content = match content_dir(&args.root) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("错误：{e}");
            return ExitCode::from(EXIT_UNREADABLE);
        }
    };
    let (files, ignored) = match walk(&args.paths, &content) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("错误：{e}");
            return ExitCode::from(EXIT_UNREADABLE);
        }
    };

    // Read and import every page in memory; nothing is written yet. A slot is either done or
    // waits for its unit's folder as `ready[i]`.
    let mut slots: Vec<(String, Result<Outcome, usize>)> = Vec::new();
    let mut ready: Vec<Ready> = Vec::new();
    for path in &files {
        let slot = match read_one(path) {
            Ok(r) => {
                ready.push(r);
                Err(ready.len() - 1)
            }
            Err(o) => Ok(o),
        };
        slots.push((path.display().to_string(), slot));
    }

    // Units: existing ones keep their folders; new ones nest under the unit they extend.
    let existing = existing_units(&content);
    let names: Vec<String> = ready.iter().map(|r| r.name.clone()).collect();
    let placed = column::place(&existing, &names);
    let mut created: BTreeMap<String, (String, unit::KindGuess)> = BTreeMap::new();
    let mut written: Vec<String> = Vec::new();
    let mut outcomes: Vec<(String, Outcome)> = Vec::new();
    let mut first_of: BTreeMap<String, String> = BTreeMap::new();
    for (file, slot) in slots {
        let i = match slot {
            Ok(o) => {
                outcomes.push((file, o));
                continue;
            }
            Err(i) => i,
        };
        let r = &ready[i];
        let p = &placed[&r.name];
        let rel = format!("content/{}/{}.md", p.id, r.year);
        // The same report twice in the folder (a mirror keeps a page under two names), or one
        // unit's name written two ways: the first one counts.
        if let Some(first) = first_of.get(&rel) {
            outcomes.push((
                file,
                Outcome::Skipped {
                    report: Some(rel),
                    why: format!("与 {first} 是同一单位同一年度的报告，只导入第一个"),
                },
            ));
            continue;
        }
        first_of.insert(rel.clone(), file.clone());
        if content.join(&p.id).join(format!("{}.md", r.year)).exists() && !args.force {
            outcomes.push((
                file,
                Outcome::Skipped {
                    report: Some(rel),
                    why: "已存在，没有覆盖（要替换加 --force）".to_string(),
                },
            ));
            continue;
        }
        let new_unit =
            (p.new && !created.contains_key(&p.id)).then(|| unit::guess_kind_why(&r.name));
        let outcome = match write_one(&content, r, &p.id, new_unit.as_ref(), args.force) {
            Ok(mut note) => {
                if let Some(g) = new_unit {
                    let _ = write!(note, "；新建单位（{}）", g.kind.label());
                    created.insert(p.id.clone(), (r.name.clone(), g));
                }
                written.push(rel.clone());
                Outcome::Imported { report: rel, note }
            }
            Err(e) => Outcome::Refused {
                report: Some(rel),
                reasons: vec![e],
            },
        };
        outcomes.push((file, outcome));
    }

    print_summary(&outcomes, ignored);
    let refused = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Refused { .. }))
        .count();

    if !created.is_empty() {
        println!();
        println!("新建的单位：");
        for (id, (name, guess)) in &created {
            println!(
                "  content/{id}/_index.md  name: {name}，kind: {}（{}）",
                guess.kind.label(),
                guess.why
            );
        }
        println!("  单位类别是按名称推断的：不对请改 _index.md 中的 kind（{KIND_CHOICES}）");
    }

    if !written.is_empty() {
        println!();
        match check_site(&args.root) {
            Ok(checked) => {
                let mine: Vec<Diagnostic> = checked
                    .outcome
                    .diagnostics
                    .iter()
                    .filter(|d| written.contains(&d.file))
                    .cloned()
                    .collect();
                let (e, w) = diagnostic::count(&mine);
                println!(
                    "检查导入的 {} 份报告：{e} 个错误，{w} 个警告",
                    written.len()
                );
                // Which reports have errors (figures as published that do not add up).
                for file in &written {
                    let errors = mine
                        .iter()
                        .filter(|d| &d.file == file && d.is_error())
                        .count();
                    if errors > 0 {
                        println!("  {file}：{errors} 个错误");
                    }
                }
            }
            Err(e) => eprintln!("错误：{e}"),
        }
    }

    println!();
    println!("下一步：");
    if refused > 0 {
        println!(
            "  · 未导入的 {refused} 个文件没有写入任何内容：按上面的原因改正保存的文件后再运行同一命令（已导入的会跳过）；也可逐个导入：nianbao import --unit 单位文件夹 --year 年度 文件"
        );
    }
    if !written.is_empty() {
        println!(
            "  · 运行 nianbao check 查看每个问题；报告按原文导入，没有改动数字，原文发布时就有的问题在报告中用 `acknowledged` 说明"
        );
        println!("  · 运行 nianbao serve 预览网站");
    }
    if written.is_empty() && refused == 0 {
        println!("  · 没有新的报告要导入；要用导入的内容替换已有的报告，加 --force");
    }
    if refused > 0 {
        ExitCode::from(EXIT_ERRORS)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_summary(outcomes: &[(String, Outcome)], ignored: usize) {
    let mut rows: Vec<[String; 4]> = Vec::new();
    let (mut n_imp, mut n_ref, mut n_skip) = (0, 0, 0);
    for (file, o) in outcomes {
        let row = match o {
            Outcome::Imported { report, note } => {
                n_imp += 1;
                ["已导入", report.as_str(), note.as_str()].map(str::to_string)
            }
            Outcome::Refused { report, reasons } => {
                n_ref += 1;
                let first = reasons
                    .first()
                    .map(|r| r.lines().next().unwrap_or("").to_string())
                    .unwrap_or_default();
                let more = if reasons.len() > 1 {
                    format!("（共 {} 处，见下）", reasons.len())
                } else {
                    String::new()
                };
                [
                    "未导入".to_string(),
                    report.clone().unwrap_or_else(|| "—".to_string()),
                    format!("{}{more}", short(&first, 60)),
                ]
            }
            Outcome::Skipped { report, why } => {
                n_skip += 1;
                [
                    "跳过".to_string(),
                    report.clone().unwrap_or_else(|| "—".to_string()),
                    why.clone(),
                ]
            }
        };
        let [a, b, c] = row;
        rows.push([a, file.clone(), b, c]);
    }
    let header = ["结果", "文件", "报告", "说明"].map(str::to_string);
    let widths: Vec<usize> = (0..3)
        .map(|i| {
            rows.iter()
                .chain(std::iter::once(&header))
                .map(|r| r[i].width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    println!(
        "导入 {} 个文件：已导入 {n_imp}，未导入 {n_ref}，跳过 {n_skip}",
        outcomes.len()
    );
    for r in std::iter::once(&header).chain(&rows) {
        println!(
            "  {}  {}  {}  {}",
            pad(&r[0], widths[0]),
            pad(&r[1], widths[1]),
            pad(&r[2], widths[2]),
            r[3]
        );
    }
    if ignored > 0 {
        println!(
            "另有 {ignored} 个文件是图片、样式、脚本或“网页另存为”的 _files 文件夹中的文件，未读"
        );
    }
    let refused: Vec<_> = outcomes
        .iter()
        .filter_map(|(f, o)| match o {
            Outcome::Refused { reasons, .. } => Some((f, reasons)),
            _ => None,
        })
        .collect();
    if !refused.is_empty() {
        println!();
        println!("未导入的原因（每个文件都没有写入任何内容）：");
        for (file, reasons) in refused {
            println!("  {file}");
            for r in reasons {
                println!("    · {r}");
            }
        }
    }
}
