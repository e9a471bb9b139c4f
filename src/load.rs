//! Reading `content/` from disk into the content model.
//!
//! The walk is sequential (it is cheap); reading and parsing files runs in parallel. Texts are
//! kept only when asked (`serve` compares them); `check` and `build` read again the few files
//! that have findings (see [`crate::check`]).

use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::content::model::{Report, Site, SiteConfig, Unit};
use crate::content::parse;
use crate::content::yaml::Pos;
use crate::diagnostic::{self, Diagnostic, Rule};

/// Extensions published beside a report as 附件.
pub const ATTACHMENT_EXTENSIONS: &[&str] = &["pdf", "doc", "docx", "wps", "ofd", "xls", "xlsx"];

/// What reading a site gave: the model, the findings of parsing, and the source texts.
#[derive(Debug, Default)]
pub struct Loaded {
    pub site: Site,
    pub diagnostics: Vec<Diagnostic>,
    /// Normalised text of every content file, by path relative to the root.
    pub sources: BTreeMap<String, String>,
    /// Absolute paths of attachments, by their path relative to `content/` (`a/b/2020.pdf`).
    pub attachments: BTreeMap<String, PathBuf>,
    /// Every file read, for the watcher and for a report of what was checked.
    pub report_count: usize,
}

/// The site cannot be read at all (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(
        "找不到内容文件夹 {}：请在站点根目录运行，或用 --root 指定站点根目录（其中应有 content/ 文件夹）；新建站点可运行 `nianbao init 目录`",
        .0.display()
    )]
    NoContent(PathBuf),
    #[error("无法读取 {}：{error}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        error: std::io::Error,
    },
}

/// Editor temp and backup files, hidden files: never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('~')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with("#")
        || name == "4913"
}

enum Kind {
    Site,
    Unit { id: String },
    Report { unit: String, year: i32 },
    Attachment,
    Stray,
}

struct Entry {
    path: PathBuf,
    rel: String,
    kind: Kind,
}

fn classify(rel_dir: &str, name: &str) -> Kind {
    let lower = name.to_lowercase();
    let (stem, ext) = match lower.rsplit_once('.') {
        Some((s, e)) => (s, e),
        None => (lower.as_str(), ""),
    };
    if lower == "_index.md" {
        return if rel_dir.is_empty() {
            Kind::Site
        } else {
            Kind::Unit {
                id: rel_dir.to_string(),
            }
        };
    }
    let year = (stem.len() == 4 && stem.bytes().all(|b| b.is_ascii_digit()))
        .then(|| stem.parse::<i32>().unwrap_or(0));
    match (ext, year) {
        ("md", Some(year)) => Kind::Report {
            unit: rel_dir.to_string(),
            year,
        },
        ("md", None) => Kind::Stray,
        (e, Some(_)) if ATTACHMENT_EXTENSIONS.contains(&e) => Kind::Attachment,
        _ => Kind::Stray,
    }
}

/// `content/<unit>/<YYYY>.md` → (unit, year): the report a file is, as loading classifies it.
pub fn report_key(file: &str) -> Option<(String, i32)> {
    let rel = file.strip_prefix("content/")?;
    let (dir, name) = rel.rsplit_once('/')?;
    match classify(dir, name) {
        Kind::Report { unit, year } => Some((unit, year)),
        _ => None,
    }
}

/// The attachments of `unit`'s report of `year`: the files of `attachments` (by path below
/// `content/`, as in [`Loaded::attachments`]) in the unit's own folder with the year as stem.
pub fn attachments_of(
    attachments: &BTreeMap<String, PathBuf>,
    unit: &str,
    year: i32,
) -> Vec<String> {
    let prefix = format!("{unit}/{year}.");
    attachments
        .range::<str, _>((
            std::ops::Bound::Included(prefix.as_str()),
            std::ops::Bound::Unbounded,
        ))
        .map(|(k, _)| k)
        .take_while(|k| k.starts_with(&prefix))
        .filter(|k| !k[prefix.len()..].contains('/'))
        .filter_map(|k| k.rsplit_once('/').map(|(_, name)| name.to_string()))
        .collect()
}

/// Where content may come from: the site root, or `content/` itself if that is a link. A
/// symbolic link in `content/` that leads anywhere else is skipped, so a link to `/etc/passwd`
/// or a unit folder elsewhere on the disk is never read nor published.
struct Within {
    root: PathBuf,
    content: PathBuf,
}

impl Within {
    fn new(root: &Path) -> std::io::Result<Within> {
        Ok(Within {
            root: root.canonicalize()?,
            content: root.join("content").canonicalize()?,
        })
    }

    fn holds(&self, real: &Path) -> bool {
        real.starts_with(&self.root) || real.starts_with(&self.content)
    }
}

/// A file or folder of `content/` that is not read: the finding that says so and why.
fn skipped(rel: &str, what: impl Into<String>) -> Diagnostic {
    Diagnostic::new(
        Rule::SkippedFile,
        format!("content/{rel}"),
        Pos::new(0, 0),
        what,
    )
    .help("报告、单位说明和附件必须是站点内的普通文件或文件夹：删除这个链接或文件，或换成真正的文件（复制进 content/）")
}

/// What a directory entry is once symbolic links are followed, or why it is skipped.
enum Found {
    Dir(PathBuf),
    File,
    Skip(Diagnostic),
}

/// `ErrorKind::FilesystemLoop` is not stable yet; ELOOP is what Unix says.
fn is_loop(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    return e.raw_os_error() == Some(libc::ELOOP);
    #[cfg(not(unix))]
    return false;
}

/// Follows `path` (a symbolic link in `content/`, at `rel`) if it stays inside the site.
/// `open` holds the real paths of the folders being walked: a link to one of them, or to a
/// folder above one, would lead round in a circle (also through links in other folders).
fn follow(path: &Path, rel: &str, open: &[PathBuf], within: &Within) -> Found {
    let target = std::fs::read_link(path)
        .map(|t| t.display().to_string())
        .unwrap_or_default();
    let real = match path.canonicalize() {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Found::Skip(skipped(
                rel,
                format!("符号链接指向的位置不存在（{target}），已跳过"),
            ));
        }
        Err(e) if is_loop(&e) => {
            return Found::Skip(skipped(rel, "符号链接形成循环，已跳过"));
        }
        Err(e) => {
            return Found::Skip(skipped(rel, format!("无法读取符号链接（{e}），已跳过")));
        }
    };
    if !within.holds(&real) {
        return Found::Skip(skipped(
            rel,
            format!(
                "符号链接指向站点以外（{}），已跳过：站点以外的文件不会发布",
                real.display()
            ),
        ));
    }
    match std::fs::metadata(&real) {
        Ok(m) if m.is_dir() && open.iter().any(|d| d.starts_with(&real)) => Found::Skip(skipped(
            rel,
            format!("符号链接指向正在读取的文件夹或它的上级文件夹（{target}），形成循环，已跳过"),
        )),
        Ok(m) if m.is_dir() => Found::Dir(real),
        Ok(m) if m.is_file() => Found::File,
        Ok(_) => Found::Skip(skipped(
            rel,
            "符号链接指向的不是普通文件（管道、设备或套接字），已跳过",
        )),
        Err(e) => Found::Skip(skipped(rel, format!("无法读取符号链接（{e}），已跳过"))),
    }
}

/// Collects the files below `dir`, whose real path is the last of `open`. Only folders and
/// regular files are walked: a FIFO named `2024.pdf` would block the build forever on its
/// first read.
fn walk(
    dir: &Path,
    rel: &str,
    open: &mut Vec<PathBuf>,
    within: &Within,
    out: &mut Vec<Entry>,
    skips: &mut Vec<Diagnostic>,
) -> Result<(), LoadError> {
    let io = |error| LoadError::Io {
        path: dir.to_path_buf(),
        error,
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        if is_ignored_name(&name) {
            continue;
        }
        let path = e.path();
        let child_rel = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        // The listing gives the entry's type; only a symlink needs a stat to tell what it
        // points at. The walk is the one serial step of loading.
        let file_type = e.file_type().map_err(|error| LoadError::Io {
            path: path.clone(),
            error,
        })?;
        let found = if file_type.is_symlink() {
            follow(&path, &child_rel, open, within)
        } else if file_type.is_dir() {
            Found::Dir(open.last().map_or_else(|| path.clone(), |d| d.join(&name)))
        } else if file_type.is_file() {
            Found::File
        } else {
            Found::Skip(skipped(
                &child_rel,
                "不是普通文件（管道、设备或套接字），已跳过",
            ))
        };
        match found {
            Found::Dir(real) => {
                open.push(real);
                let walked = walk(&path, &child_rel, open, within, out, skips);
                open.pop();
                walked?
            }
            Found::File => out.push(Entry {
                kind: classify(rel, &name),
                path,
                rel: child_rel,
            }),
            Found::Skip(d) => skips.push(d),
        }
    }
    Ok(())
}

/// The normalised text of `file` (a path below `root`, as in findings), as [`load`] keeps it.
/// Only a regular file inside the site is read: findings about skipped files quote nothing.
pub fn read_source(root: &Path, file: &str) -> Option<String> {
    let path = root.join(file);
    let real = path.canonicalize().ok()?;
    if !Within::new(root).ok()?.holds(&real) || !std::fs::metadata(&real).ok()?.is_file() {
        return None;
    }
    let text = std::fs::read_to_string(&real).ok()?;
    Some(parse::normalize(&text).into_owned())
}

/// Reads a file as UTF-8, or explains how to fix its encoding.
fn read_text(path: &Path, file: &str) -> Result<Result<String, Diagnostic>, LoadError> {
    let bytes = std::fs::read(path).map_err(|error| LoadError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    Ok(match String::from_utf8(bytes) {
        Ok(s) => Ok(parse::normalize(&s).into_owned()),
        Err(e) => {
            let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = upto.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            Err(Diagnostic::new(
                Rule::Encoding,
                file,
                Pos::new(line, 0),
                "文件不是 UTF-8 编码（可能是 GBK 等旧编码）",
            )
            .help(
                "用记事本“另存为”选择 UTF-8 编码，或运行 `iconv -f GBK -t UTF-8 原文件 > 新文件`",
            ))
        }
    })
}

/// Reads the site below `root` (which holds `content/`).
pub fn load(root: &Path) -> Result<Loaded, LoadError> {
    load_with(root, true)
}

/// [`load`], keeping the source texts (`Loaded::sources`) only with `keep_sources`. Without,
/// each text is dropped once its file is parsed, so a large site's texts are never all in
/// memory; [`read_source`] reads one again to quote a finding.
#[allow(clippy::type_complexity)]
pub fn load_with(root: &Path, keep_sources: bool) -> Result<Loaded, LoadError> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(LoadError::NoContent(content));
    }
    let within = Within::new(root).map_err(|error| LoadError::Io {
        path: content.clone(),
        error,
    })?;
    let mut entries = Vec::new();
    let mut skips = Vec::new();
    walk(
        &content,
        "",
        &mut vec![within.content.clone()],
        &within,
        &mut entries,
        &mut skips,
    )?;

    enum Parsed {
        Site(SiteConfig),
        Unit(Option<Unit>),
        Report(Option<Report>),
        None,
    }
    let unit_dirs: std::collections::BTreeSet<&str> = entries
        .iter()
        .filter_map(|e| match &e.kind {
            Kind::Unit { id } => Some(id.as_str()),
            _ => None,
        })
        .collect();
    let parent_of = |id: &str| -> Option<String> {
        let mut cur = id;
        while let Some((p, _)) = cur.rsplit_once('/') {
            if unit_dirs.contains(p) {
                return Some(p.to_string());
            }
            cur = p;
        }
        None
    };

    let results: Vec<Result<(String, Option<String>, Parsed, Vec<Diagnostic>), LoadError>> = entries
        .par_iter()
        .map(|e| {
            let file = format!("content/{}", e.rel);
            if matches!(e.kind, Kind::Attachment) {
                return Ok((file, None, Parsed::None, Vec::new()));
            }
            if let Kind::Stray = e.kind {
                if !e.rel.to_lowercase().ends_with(".md") {
                    return Ok((file, None, Parsed::None, Vec::new()));
                }
                let d = Diagnostic::new(Rule::Year, &file, Pos::new(0, 0), "无法识别的 Markdown 文件：报告文件应以年份命名")
                    .help("报告文件名写成年份，如 2024.md；单位说明写在 _index.md 中");
                return Ok((file, None, Parsed::None, vec![d]));
            }
            let text = match read_text(&e.path, &file)? {
                Ok(t) => t,
                Err(d) => return Ok((file, None, Parsed::None, vec![d])),
            };
            let (parsed, diags) = match &e.kind {
                Kind::Site => {
                    let (cfg, d) = parse::site(&file, &text);
                    (Parsed::Site(cfg), d)
                }
                Kind::Unit { id } => {
                    let (u, d) = parse::unit(&file, id, parent_of(id), &text);
                    (Parsed::Unit(u), d)
                }
                Kind::Report { unit, year } => {
                    if unit.is_empty() {
                        let d = Diagnostic::new(Rule::Unit, &file, Pos::new(0, 0), "报告不在单位文件夹中")
                            .help("把报告放进单位文件夹，如 content/huayuan/2024.md，文件夹里要有 _index.md");
                        (Parsed::None, vec![d])
                    } else {
                        let (r, d) = parse::report(&file, unit, *year, &text);
                        (Parsed::Report(r), d)
                    }
                }
                Kind::Attachment | Kind::Stray => unreachable!("handled above"),
            };
            Ok((file, keep_sources.then_some(text), parsed, diags))
        })
        .collect();

    let mut loaded = Loaded {
        diagnostics: skips,
        ..Loaded::default()
    };
    let mut have_site = false;
    let mut reports = Vec::new();
    for r in results {
        let (file, text, parsed, diags) = r?;
        loaded.diagnostics.extend(diags);
        if let Some(t) = text {
            loaded.sources.insert(file, t);
        }
        match parsed {
            Parsed::Site(cfg) => {
                loaded.site.config = cfg;
                have_site = true;
            }
            Parsed::Unit(Some(u)) => loaded.site.units.push(u),
            Parsed::Report(Some(r)) => reports.push(r),
            Parsed::Unit(None) | Parsed::Report(None) | Parsed::None => {}
        }
    }
    if !have_site {
        loaded.diagnostics.push(
            Diagnostic::new(
                Rule::Schema,
                "content/_index.md",
                Pos::new(0, 0),
                "缺少站点设置文件 content/_index.md",
            )
            .help("新建 content/_index.md，至少写上 `title: 某某政府信息公开工作年度报告`"),
        );
    }
    loaded.site.units.sort_by(|a, b| a.id.cmp(&b.id));
    loaded.report_count = entries
        .iter()
        .filter(|e| matches!(e.kind, Kind::Report { .. }))
        .count();

    // Attachments belong to the report with the same stem in the same folder.
    for e in &entries {
        if let Kind::Attachment = &e.kind {
            loaded.attachments.insert(e.rel.clone(), e.path.clone());
        }
    }

    reports.sort_by(|a, b| {
        (a.unit.as_str(), a.year, a.file.as_str()).cmp(&(b.unit.as_str(), b.year, b.file.as_str()))
    });
    let mut kept: Vec<Report> = Vec::with_capacity(reports.len());
    for mut r in reports {
        if let Some(prev) = kept.last()
            && prev.unit == r.unit
            && prev.year == r.year
        {
            loaded.diagnostics.push(
                Diagnostic::new(
                    Rule::Year,
                    &r.file,
                    Pos::new(0, 0),
                    format!(
                        "同一单位 {} 年有两份报告：{} 和 {}",
                        r.year, prev.file, r.file
                    ),
                )
                .help("每个单位每年只能有一份报告，删除或改名其中一份"),
            );
            continue;
        }
        if loaded.site.unit(&r.unit).is_none() {
            if !unit_dirs.contains(r.unit.as_str()) {
                loaded.diagnostics.push(
                    Diagnostic::new(
                        Rule::Unit,
                        &r.file,
                        Pos::new(0, 0),
                        format!("报告所在的文件夹 content/{} 没有 _index.md", r.unit),
                    )
                    .help(format!(
                        "新建 content/{}/_index.md，写上 `name:`（单位全称）和 `kind:`（单位类别）",
                        r.unit
                    )),
                );
            }
            continue;
        }
        r.attachments = attachments_of(&loaded.attachments, &r.unit, r.year);
        kept.push(r);
    }
    loaded.site.reports = kept;
    diagnostic::sort(&mut loaded.diagnostics);
    Ok(loaded)
}
