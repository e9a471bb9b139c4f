//! The command line: a thin layer that parses arguments and calls the library.

mod build;
mod check;
mod column;
mod export;
mod fragment;
mod import;
mod init;
mod new;
mod serve;

use clap::{CommandFactory, Parser, Subcommand};
use std::io::IsTerminal;
use std::net::IpAddr;
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
        /// 输出格式：human（默认，便于阅读）、json（供其他程序使用）、github 或 gitlab（代码仓库的 CI 用）
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
    },
    /// 检查并生成网站（有错误时不生成，原有输出保持不变）
    Build {
        /// 站点根目录（其中有 content/ 文件夹）
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 输出文件夹（相对于站点根目录）
        #[arg(long, default_value = "public")]
        output: PathBuf,
        /// 网站发布地址，如 https://www.example.gov.cn/zwgk/zfxxgknb/（用于 sitemap、订阅和规范链接）
        #[arg(long)]
        base_url: Option<String>,
        /// 输出文件夹不是 nianbao 生成的也整体替换
        #[arg(long)]
        force: bool,
    },
    /// 本地预览：在内存中生成网站并提供浏览，保存文件后页面自动刷新
    Serve {
        /// 站点根目录（其中有 content/ 文件夹）
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 端口；0 表示自动选一个空闲端口
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// 监听地址；默认只有本机能访问
        #[arg(long, default_value = "127.0.0.1", value_parser = parse_bind)]
        bind: IpAddr,
        /// 启动后在浏览器中打开
        #[arg(long)]
        open: bool,
        /// 定时轮询文件变化，不用系统的文件通知（网络文件夹、虚拟机共享文件夹中使用）
        #[arg(long)]
        poll: bool,
        /// 先只重新生成改动的报告（auto：网站较大时）
        #[arg(long, value_enum, default_value_t = Incremental::Auto, hide = true)]
        incremental: Incremental,
    },
    /// 导入已发布的报告（网页复制的文字、PDF 提取的文字或网页 HTML），写成 content/<单位>/<年度>.md
    ///
    /// 两种用法：
    ///   nianbao import --unit 单位文件夹 --year 年度 文件    导入一份报告
    ///   nianbao import 文件夹或文件…                        导入整个栏目：保存的年报栏目网页（列表页和各篇报告），
    ///                                                      单位和年度取自每篇报告的标题，新单位按名称放在所属单位下
    #[command(
        verbatim_doc_comment,
        after_help = "退出状态：0 全部导入（或跳过）；1 有报告未导入（未导入的不写入任何文件）；2 站点或文件无法读取"
    )]
    Import {
        /// 站点根目录（其中有 content/ 文件夹）
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 单位文件夹，content/ 下的相对路径，如 huaian/hongze（导入一份报告时用；不写时单位取自标题）
        #[arg(long, requires = "year")]
        unit: Option<String>,
        /// 报告年度，如 2024（和 --unit 一起用）
        #[arg(long, requires = "unit")]
        year: Option<i32>,
        /// 报告文件已存在时覆盖它
        #[arg(long)]
        force: bool,
        /// 发布日期（年-月-日），原文没有写明时使用（和 --unit 一起用）
        #[arg(long, value_parser = import::parse_date, requires = "unit")]
        published: Option<crate::content::Date>,
        /// 要导入的文件（.txt 文本、.md 或 .html 网页），或保存的年报栏目网页所在的文件夹
        #[arg(value_name = "文件或文件夹", required = true)]
        paths: Vec<PathBuf>,
    },
    /// 新建一份报告模板：所有行都填 0，每行每列有中文注释，六个部分有填写提示
    New {
        /// 站点根目录（其中有 content/ 文件夹）
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 单位文件夹，content/ 下的相对路径，如 xiangcheng/huayuan
        unit: String,
        /// 报告年度，如 2024
        year: i32,
        /// 单位还不存在时：单位全称，如 项城市人民政府花园街道办事处
        #[arg(long)]
        name: Option<String>,
        /// 单位还不存在时：单位类别（人民政府、部门、乡镇、街道、其他）；默认按名称推断
        #[arg(long, value_parser = new::parse_kind)]
        kind: Option<crate::content::UnitKind>,
    },
    /// 输出报告文件头的 JSON Schema（编辑器据此自动补全、提示错误），如 nianbao schema > report.schema.json
    Schema,
    /// 新建站点：站点设置、一个单位和一份报告模板
    Init {
        /// 新站点的目录（其中不能已有 content/）
        dir: PathBuf,
        /// 网站栏目标题
        #[arg(long, default_value = "某某县政府信息公开工作年度报告")]
        title: String,
        /// 第一个单位的文件夹名（决定网址，建议用拼音或英文）
        #[arg(long, default_value = "benji")]
        unit: String,
        /// 第一个单位的全称
        #[arg(long, default_value = "某某县人民政府")]
        name: String,
        /// 第一个单位的类别；默认按名称推断
        #[arg(long, value_parser = new::parse_kind)]
        kind: Option<crate::content::UnitKind>,
        /// 报告年度；默认上一年
        #[arg(long)]
        year: Option<i32>,
    },
    /// 输出一份报告用于粘贴到门户网站内容管理系统的片段（报告正文和表格，行内样式），如 nianbao fragment huaian 2024 > 片段.html
    Fragment {
        /// 站点根目录（其中有 content/ 文件夹）
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 单位文件夹，content/ 下的相对路径，如 huaian/hongze
        unit: String,
        /// 报告年度，如 2024
        year: i32,
    },
    /// 导出为 Excel 工作簿或 Word 文档（供填报、汇总和审签）
    #[command(subcommand)]
    Export(export::ExportCommand),
}

/// An IP address, or `localhost`.
fn parse_bind(s: &str) -> Result<IpAddr, String> {
    if s.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    }
    s.parse()
        .map_err(|_| format!("“{s}”不是 IP 地址；本机预览用 127.0.0.1，局域网共享用 0.0.0.0"))
}

/// `serve --incremental`: when to re-render only the edited reports first.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Incremental {
    Auto,
    Always,
    Never,
}

impl From<Incremental> for crate::serve::Incremental {
    fn from(i: Incremental) -> Self {
        match i {
            Incremental::Auto => crate::serve::Incremental::Auto,
            Incremental::Always => crate::serve::Incremental::Always,
            Incremental::Never => crate::serve::Incremental::Never,
        }
    }
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
    /// GitHub Actions（以及 Gitea、Forgejo）工作流命令：问题显示在合并请求改动的行上
    Github,
    /// GitLab 代码质量报告（JSON），保存为 artifacts:reports:codequality
    Gitlab,
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
        Command::Schema => {
            print!("{}", crate::content::schema::report_schema_text());
            ExitCode::SUCCESS
        }
        Command::Build {
            root,
            output,
            base_url,
            force,
        } => build::run(
            &root,
            &output,
            crate::build::BuildOptions { base_url, force },
        ),
        Command::Serve {
            root,
            port,
            bind,
            open,
            poll,
            incremental,
        } => serve::run(
            crate::serve::ServeOptions {
                root,
                bind,
                port,
                poll,
                incremental: incremental.into(),
                quiet: false,
                color: stderr_color(),
            },
            open,
        ),
        Command::Import {
            root,
            unit,
            year,
            force,
            published,
            paths,
        } => match (unit, year) {
            (Some(unit), Some(year)) => {
                let [file] = <[PathBuf; 1]>::try_from(paths).unwrap_or_else(|paths| {
                    let mut cli = Cli::command();
                    cli.build();
                    cli.find_subcommand_mut("import")
                        .expect("the import subcommand")
                        .error(
                            clap::error::ErrorKind::TooManyValues,
                            format!(
                                "用 --unit 导入一份报告时只写一个文件（写了 {} 个）；导入整个栏目时不写 --unit 和 --year",
                                paths.len()
                            ),
                        )
                        .exit()
                });
                import::run(import::Args {
                    root,
                    unit,
                    year,
                    force,
                    published,
                    file,
                })
            }
            _ => column::run(column::Args { root, force, paths }),
        },
        Command::New {
            root,
            unit,
            year,
            name,
            kind,
        } => new::run(new::Args {
            root,
            unit,
            year,
            name,
            kind,
        }),
        Command::Init {
            dir,
            title,
            unit,
            name,
            kind,
            year,
        } => init::run(init::Args {
            dir,
            title,
            unit,
            name,
            kind,
            year,
        }),
        Command::Fragment { root, unit, year } => fragment::run(&root, &unit, year),
        Command::Export(command) => export::run(command),
    }
}
