//! Key figures of a report (for lists, year-over-year tables, charts and region totals), as
//! data: a label and how to read it from either format.

use crate::content::Report;
use crate::content::cell::Decimal;
use crate::content::format::Format;

pub struct KeyFigure {
    pub label: &'static str,
    /// Short label for narrow tables and charts.
    pub short: &'static str,
    read: fn(&Report) -> Option<Decimal>,
}

impl KeyFigure {
    pub fn read(&self, r: &Report) -> Option<Decimal> {
        (self.read)(r)
    }
}

fn t3(r: &Report, key: &str) -> Option<Decimal> {
    r.applications.number(&r.spec().applications, key, 6)
}

fn t4(r: &Report, key: &str) -> Option<Decimal> {
    r.appeals.number(&r.spec().appeals, key, 4)
}

/// 表二 处理决定数量: its own column in 2021, the third in 2019.
fn decisions(r: &Report, key: &str) -> Option<Decimal> {
    let col = match r.format {
        Format::F2021 => 0,
        Format::F2019 => 2,
    };
    r.active.number(&r.spec().active, key, col)
}

pub const KEY_FIGURES: &[KeyFigure] = &[
    KeyFigure {
        label: "本年新收申请（件）",
        short: "新收申请",
        read: |r| t3(r, "new"),
    },
    KeyFigure {
        label: "予以公开（件）",
        short: "予以公开",
        read: |r| t3(r, "granted"),
    },
    KeyFigure {
        label: "结转下年度（件）",
        short: "结转下年",
        read: |r| t3(r, "carried_forward"),
    },
    KeyFigure {
        label: "行政复议（件）",
        short: "行政复议",
        read: |r| t4(r, "review"),
    },
    KeyFigure {
        label: "行政诉讼（件）",
        short: "行政诉讼",
        read: |r| Some(t4(r, "litigation")?.add(t4(r, "litigation_after_review")?)),
    },
    KeyFigure {
        label: "行政许可处理决定",
        short: "行政许可",
        read: |r| decisions(r, "licensing"),
    },
    KeyFigure {
        label: "行政处罚处理决定",
        short: "行政处罚",
        read: |r| decisions(r, "punishment"),
    },
    KeyFigure {
        label: "行政事业性收费（万元）",
        short: "收费万元",
        read: |r| match r.format {
            Format::F2021 => r.active.number(&r.spec().active, "fees", 0).filter(|_| {
                // A unit written into the cell makes the amount incomparable with 万元.
                r.active
                    .cell(&r.spec().active, "fees", 0)
                    .is_some_and(|c| c.unit().is_none())
            }),
            Format::F2019 => None,
        },
    },
];

pub fn labels() -> Vec<String> {
    KEY_FIGURES.iter().map(|f| f.label.to_string()).collect()
}

pub fn show(v: Option<Decimal>) -> String {
    v.map(|d| d.to_string()).unwrap_or_else(|| "—".to_string())
}

/// All key figures of a report, formatted.
pub fn of(r: &Report) -> Vec<String> {
    KEY_FIGURES.iter().map(|f| show(f.read(r))).collect()
}

/// Change against the previous value: (`+12`, `up`), (`−3`, `down`), (`持平`, `same`).
pub fn change(now: Option<Decimal>, before: Option<Decimal>) -> (String, &'static str) {
    match (now, before) {
        (Some(n), Some(b)) => {
            let d = n.sub(b);
            match d.mantissa.signum() {
                1 => (format!("+{d}"), "up"),
                -1 => (
                    format!(
                        "−{}",
                        Decimal {
                            mantissa: -d.mantissa,
                            scale: d.scale
                        }
                    ),
                    "down",
                ),
                _ => ("持平".to_string(), "same"),
            }
        }
        _ => (String::new(), ""),
    }
}

/// Sums of the key figures over `reports` (a figure missing in one report is left out of its
/// sum; the total lists the reports it includes).
pub fn totals<'a>(reports: impl Iterator<Item = &'a Report> + Clone) -> Vec<String> {
    KEY_FIGURES
        .iter()
        .map(|f| {
            let vals: Vec<Decimal> = reports.clone().filter_map(|r| f.read(r)).collect();
            if vals.is_empty() {
                "—".to_string()
            } else {
                vals.into_iter()
                    .fold(Decimal::default(), Decimal::add)
                    .to_string()
            }
        })
        .collect()
}
