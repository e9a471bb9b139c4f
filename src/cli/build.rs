//! `nianbao build`.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{EXIT_ERRORS, EXIT_UNREADABLE};
use crate::build::{BuildError, BuildOptions, build_to_disk_showing};
use crate::diagnostic::{self, Style};

/// The bar counting the reports rendered, drawn on stderr only for someone watching it: a
/// terminal that is not `dumb`, outside CI, without `NO_COLOR`. Anywhere else it is hidden and
/// stderr carries exactly what it did without it.
fn progress_bar() -> ProgressBar {
    // A terminal without NO_COLOR.
    let watched = super::stderr_color()
        && std::env::var_os("CI").is_none()
        && std::env::var_os("TERM").is_none_or(|t| t != "dumb");
    if !watched {
        return ProgressBar::hidden();
    }
    let style =
        ProgressStyle::with_template("生成网站 [{bar:30}] {pos}/{len} 份报告，已用 {elapsed}")
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(style)
}

pub(super) fn run(root: &Path, output: &Path, opts: BuildOptions) -> ExitCode {
    let start = Instant::now();
    // Ctrl+C or SIGTERM then removes the half-written folder; without the handler they would
    // leave it behind (the next build would still remove it).
    let _ = crate::output::clean_up_on_interrupt();
    let out = if output.is_absolute() {
        output.to_path_buf()
    } else {
        root.join(output)
    };
    let style = Style {
        color: super::stderr_color(),
    };
    let progress = progress_bar();
    let result = build_to_disk_showing(root, &out, &opts, &progress);
    // Gone before the closing line and any diagnostics.
    progress.finish_and_clear();
    match result {
        Ok(built) => {
            let diags = &built.site.outcome.diagnostics;
            for d in &diagnostic::fold(diags) {
                let source = built.site.source(&d.file);
                eprintln!("{}", diagnostic::render_human(d, source.as_deref(), style));
            }
            if opts.base_url.is_none() && built.site.loaded.site.config.base_url.is_none() {
                eprintln!(
                    "注意：没有设置 base_url，sitemap.xml 和 atom.xml 中的链接是相对地址；在 content/_index.md 中加 `base_url:` 或用 --base-url 指定网站地址"
                );
            }
            let (_, warnings) = diagnostic::count(diags);
            // `built.reports` counts the published reports; the rest are drafts.
            let drafts = match built.site.loaded.site.reports.len() - built.reports {
                0 => String::new(),
                n => format!("另有 {n} 份草稿未发布，"),
            };
            eprintln!(
                "已生成网站：{} 份报告 → {}（{drafts}{} 个警告，用时 {} 毫秒）",
                built.reports,
                out.display(),
                warnings,
                start.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(BuildError::Load(e)) => {
            eprintln!("错误：{e}");
            ExitCode::from(EXIT_UNREADABLE)
        }
        Err(BuildError::Findings { findings, site }) => {
            for d in &diagnostic::fold(&findings) {
                let source = site.source(&d.file);
                eprintln!("{}", diagnostic::render_human(d, source.as_deref(), style));
            }
            eprint!("{}", diagnostic::failure_advice(&findings));
            let (errors, warnings) = diagnostic::count(&findings);
            eprintln!(
                "{errors} 个错误，{warnings} 个警告：网站没有生成，{} 保持原样",
                out.display()
            );
            ExitCode::from(EXIT_ERRORS)
        }
        Err(BuildError::Output(e)) => {
            eprintln!("错误：{e}");
            ExitCode::from(EXIT_UNREADABLE)
        }
    }
}
