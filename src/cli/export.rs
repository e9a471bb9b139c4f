//! `nianbao export xlsx|docx|summary`: reports as Excel workbooks and Word documents.
//!
//! The site is loaded and checked as `build` does; a report with errors that are not
//! acknowledged is not exported. Files are written atomically (a temporary file beside the
//! target, then renamed), so an export that fails leaves no half-written file behind.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::{EXIT_ERRORS, EXIT_UNREADABLE};
use crate::check::{Checked, check_site};
use crate::content::model::{Report, Site};
use crate::diagnostic::{self, Style};
use crate::export::{self, AckNotes};

/// Which reports `xlsx` and `docx` export, and where to.
#[derive(Args, Debug)]
pub struct Which {
    /// 站点根目录（其中有 content/ 文件夹）
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// 单位文件夹和年度，如 `huaian/hongze 2024`；只写年度则导出该年度所有报告到一个文件夹
    #[arg(value_name = "[单位] 年度", num_args = 1..=2, required = true)]
    target: Vec<String>,
    /// 输出文件（一份报告时，默认用报告标题作文件名；给已有的文件夹则写在其中）或文件夹（一个年度时）
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// 导出报告的三张表为 Excel 工作簿（每表一个工作表，按国家格式合并表头，A4 打印）
    Xlsx(Which),
    /// 导出报告为 Word 文档（标题、六个部分、三张表和说明，公文常用字体和 A4 版式），用于审签和存档
    Docx(Which),
    /// 导出汇总工作簿：每个年度一个工作表，每份报告一行，每个数字一列（可筛选、做数据透视表）
    Summary {
        /// 站点根目录（其中有 content/ 文件夹）
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 只汇总这个单位及其下级单位，如 huaian；默认全部单位
        unit: Option<String>,
        /// 输出文件
        #[arg(short, long, default_value = "汇总.xlsx")]
        output: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Xlsx,
    Docx,
}

impl Kind {
    fn extension(self) -> &'static str {
        match self {
            Kind::Xlsx => "xlsx",
            Kind::Docx => "docx",
        }
    }
}

pub(super) fn run(command: ExportCommand) -> ExitCode {
    let result = match command {
        ExportCommand::Xlsx(w) => reports(&w.root, Kind::Xlsx, &w.target, w.output),
        ExportCommand::Docx(w) => reports(&w.root, Kind::Docx, &w.target, w.output),
        ExportCommand::Summary { root, unit, output } => summary(&root, unit.as_deref(), &output),
    };
    result.unwrap_or_else(|code| code)
}

pub(super) fn fail(code: u8, message: impl std::fmt::Display) -> ExitCode {
    eprintln!("错误：{message}");
    ExitCode::from(code)
}

pub(super) fn load(root: &Path) -> Result<Checked, ExitCode> {
    check_site(root).map_err(|e| fail(EXIT_UNREADABLE, e))
}

/// Prints the errors that stop `reports` from being exported, if any.
pub(super) fn refuse(checked: &Checked, reports: &[&Report]) -> Result<(), ExitCode> {
    let site = &checked.loaded.site;
    let blocking = export::blocking(site, reports, &checked.outcome.diagnostics);
    if blocking.is_empty() {
        return Ok(());
    }
    let style = Style {
        color: super::stderr_color(),
    };
    let owned: Vec<_> = blocking.iter().map(|d| (*d).clone()).collect();
    for d in &owned {
        eprintln!(
            "{}",
            diagnostic::render_human(d, checked.source(&d.file).as_deref(), style)
        );
    }
    eprintln!(
        "{} 个错误：没有导出。请先改正错误（nianbao check 可查看全部问题）；已发布报告中原文如此的数字，可在 acknowledged 中说明",
        owned.len()
    );
    Err(ExitCode::from(EXIT_ERRORS))
}

/// Parses `[UNIT] YEAR`.
fn parse_target(target: &[String]) -> Result<(Option<&str>, i32), ExitCode> {
    let (unit, year) = match target {
        [year] => (None, year),
        [unit, year] => (Some(unit.trim_matches('/')), year),
        _ => unreachable!("clap allows one or two values"),
    };
    let year = year.parse::<i32>().map_err(|_| {
        fail(
            EXIT_UNREADABLE,
            format!("“{year}”不是年度；请写成 `单位文件夹 年度`，如 `huaian/hongze 2024`，或只写年度，如 `2024`"),
        )
    })?;
    Ok((unit, year))
}

/// The report of `unit` in `year`, or a message naming what exists.
pub(super) fn find<'a>(site: &'a Site, unit: &str, year: i32) -> Result<&'a Report, ExitCode> {
    if let Some(r) = site.report(unit, year) {
        return Ok(r);
    }
    if site.unit(unit).is_none() {
        let known: Vec<&str> = site.units.iter().map(|u| u.id.as_str()).collect();
        return Err(fail(
            EXIT_UNREADABLE,
            format!(
                "没有单位 content/{unit}/；已有的单位：{}",
                if known.is_empty() {
                    "（无）".to_string()
                } else {
                    known.join("、")
                }
            ),
        ));
    }
    let years: Vec<String> = site.reports_of(unit).map(|r| r.year.to_string()).collect();
    Err(fail(
        EXIT_UNREADABLE,
        format!(
            "没有报告 content/{unit}/{year}.md；这个单位已有的年度：{}",
            if years.is_empty() {
                "（无）".to_string()
            } else {
                years.join("、")
            }
        ),
    ))
}

/// The file name of a report's export: its title, with characters no file system takes
/// replaced.
fn file_name(site: &Site, r: &Report, kind: Kind) -> String {
    let title = site
        .unit(&r.unit)
        .map(|u| r.title(u))
        .unwrap_or_else(|| format!("{}-{}", r.unit.replace('/', "-"), r.year));
    let safe: String = title
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("{safe}.{}", kind.extension())
}

fn render(checked: &Checked, r: &Report, kind: Kind) -> Result<Vec<u8>, String> {
    let site = &checked.loaded.site;
    let unit = site
        .unit(&r.unit)
        .ok_or_else(|| format!("{}：没有单位 content/{}/_index.md", r.file, r.unit))?;
    let acks = AckNotes::of(r, &checked.outcome.silenced);
    match kind {
        Kind::Xlsx => export::xlsx::report_workbook(r, unit, &acks).map_err(|e| e.to_string()),
        Kind::Docx => export::docx::report_document(r, unit, &acks).map_err(|e| e.to_string()),
    }
}

fn reports(
    root: &Path,
    kind: Kind,
    target: &[String],
    output: Option<PathBuf>,
) -> Result<ExitCode, ExitCode> {
    let (unit, year) = parse_target(target)?;
    let checked = load(root)?;
    let site = &checked.loaded.site;
    let chosen: Vec<&Report> = match unit {
        Some(unit) => vec![find(site, unit, year)?],
        None => {
            let all: Vec<&Report> = site.reports.iter().filter(|r| r.year == year).collect();
            if all.is_empty() {
                return Err(fail(EXIT_UNREADABLE, format!("没有 {year} 年度的报告")));
            }
            all
        }
    };
    refuse(&checked, &chosen)?;
    match unit {
        Some(_) => {
            let r = chosen[0];
            // An existing folder takes the file under the report's own name.
            let path = match output {
                Some(o) if o.is_dir() => o.join(file_name(site, r, kind)),
                Some(o) => o,
                None => PathBuf::from(file_name(site, r, kind)),
            };
            let bytes = render(&checked, r, kind)
                .map_err(|e| fail(EXIT_UNREADABLE, format!("{}：无法生成：{e}", r.file)))?;
            write(&path, &bytes)?;
            eprintln!("已导出：{} → {}", r.file, path.display());
        }
        None => {
            let dir = output.unwrap_or_else(|| PathBuf::from(format!("{year}年度报告")));
            for r in &chosen {
                // Units' reports of one year may share a title; the unit path keeps them apart.
                let name = format!("{}-{}", r.unit.replace('/', "-"), file_name(site, r, kind));
                let bytes = render(&checked, r, kind)
                    .map_err(|e| fail(EXIT_UNREADABLE, format!("{}：无法生成：{e}", r.file)))?;
                write(&dir.join(name), &bytes)?;
            }
            eprintln!(
                "已导出：{year} 年度 {} 份报告 → {}",
                chosen.len(),
                dir.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn summary(root: &Path, unit: Option<&str>, output: &Path) -> Result<ExitCode, ExitCode> {
    let checked = load(root)?;
    let site = &checked.loaded.site;
    let chosen: Vec<&Report> = match unit.map(|u| u.trim_matches('/')) {
        Some(u) => {
            if site.unit(u).is_none() {
                return Err(fail(EXIT_UNREADABLE, format!("没有单位 content/{u}/")));
            }
            site.reports_of(u).chain(site.reports_below(u)).collect()
        }
        None => site.reports.iter().collect(),
    };
    refuse(&checked, &chosen)?;
    let bytes = export::xlsx::summary_workbook(site, &chosen, &checked.outcome.silenced)
        .map_err(|e| fail(EXIT_UNREADABLE, format!("无法生成汇总工作簿：{e}")))?;
    write(output, &bytes)?;
    eprintln!("已导出汇总：{} 份报告 → {}", chosen.len(), output.display());
    Ok(ExitCode::SUCCESS)
}

/// Writes `bytes` to `path` atomically, replacing an earlier export; the folder is made if
/// missing.
fn write(path: &Path, bytes: &[u8]) -> Result<(), ExitCode> {
    let written = crate::save::write_atomic(path, bytes, true);
    written.map_err(|e| {
        fail(
            EXIT_UNREADABLE,
            format!("无法写入 {}：{e}；请检查文件夹是否存在、是否可写，或文件是否正在 Excel/Word 中打开", path.display()),
        )
    })
}
