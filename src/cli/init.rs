//! `nianbao init`: a new site with one unit and a report skeleton.

use std::path::PathBuf;
use std::process::ExitCode;

use super::EXIT_ERRORS;
use super::new;
use crate::content::UnitKind;
use crate::save;
use crate::scaffold;

pub(super) struct Args {
    pub dir: PathBuf,
    pub title: String,
    pub unit: String,
    pub name: String,
    pub kind: Option<UnitKind>,
    pub year: Option<i32>,
}

/// The year of the last report due: last calendar year (UTC).
pub(super) fn last_year() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // Days to civil year (Howard Hinnant's algorithm).
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let year = yoe + era * 400 + i64::from(mp >= 10);
    year as i32 - 1
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("错误：{message}");
    ExitCode::from(EXIT_ERRORS)
}

pub(super) fn run(args: Args) -> ExitCode {
    let content = args.dir.join("content");
    if content.exists() {
        return fail(format!(
            "{} 已存在，没有改动：init 只新建站点",
            content.display()
        ));
    }
    let site = content.join("_index.md");
    if let Err(e) = save::write_atomic(&site, scaffold::site_index(&args.title), false) {
        return fail(format!("无法写入 {}：{e}", site.display()));
    }
    let year = args.year.unwrap_or_else(last_year);
    let made = new::create(
        &content,
        &new::Args {
            root: args.dir.clone(),
            unit: args.unit.clone(),
            year,
            name: Some(args.name.clone()),
            kind: args.kind,
        },
    );
    match made {
        Ok(written) => {
            println!("已新建站点 {}：", args.dir.display());
            println!("  content/_index.md（站点设置：标题已填，其余各项已注释，按需填写）");
            for w in written {
                println!("  {w}");
            }
            println!(
                "接着运行 `nianbao check --root {}`：在填好 published 和页脚各项（owner、site_code、icp、police_record）之前，会有 published 和 site-identity 警告",
                args.dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}
