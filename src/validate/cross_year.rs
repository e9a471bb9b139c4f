//! Rules across a unit's consecutive years: `carry-over` and `in-force`.

use crate::content::Report;
use crate::content::format::Format;
use crate::diagnostic::{Diagnostic, Rule};

pub(super) fn check(prev: &Report, r: &Report, out: &mut Vec<Diagnostic>) {
    carry_over(prev, r, out);
    if prev.format == Format::F2021 && r.format == Format::F2021 {
        in_force(prev, r, out);
    }
}

/// This year's 二、上年结转 equals last year's 四、结转下年度继续办理, per column; both formats
/// have these rows with the same columns, so the check crosses the 2020→2021 change too.
fn carry_over(prev: &Report, r: &Report, out: &mut Vec<Diagnostic>) {
    let (spec, pspec) = (&r.spec().applications, &prev.spec().applications);
    let Some((_, row)) = spec.row("carried_over") else {
        return;
    };
    for (c, col) in row.columns.iter().enumerate() {
        let (Some(cell), Some(last)) = (
            r.applications.cell(spec, "carried_over", c),
            prev.applications.count(pspec, "carried_forward", c),
        ) else {
            continue;
        };
        let Some(now) = cell.count() else { continue };
        if now != last {
            out.push(
                Diagnostic::new(
                    Rule::CarryOver,
                    &r.file,
                    cell.pos,
                    format!(
                        "表三 {}·{} 应为 {last}（{} 年报告的“四、结转下年度继续办理”），实为 {now}",
                        row.name, col.label, prev.year
                    ),
                )
                .width(&cell.raw())
                .expected_actual(last, now)
                .place("表三", row.name, Some(col.label))
                .help(format!(
                    "核对本年的上年结转数与 {} 的结转下年度数",
                    prev.file
                )),
            );
        }
    }
}

/// 现行有效件数(Y) = 现行有效件数(Y−1) + 本年制发件数(Y) − 本年废止件数(Y).
fn in_force(prev: &Report, r: &Report, out: &mut Vec<Diagnostic>) {
    let spec = &r.spec().active;
    for key in ["rules", "normative"] {
        let Some((_, row)) = spec.row(key) else {
            continue;
        };
        let (Some(issued), Some(repealed), Some(cell), Some(last)) = (
            r.active.count(spec, key, 0),
            r.active.count(spec, key, 1),
            r.active.cell(spec, key, 2),
            prev.active.count(&prev.spec().active, key, 2),
        ) else {
            continue;
        };
        let Some(now) = cell.count() else { continue };
        let expected = last + issued - repealed;
        if now != expected {
            out.push(
                Diagnostic::new(
                    Rule::InForce,
                    &r.file,
                    cell.pos,
                    format!(
                        "表二 {}·现行有效件数 应为 {expected}（{} 年的 {last} + 本年制发 {issued} − 本年废止 {repealed}），实为 {now}",
                        row.name, prev.year
                    ),
                )
                .width(&cell.raw())
                .expected_actual(expected, now)
                .place("表二", row.name, Some("现行有效件数"))
                .help("核对现行有效件数；若有清理、失效等原因，在正文中说明"),
            );
        }
    }
}
