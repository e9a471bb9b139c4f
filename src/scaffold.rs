//! Skeletons for `nianbao new` and `nianbao init`, generated from the format data in
//! [`crate::content::format`]: every row present with zeros, every row and column named in a
//! Chinese comment, the six section headings with a hint of what each should say. No I/O.

use crate::content::Report;
use crate::content::body::OFFICIAL_HEADINGS;
use crate::content::cell::CellValue;
use crate::content::format::{Format, TableId};
use crate::content::schema;
use crate::content::writer::{self, CellOut, Draft, Figures};

/// What each section should contain, as an HTML comment (not shown on the page).
fn hint(n: usize, format: Format) -> &'static str {
    match (n, format) {
        (0, _) => {
            "总体情况：概述本年度政府信息公开工作，可分（一）主动公开、（二）依申请公开、（三）政府信息管理、（四）政府信息公开平台建设、（五）监督保障等方面，用具体数字说明。"
        }
        (1, _) => {
            "主动公开政府信息情况：表格由前置元数据 `active` 生成，放在本标题下；这里可写简短说明，也可只留本标题。"
        }
        (2, _) => {
            "收到和处理政府信息公开申请情况：表格由 `applications` 生成；正文中提到的申请件数要与表格一致。"
        }
        (3, _) => {
            "政府信息公开行政复议、行政诉讼情况：表格由 `appeals` 生成；正文中提到的复议、诉讼件数要与表格一致。"
        }
        (4, _) => "存在的主要问题及改进情况：写明本年度工作中存在的主要问题和下一步的改进措施。",
        (5, Format::F2021) => {
            "其他需要报告的事项：写明本年度收取信息处理费的情况（国办函〔2020〕109号），如“本年度未收取信息处理费”；没有其他事项的写“无”。"
        }
        (5, _) => "其他需要报告的事项：没有的写“无”。",
        _ => "",
    }
}

/// The Markdown body of a skeleton: a preamble hint and the six official headings with hints.
pub fn body(format: Format) -> String {
    let mut s = String::from(
        "<!-- 前言（可选）：报告的编制依据、统计期限（1 月 1 日至 12 月 31 日）和联系方式。填写正文时删去这类提示。 -->\n",
    );
    for (i, h) in OFFICIAL_HEADINGS.iter().enumerate() {
        s.push_str(&format!("\n## {h}\n\n<!-- {} -->\n", hint(i, format)));
    }
    s
}

fn cell_out(cell: &crate::content::cell::Cell) -> CellOut {
    match cell.value() {
        CellValue::Number { text, .. } => CellOut::Number(text.into_owned()),
        CellValue::Blank => CellOut::Blank,
        CellValue::NotApplicable("-") => CellOut::NotApplicable("-"),
        CellValue::NotApplicable(_) => CellOut::NotApplicable("/"),
    }
}

/// A report skeleton for `year` in `unit` (its folder below `content/`). With last year's report,
/// 二、上年结转 is its 四、结转下年度继续办理 and (format 2021 both years) 现行有效件数 carries over
/// as well. The front matter starts with the line that points an editor at the site's schema
/// file, for completion and checks while typing.
pub fn report(year: i32, prev: Option<&Report>, unit: &str) -> String {
    let format = Format::default_for_year(year);
    let spec = format.spec();
    let mut figures = Figures::zeros(format);
    if let Some(prev) = prev {
        let pspec = prev.spec();
        if let Some((i, _)) = spec.applications.row("carried_over")
            && let Some((j, _)) = pspec.applications.row("carried_forward")
            && let Some(Some(row)) = prev.applications.rows.get(j)
        {
            figures.applications[i] = Some(row.cells.iter().map(cell_out).collect());
            figures.notes.push((
                TableId::Applications,
                "carried_over".into(),
                format!("取自 {} 年报告的“四、结转下年度继续办理”", prev.year),
            ));
        }
        if format == Format::F2021 && prev.format == Format::F2021 {
            for key in ["rules", "normative"] {
                if let (Some((i, _)), Some(Some(row))) = (
                    spec.active.row(key),
                    pspec
                        .active
                        .row(key)
                        .map(|(j, _)| prev.active.rows[j].as_ref()),
                ) && let (Some(cells), Some(last)) =
                    (figures.active[i].as_mut(), row.cells.get(2))
                {
                    cells[2] = cell_out(last);
                    figures.notes.push((
                        TableId::Active,
                        key.into(),
                        format!("现行有效件数取自 {} 年报告", prev.year),
                    ));
                }
            }
        }
    }
    let text = writer::render(&Draft {
        year,
        format,
        published: None,
        title: None,
        figures: &figures,
        body: body(format),
        skeleton: true,
    });
    let modeline = schema::modeline(&schema::relative_path(unit));
    match text.strip_prefix("---\n") {
        Some(rest) => format!("---\n{modeline}\n{rest}"),
        None => text,
    }
}

/// `content/_index.md` of a new site: `title` set, every other key commented with its meaning.
pub fn site_index(title: &str) -> String {
    format!(
        "---\n\
title: {}   # 网站栏目标题（必填）\n\
# base_url: https://www.example.gov.cn/zwgk/zfxxgknb/   # 发布地址：只用于 sitemap、订阅和规范链接，站内链接都是相对的\n\
# owner: 某某县人民政府办公室                # 主办单位（页脚；缺少时 check 警告 site-identity）\n\
# operator: 某某县大数据中心                  # 承办单位（页脚）\n\
# site_code: \"0000000000\"                   # 政府网站标识码（页脚；缺少时 check 警告 site-identity）\n\
# icp: 某ICP备00000000号                      # ICP备案号（页脚；缺少时 check 警告 site-identity）\n\
# police_record: 某公网安备00000000000000号   # 公安机关备案号（页脚；缺少时 check 警告 site-identity）\n\
# contact:                                   # 联系方式（页脚），每行一项\n\
#   - 地址：某某县某某路 1 号\n\
#   - 电话：0000-00000000\n\
# theme: default                             # 主题：themes/ 下的文件夹名\n\
# column: 政府信息公开年报                    # 栏目名称（ColumnName 元标签）\n\
# fragments: true                            # 另为每份报告生成 fragment.html（粘贴到内容管理系统的正文和表格）；单份也可用 nianbao fragment 单位 年度 打印\n\
---\n\
这里写栏目首页的简介（Markdown），如本栏目收录哪些单位的年度报告。\n",
        writer::yaml_scalar(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse;

    #[test]
    fn skeletons_parse_and_name_every_row_and_column() {
        for year in [2020, 2024] {
            let text = report(year, None, "a/b");
            assert!(
                text.starts_with(
                    "---\n# yaml-language-server: $schema=../../../report.schema.json\n"
                )
            );
            let (r, diags) = parse::report("x.md", "u", year, &text);
            assert!(diags.is_empty(), "{diags:?}");
            let r = r.unwrap();
            assert!(r.published.is_none());
            assert!(r.draft, "a skeleton is a draft until a person publishes it");
            assert_eq!(r.body.sections.len(), 6);
            assert!(r.body.sections.iter().all(|s| !s.markdown.is_empty()));
            for id in TableId::ALL {
                for row in r.spec().table(id).rows {
                    assert!(text.contains(row.label), "{}", row.label);
                    for c in row.columns {
                        assert!(text.contains(c.label), "{}", c.label);
                    }
                }
            }
        }
    }

    #[test]
    fn carried_over_comes_from_last_years_carried_forward() {
        let prev_text = report(2023, None, "u").replace(
            "carried_forward:  [0, 0, 0, 0, 0, 0, 0]",
            "carried_forward:  [5, 1, 0, 0, 0, 0, 6]",
        );
        let prev_text = prev_text.replace("rules:      [0, 0, 0]", "rules:      [1, 0, 11]");
        let (prev, d) = parse::report("p.md", "u", 2023, &prev_text);
        assert!(d.is_empty());
        let text = report(2024, prev.as_ref(), "u");
        let (r, _) = parse::report("x.md", "u", 2024, &text);
        let r = r.unwrap();
        let t3 = &r.spec().applications;
        assert_eq!(
            (0..7)
                .map(|c| r.applications.count(t3, "carried_over", c).unwrap())
                .collect::<Vec<_>>(),
            [5, 1, 0, 0, 0, 0, 6]
        );
        assert_eq!(r.active.count(&r.spec().active, "rules", 2), Some(11));
        assert!(text.contains("取自 2023 年报告"));
    }

    #[test]
    fn site_index_parses_with_title_only() {
        let (cfg, diags) = parse::site(
            "content/_index.md",
            &site_index("某某县政府信息公开工作年度报告"),
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(cfg.title, "某某县政府信息公开工作年度报告");
        assert!(cfg.owner.is_none());
    }
}
