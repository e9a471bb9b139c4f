//! Rules about a report as a document: `sections`, `published`, `deadline`, `fee-note`; and the
//! site's `site-identity`.

use crate::content::body::{NUMERALS, OFFICIAL_HEADINGS};
use crate::content::format::Format;
use crate::content::yaml::Pos;
use crate::content::{Report, Site, Unit};
use crate::diagnostic::{Diagnostic, Rule};

pub(super) fn check(r: &Report, unit: &Unit, out: &mut Vec<Diagnostic>) {
    sections(r, out);
    match (r.published, r.published_pos) {
        (Some(date), Some(pos)) => {
            let deadline = unit.kind.deadline(r.year);
            if date > deadline {
                out.push(
                    Diagnostic::new(
                        Rule::Deadline,
                        &r.file,
                        pos,
                        format!("发布日期 {date} 晚于法定期限 {deadline}（{}）", deadline_rule(unit)),
                    )
                    .width(&date.to_string())
                    .expected_actual(format!("不晚于 {deadline}"), date)
                    .help("核对发布日期；确已逾期的，在第六部分说明原因"),
                );
            }
        }
        _ => out.push(
            Diagnostic::new(Rule::Published, &r.file, Pos::new(1, 1), "报告没有发布日期（`published`）")
                .width("---")
                .help("在前置元数据中加一行，如 `published: 2025-01-20`；没有可见发布时间的页面会被检查视为未更新"),
        ),
    }
    if r.format == Format::F2021
        && let Some(six) = r.body.section(6)
        && !six.markdown.contains("信息处理费")
    {
        out.push(
            Diagnostic::new(
                Rule::FeeNote,
                &r.file,
                Pos::new(six.line, 1),
                "第六部分没有说明信息处理费的收取情况",
            )
            .width(&format!("## {}", six.heading))
            .help(
                "按国办函〔2020〕109号，写明本年度收取信息处理费的情况，如“本年度未收取信息处理费”",
            ),
        );
    }
}

fn deadline_rule(unit: &Unit) -> &'static str {
    if unit.kind == crate::content::UnitKind::Government {
        "本级人民政府的年度报告应在次年 3 月 31 日前发布"
    } else {
        "部门、乡镇、街道的年度报告应在次年 1 月 31 日前发布"
    }
}

/// Sections 一, 五 and 六 present and not empty; every section in official order.
fn sections(r: &Report, out: &mut Vec<Diagnostic>) {
    let secs = &r.body.sections;
    let mut last = 0u8;
    for s in secs {
        if s.number <= last {
            let before = secs
                .iter()
                .find(|p| p.number >= s.number && p.line < s.line)
                .map(|p| p.heading.as_str())
                .unwrap_or("");
            out.push(
                Diagnostic::new(
                    Rule::Sections,
                    &r.file,
                    Pos::new(s.line, 1),
                    format!("“{}”出现在“{before}”之后，顺序不对", s.heading),
                )
                .width(&format!("{} {}", "#".repeat(s.level as usize), s.heading))
                .help("六个部分按一、二、三、四、五、六的顺序排列，每部分只出现一次"),
            );
        }
        last = last.max(s.number);
    }
    for n in [1u8, 5, 6] {
        let i = n as usize - 1;
        match r.body.section(n) {
            None => {
                // Where the section belongs: before the next one, else after the last one.
                let next = secs
                    .iter()
                    .find(|s| s.number > n)
                    .or_else(|| secs.last())
                    .map(|s| s.line)
                    .unwrap_or(r.body.preamble_line);
                out.push(
                    Diagnostic::new(
                        Rule::Sections,
                        &r.file,
                        Pos::new(next, 1),
                        format!("正文缺少第{}部分“{}”", NUMERALS[i], OFFICIAL_HEADINGS[i]),
                    )
                    .help(format!(
                        "加一个标题 `## {}`，下面写这一部分的内容",
                        OFFICIAL_HEADINGS[i]
                    )),
                );
            }
            Some(s) if s.markdown.trim().is_empty() => out.push(
                Diagnostic::new(
                    Rule::Sections,
                    &r.file,
                    Pos::new(s.line, 1),
                    format!("第{}部分“{}”没有内容", NUMERALS[i], s.heading),
                )
                .width(&format!("{} {}", "#".repeat(s.level as usize), s.heading))
                .help("在标题下写这一部分的内容；确实没有的，写“无”"),
            ),
            Some(_) => {}
        }
    }
}

/// The footer of a government site carries these; the page leaves out what is missing.
pub(super) fn site_identity(site: &Site, out: &mut Vec<Diagnostic>) {
    if site.config.file.is_empty() {
        return;
    }
    let c = &site.config;
    let checks = [
        (&c.owner, "owner", "主办单位", "owner: 项城市人民政府办公室"),
        (
            &c.site_code,
            "site_code",
            "政府网站标识码",
            "site_code: \"4116810001\"",
        ),
        (&c.icp, "icp", "ICP备案号", "icp: 豫ICP备12345678号"),
        (
            &c.police_record,
            "police_record",
            "公安机关备案号",
            "police_record: 豫公网安备41168102000001号",
        ),
    ];
    for (value, key, label, example) in checks {
        if value.is_none() {
            out.push(
                Diagnostic::new(
                    Rule::SiteIdentity,
                    &c.file,
                    Pos::new(1, 1),
                    format!("站点设置缺少{label}（`{key}`），页脚将不显示这一项"),
                )
                .width("---")
                .help(format!("政府网站页脚应有{label}，加一行如 `{example}`")),
            );
        }
    }
}
