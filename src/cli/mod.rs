//! The command line: a thin layer that parses arguments and calls the library.

mod check;
mod import;

use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// nianbao（年报）：政府信息公开工作年度报告的检查、建站与预览工具
#[derive(Parser, Debug)]
#[command(name = "nianbao", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 检查所有报告的数字、勾稽关系和格式
    Check {
        /// 站点根目录（其中有 content/ 文件夹）
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 输出格式：human（默认，便于阅读）或 json（供其他程序使用）
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
    },
    /// 导入已发布的报告（网页复制的文字、PDF 提取的文字或网页 HTML），写成 content/<单位>/<年度>.md
    Import {
        /// 站点根目录（其中有 content/ 文件夹）
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 单位文件夹，content/ 下的相对路径，如 huaian/hongze
        #[arg(long)]
        unit: String,
        /// 报告年度，如 2024
        #[arg(long)]
        year: i32,
        /// 报告文件已存在时覆盖它
        #[arg(long)]
        force: bool,
        /// 发布日期（年-月-日），原文没有写明时使用
        #[arg(long, value_parser = import::parse_date)]
        published: Option<crate::content::Date>,
        /// 要导入的文件：.txt 文本或 .html 网页
        file: PathBuf,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
}

/// Exit status: 0 fine (warnings allowed), 1 findings with errors, 2 the site cannot be read.
pub const EXIT_ERRORS: u8 = 1;
pub const EXIT_UNREADABLE: u8 = 2;

/// Colour only on a terminal and never with `NO_COLOR` (https://no-color.org).
pub fn use_color(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub fn stdout_color() -> bool {
    use_color(std::io::stdout().is_terminal())
}

pub fn stderr_color() -> bool {
    use_color(std::io::stderr().is_terminal())
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { root, format } => check::run(&root, format),
        Command::Import {
            root,
            unit,
            year,
            force,
            published,
            file,
        } => import::run(import::Args {
            root,
            unit,
            year,
            force,
            published,
            file,
        }),
    }
}
