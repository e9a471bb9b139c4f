//! `nianbao check`.

use std::path::Path;
use std::process::ExitCode;

use super::{EXIT_ERRORS, EXIT_UNREADABLE, OutputFormat};
use crate::check::check_site;
use crate::diagnostic::{self, Style};

pub fn run(root: &Path, format: OutputFormat) -> ExitCode {
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
        OutputFormat::Human => {
            let style = Style {
                color: super::stdout_color(),
            };
            for d in diags {
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
