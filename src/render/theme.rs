//! Templates and static files: the built-in default theme, then the site's own
//! `themes/<name>/`, then its `templates/` and `static/` — a later file of the same name wins.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{ErrorKind, Tera};

use crate::content::yaml::Pos;
use crate::diagnostic::{Diagnostic, Rule};

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// The page templates the renderer asks for.
pub const PAGE_TEMPLATES: &[&str] = &[
    "home.html",
    "year.html",
    "unit.html",
    "report.html",
    "fragment.html",
    "search.html",
    "404.html",
];

/// How a template of the built-in theme is named in messages: this, then its path.
const BUILTIN: &str = "（内置主题）";

pub struct Theme {
    pub tera: Tera,
    /// Files copied to `static/` in the output.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Where each template came from, for messages: template name → path shown to the user.
    pub origins: BTreeMap<String, String>,
    /// Folders on disk that make up the theme (watched by `serve`).
    pub dirs: Vec<PathBuf>,
}

fn collect(dir: &Path, rel: &str, out: &mut Vec<(String, PathBuf)>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        if crate::load::is_ignored_name(&name) {
            continue;
        }
        let child = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        if e.file_type()?.is_dir() {
            collect(&e.path(), &child, out)?;
        } else {
            out.push((child, e.path()));
        }
    }
    Ok(())
}

fn rel_display(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Loads the theme for the site at `root`. Errors are `template` findings.
pub fn load(root: &Path, theme: Option<&str>) -> Result<Theme, Vec<Diagnostic>> {
    let mut templates: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut statics = BTreeMap::new();
    let mut diags = Vec::new();
    for (path, bytes) in DEFAULT_THEME {
        if let Some(name) = path.strip_prefix("templates/") {
            let text = String::from_utf8_lossy(bytes).into_owned();
            templates.insert(
                name.to_string(),
                (format!("{BUILTIN}themes/default/{path}"), text),
            );
        } else if let Some(name) = path.strip_prefix("static/") {
            statics.insert(name.to_string(), bytes.to_vec());
        }
    }
    let name = theme.unwrap_or("default");
    let theme_dir = root.join("themes").join(name);
    if theme.is_some() && !theme_dir.is_dir() {
        diags.push(
            Diagnostic::new(
                Rule::Template,
                "content/_index.md",
                Pos::new(0, 0),
                format!("找不到主题文件夹 themes/{name}"),
            )
            .help("删除 `theme` 一行使用内置主题，或新建这个文件夹"),
        );
    }
    let layers = [
        (theme_dir.join("templates"), theme_dir.join("static")),
        (root.join("templates"), root.join("static")),
    ];
    let mut dirs = Vec::new();
    for (tdir, sdir) in layers {
        for (dir, is_templates) in [(tdir, true), (sdir, false)] {
            if !dir.is_dir() {
                continue;
            }
            dirs.push(dir.clone());
            let mut files = Vec::new();
            if let Err(e) = collect(&dir, "", &mut files) {
                diags.push(Diagnostic::new(
                    Rule::Template,
                    rel_display(root, &dir),
                    Pos::new(0, 0),
                    format!("无法读取：{e}"),
                ));
                continue;
            }
            for (rel, path) in files {
                match std::fs::read(&path) {
                    Ok(bytes) if is_templates => match String::from_utf8(bytes) {
                        Ok(text) => {
                            templates.insert(
                                rel,
                                (
                                    rel_display(root, &path),
                                    crate::content::parse::normalize(&text).into_owned(),
                                ),
                            );
                        }
                        Err(_) => diags.push(
                            Diagnostic::new(
                                Rule::Encoding,
                                rel_display(root, &path),
                                Pos::new(0, 0),
                                "模板文件不是 UTF-8 编码",
                            )
                            .help("用编辑器另存为 UTF-8 编码"),
                        ),
                    },
                    Ok(bytes) => {
                        statics.insert(rel, bytes);
                    }
                    Err(e) => diags.push(Diagnostic::new(
                        Rule::Template,
                        rel_display(root, &path),
                        Pos::new(0, 0),
                        format!("无法读取：{e}"),
                    )),
                }
            }
        }
    }
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    let origins: BTreeMap<String, String> = templates
        .iter()
        .map(|(k, (o, _))| (k.clone(), o.clone()))
        .collect();
    if let Err(e) =
        tera.add_raw_templates(templates.iter().map(|(k, (_, t))| (k.as_str(), t.as_str())))
    {
        diags.push(template_error(&e, &origins));
    }
    for name in PAGE_TEMPLATES {
        if diags.is_empty() && !tera.contains_template(name) {
            diags.push(
                Diagnostic::new(
                    Rule::Template,
                    format!("templates/{name}"),
                    Pos::new(0, 0),
                    format!("主题缺少模板 {name}"),
                )
                .help("从内置主题 themes/default/templates/ 复制一份再修改"),
            );
        }
    }
    if diags.is_empty() {
        Ok(Theme {
            tera,
            statics,
            origins,
            dirs,
        })
    } else {
        Err(diags)
    }
}

/// Turns a Tera error into a `template` finding with the template's file and line.
pub fn template_error(e: &tera::Error, origins: &BTreeMap<String, String>) -> Diagnostic {
    let file_of = |name: &str| {
        origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("templates/{name}"))
    };
    let (file, pos, message) = match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let span = r.span();
            (
                file_of(r.filename()),
                Pos::new(span.start_line as u32, span.start_col as u32 + 1),
                r.message().to_string(),
            )
        }
        ErrorKind::TemplateNotFound(name) => {
            (file_of(name), Pos::new(0, 0), format!("找不到模板 {name}"))
        }
        ErrorKind::MissingParent { current, parent } => (
            file_of(current),
            Pos::new(0, 0),
            format!("继承的模板 {parent} 不存在"),
        ),
        _ => (String::new(), Pos::new(0, 0), e.to_string()),
    };
    Diagnostic::new(Rule::Template, file, pos, format!("模板错误：{message}"))
        .help("修改这个模板；不确定时删除它，改用内置主题的同名模板")
}
