//! `nianbao fragment UNIT YEAR`: prints one report's CMS fragment (the report body with inline
//! styles) to stdout, for pasting into a portal article. The site writes `fragment.html` files
//! only with `fragments: true`; this gives the one fragment a staffer needs without them.
//!
//! The report is checked as `export` checks it (errors in it, its unit or the site settings
//! stop it, unless acknowledged) and rendered by the site's theme, the same renderer `build`
//! uses for `fragment.html`.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use super::export::{fail, find, load, refuse};
use super::{EXIT_ERRORS, EXIT_UNREADABLE};
use crate::diagnostic::{self, Style};
use crate::render::{self, RenderError, RenderInput};

pub(super) fn run(root: &Path, unit: &str, year: i32) -> ExitCode {
    print(root, unit.trim_matches('/'), year).unwrap_or_else(|code| code)
}

fn print(root: &Path, unit: &str, year: i32) -> Result<ExitCode, ExitCode> {
    let checked = load(root)?;
    let site = &checked.loaded.site;
    let report = find(site, unit, year)?;
    refuse(&checked, &[report])?;
    let theme = render::theme::load(root, site.config.theme.as_deref()).map_err(|diags| {
        let style = Style {
            color: super::stderr_color(),
        };
        for d in &diags {
            eprintln!(
                "{}",
                diagnostic::render_human(d, checked.source(&d.file).as_deref(), style)
            );
        }
        ExitCode::from(EXIT_ERRORS)
    })?;
    let input = RenderInput {
        site,
        silenced: &checked.outcome.silenced,
        theme: &theme,
        base_url: None,
        attachments: &checked.loaded.attachments,
    };
    let html = match render::render_fragment(&input, unit, year) {
        Ok(Some(html)) => html,
        Ok(None) => {
            return Err(fail(
                EXIT_UNREADABLE,
                format!("没有单位 content/{unit}/_index.md"),
            ));
        }
        Err(RenderError::Template(d)) => {
            let style = Style {
                color: super::stderr_color(),
            };
            eprintln!(
                "{}",
                diagnostic::render_human(&d, checked.source(&d.file).as_deref(), style)
            );
            return Err(ExitCode::from(EXIT_ERRORS));
        }
        Err(e) => return Err(fail(EXIT_UNREADABLE, e)),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(&html)
        .and_then(|()| out.flush())
        .map_err(|e| fail(EXIT_UNREADABLE, format!("无法输出片段：{e}")))?;
    Ok(ExitCode::SUCCESS)
}
