//! `nianbao check`.

use std::path::Path;
use std::process::ExitCode;

use super::{EXIT_ERRORS, EXIT_UNREADABLE, OutputFormat};
use crate::check::check_site;
use crate::diagnostic::{self, Style};

/// The site root as a path prefix for findings, as seen from the working directory (where CI
/// runs: the repository root). `""` when the root is the working directory, else `site/`; an
/// absolute root outside the working directory stays absolute.
fn repo_prefix(root: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let rel = match (
        root.canonicalize().ok(),
        cwd.and_then(|c| c.canonicalize().ok()),
    ) {
        (Some(r), Some(c)) => r
            .strip_prefix(&c)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| r.clone()),
        _ => root.to_path_buf(),
    };
    let rel = rel.to_string_lossy().replace('\\', "/");
    let rel = rel.trim_start_matches("./").trim_end_matches('/');
    if rel.is_empty() || rel == "." {
        String::new()
    } else {
        format!("{rel}/")
    }
}

pub(super) fn run(root: &Path, format: OutputFormat) -> ExitCode {
    let checked = match check_site(root) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("错误：{e}");
            return ExitCode::from(EXIT_UNREADABLE);
        }
    };
    let diags = &checked.outcome.diagnostics;
    match format {
        OutputFormat::Json => {
            println!(
                "{}",
                serde_json::to_string_pretty(diags).expect("findings serialise")
            );
        }
        OutputFormat::Github => {
            let prefix = repo_prefix(root);
            for d in diags {
                println!("{}", diagnostic::render_github(d, &prefix));
            }
            // The log of the job says what was found, as the human output does.
            println!(
                "{}",
                diagnostic::summary(diags, checked.loaded.report_count)
            );
        }
        OutputFormat::Gitlab => {
            let report = diagnostic::gitlab_report(diags, &repo_prefix(root));
            println!(
                "{}",
                serde_json::to_string_pretty(&report).expect("report serialises")
            );
        }
        OutputFormat::Human => {
            let style = Style {
                color: super::stdout_color(),
            };
            for d in &diagnostic::fold(diags) {
                let source = checked.source(&d.file);
                println!("{}", diagnostic::render_human(d, source.as_deref(), style));
            }
            println!(
                "{}",
                diagnostic::summary(diags, checked.loaded.report_count)
            );
        }
    }
    if checked.outcome.has_errors() {
        ExitCode::from(EXIT_ERRORS)
    } else {
        ExitCode::SUCCESS
    }
}
