//! A generated, realistic and valid site: for the benchmark and for tests at scale.
//!
//! Dev-only: included with `#[path]` by the tests, the benchmarks and `examples/corpus.rs` (and
//! by the library's own tests), never part of the library. Reports are written through
//! [`nianbao::content::writer`], so row keys, labels and quoting are those of the format data.
//!
//! [`write_corpus`] lays out `content/` with a few 人民政府 at the top, each holding 部门, 乡镇 and
//! 街道, and one report per unit and year, in format 2019 up to 2020 and 2021 from 2021. The
//! figures satisfy every identity of report-format.md §6 (勾稽关系, carry-over and 现行有效件数
//! across years), the prose states the same figures as the tables, every report is published
//! before its deadline and 六 mentions 信息处理费. So `check` must find nothing: any finding on
//! a corpus is a false positive.
//!
//! Deterministic: a small seeded PRNG (SplitMix64), no dependency.

use std::fmt::Write as _;
use std::io;
use std::ops::RangeInclusive;
use std::path::Path;

use nianbao::content::format::{Format, TableId};
use nianbao::content::writer::{self, CellOut, Draft, Figures};
use nianbao::content::{Date, UnitKind};

/// SplitMix64: tiny, fast, and good enough to vary prose and figures.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: i64) -> i64 {
        if n <= 0 {
            0
        } else {
            (self.next() % n as u64) as i64
        }
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below(hi - lo + 1)
    }

    fn chance(&mut self, percent: i64) -> bool {
        self.below(100) < percent
    }
}

struct UnitSpec {
    id: String,
    name: String,
    short_name: String,
    kind: UnitKind,
    /// How many applications a year, roughly: a city government gets hundreds, a 街道 a few.
    scale: i64,
}

const CITY_NAMES: &[&str] = &[
    "清河", "东山", "临川", "安平", "宁远", "长乐", "永和", "新丰", "平湖", "广元", "丰城", "泰和",
    "云溪", "白沙", "龙泉", "太平", "兴安", "南阳", "北塘", "西岭",
];
const DEPARTMENTS: &[&str] = &[
    "发展和改革委员会",
    "教育局",
    "科学技术局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化广电和旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "城市管理局",
];
const PLACE_PARTS: &[&str] = &[
    "城关", "河东", "河西", "新华", "和平", "人民", "建设", "解放", "青山", "石桥", "柳林", "杏花",
    "高新", "滨河", "金山", "红旗", "胜利", "朝阳", "花园", "光明", "东风", "南湖", "北关", "西城",
];

/// The units: `units` in all, a top 人民政府 for every 20, the rest spread below them.
fn plan_units(units: usize) -> Vec<UnitSpec> {
    let units = units.max(1);
    let tops = units.div_ceil(20);
    let mut out = Vec::with_capacity(units);
    for t in 0..tops {
        let city = format!(
            "{}{}",
            CITY_NAMES[t % CITY_NAMES.len()],
            if t >= CITY_NAMES.len() {
                format!("{}", t / CITY_NAMES.len() + 1)
            } else {
                String::new()
            }
        );
        out.push(UnitSpec {
            id: format!("gov{t:03}"),
            name: format!("{city}市人民政府"),
            short_name: format!("{city}市"),
            kind: UnitKind::Government,
            scale: 300,
        });
    }
    for i in tops..units {
        let t = i % tops;
        let n = i / tops;
        let city = out[t].short_name.clone();
        let (kind, id, name, short_name, scale) = match n % 3 {
            0 | 1 if n % 5 != 4 => {
                let d = DEPARTMENTS[(n + t) % DEPARTMENTS.len()];
                (
                    UnitKind::Department,
                    format!("gov{t:03}/dept{n:03}"),
                    format!("{city}{d}"),
                    d.to_string(),
                    30,
                )
            }
            2 => {
                let p = PLACE_PARTS[(n * 7 + t) % PLACE_PARTS.len()];
                (
                    UnitKind::Township,
                    format!("gov{t:03}/town{n:03}"),
                    format!("{city}{p}镇人民政府"),
                    format!("{p}镇"),
                    6,
                )
            }
            _ => {
                let p = PLACE_PARTS[(n * 5 + t + 3) % PLACE_PARTS.len()];
                (
                    UnitKind::Subdistrict,
                    format!("gov{t:03}/street{n:03}"),
                    format!("{city}人民政府{p}街道办事处"),
                    format!("{p}街道"),
                    6,
                )
            }
        };
        out.push(UnitSpec {
            id,
            name,
            short_name,
            kind,
            scale,
        });
    }
    out
}

/// The seven 申请人 columns: six kinds of applicant, then 总计.
type Row7 = [i64; 7];

fn with_total(mut r: Row7) -> Row7 {
    r[6] = r[..6].iter().sum();
    r
}

/// Whole numbers as the cells of a row.
fn cells(r: &[i64]) -> Vec<CellOut> {
    r.iter().map(|n| CellOut::Number(n.to_string())).collect()
}

/// Sets a row of the report's figures; the key must be one of the format's.
fn set(figures: &mut Figures, id: TableId, key: &str, row: Vec<CellOut>) {
    assert!(
        figures.set(id, key, row),
        "{key} is not a row of {:?} in format {}",
        id,
        figures.format.id()
    );
}

/// What a unit carries from one year to the next.
#[derive(Default)]
struct Carry {
    /// 四、结转下年度继续办理 of last year.
    forward: Row7,
    /// 现行有效件数 of 规章 and 行政规范性文件.
    in_force: [i64; 2],
    /// 2019 format: 上一年项目数量 of 行政许可, 其他对外管理服务事项, 行政处罚, 行政强制, 行政事业性收费.
    items: [i64; 5],
}

/// Relative frequency of each of 表三's outcome rows common to both formats, in the format's
/// row order from 予以公开 to 要求确认 (予以公开 and 不掌握 dominate); the rows of （六） follow.
const OUTCOME_WEIGHTS: &[i64] = &[40, 12, 1, 2, 1, 3, 2, 3, 1, 3, 20, 3, 2, 3, 2, 0, 1, 1];

struct Requests {
    new: Row7,
    carried_over: Row7,
    /// 表三's rows from 予以公开 to the last of （六）, in the format's order.
    outcomes: Vec<Row7>,
    total: Row7,
    carried_forward: Row7,
    appeals: [[i64; 5]; 3],
}

fn applications(
    rng: &mut Rng,
    unit: &UnitSpec,
    carried_over: Row7,
    outcome_rows: usize,
) -> Requests {
    let s = unit.scale;
    let mut new = [0; 7];
    // Some 部门, 乡镇 and 街道 receive no application all year.
    let none_received = unit.kind != UnitKind::Government && rng.chance(15);
    if !none_received {
        new[0] = rng.range(s / 3, s * 4 / 3);
        new[1] = rng.below(s / 8 + 2);
        new[2] = if rng.chance(10) { 1 } else { 0 };
        new[3] = if rng.chance(10) { rng.range(1, 2) } else { 0 };
        new[4] = rng.below(s / 30 + 2);
        new[5] = rng.below(s / 50 + 2);
    }
    let new = with_total(new);
    let mut forward = [0; 7];
    let mut total = [0; 7];
    let mut weights: Vec<i64> = OUTCOME_WEIGHTS.to_vec();
    weights.extend(std::iter::repeat_n(2, outcome_rows - OUTCOME_WEIGHTS.len()));
    let mut outcomes = vec![[0i64; 7]; weights.len()];
    for c in 0..6 {
        let available = new[c] + carried_over[c];
        forward[c] = if available > 0 && rng.chance(30) {
            rng.below(available / 10 + 2).min(available)
        } else {
            0
        };
        total[c] = available - forward[c];
        // Share the column's 总计 among the outcome rows; 予以公开 (row 0) takes the rest.
        let mut left = total[c];
        let wsum: i64 = weights.iter().sum();
        for (i, w) in weights.iter().enumerate().skip(1) {
            if left == 0 {
                break;
            }
            let share = total[c] * w / wsum;
            let x = rng.below(share * 2 + 1).min(left);
            outcomes[i][c] = x;
            left -= x;
        }
        outcomes[0][c] = left;
    }
    let outcomes = outcomes.into_iter().map(with_total).collect();
    let appeal = |rng: &mut Rng, scale: i64| -> [i64; 5] {
        if rng.chance(60) {
            return [0; 5];
        }
        let r = [
            rng.below(scale + 1),
            rng.below(scale / 2 + 1),
            rng.below(scale / 2 + 1),
            rng.below(scale / 3 + 1),
        ];
        [r[0], r[1], r[2], r[3], r.iter().sum()]
    };
    let big = if unit.kind == UnitKind::Government {
        s / 10
    } else {
        2
    };
    let appeals = [
        appeal(rng, big),
        appeal(rng, big / 2 + 1),
        appeal(rng, big / 3 + 1),
    ];
    Requests {
        new,
        carried_over,
        outcomes,
        total: with_total(total),
        carried_forward: with_total(forward),
        appeals,
    }
}

/// A decimal with two places, as written in reports: `1234.56`, sometimes `7000.00` or `15`.
fn amount(rng: &mut Rng, max_whole: i64) -> String {
    let whole = rng.below(max_whole + 1);
    match rng.below(3) {
        0 => whole.to_string(),
        1 => format!("{whole}.{}", rng.below(10)),
        _ => format!("{whole}.{:02}", rng.below(100)),
    }
}

fn active_2021(figures: &mut Figures, rng: &mut Rng, unit: &UnitSpec, carry: &mut Carry) {
    for (i, key) in ["rules", "normative"].into_iter().enumerate() {
        let issued = if unit.kind == UnitKind::Government || i == 1 {
            rng.below(6)
        } else {
            0
        };
        let repealed = rng.below(carry.in_force[i].min(3) + 1);
        carry.in_force[i] += issued - repealed;
        set(
            figures,
            TableId::Active,
            key,
            cells(&[issued, repealed, carry.in_force[i]]),
        );
    }
    let s = unit.scale;
    let licensing = rng.below(s * 30 + 1).to_string();
    let licensing = if rng.chance(10) {
        CellOut::Noted {
            value: licensing,
            note: "含变更、延续".into(),
        }
    } else {
        CellOut::Number(licensing)
    };
    set(figures, TableId::Active, "licensing", vec![licensing]);
    set(
        figures,
        TableId::Active,
        "punishment",
        cells(&[rng.below(s * 10 + 1)]),
    );
    set(
        figures,
        TableId::Active,
        "coercion",
        cells(&[rng.below(s + 1)]),
    );
    let fees = CellOut::Number(amount(rng, s * 20));
    set(figures, TableId::Active, "fees", vec![fees]);
}

fn active_2019(figures: &mut Figures, rng: &mut Rng, unit: &UnitSpec, carry: &mut Carry) {
    for (i, key) in ["rules", "normative"].into_iter().enumerate() {
        let made = if unit.kind == UnitKind::Government || i == 1 {
            rng.below(6)
        } else {
            0
        };
        carry.in_force[i] += made;
        set(
            figures,
            TableId::Active,
            key,
            cells(&[made, made, carry.in_force[i]]),
        );
    }
    let s = unit.scale;
    for (i, key) in ["licensing", "other_services", "punishment", "coercion"]
        .into_iter()
        .enumerate()
    {
        let prev = carry.items[i];
        let delta = rng.range(-prev.min(5), 5);
        carry.items[i] = prev + delta;
        let decisions = rng.below(s * 10 + 1);
        set(
            figures,
            TableId::Active,
            key,
            cells(&[prev, delta, decisions]),
        );
    }
    let prev = carry.items[4];
    let delta = rng.range(-prev.min(2), 2);
    carry.items[4] = prev + delta;
    set(figures, TableId::Active, "fees", cells(&[prev, delta]));
    let procurement = if rng.chance(20) {
        let count = rng.below(20);
        vec![
            CellOut::Number(count.to_string()),
            CellOut::WithUnit {
                value: amount(rng, 900_000),
                unit: "元".into(),
            },
        ]
    } else {
        let count = rng.below(20);
        vec![
            CellOut::Number(count.to_string()),
            CellOut::Number(amount(rng, 900)),
        ]
    };
    set(figures, TableId::Active, "procurement", procurement);
}

/// 表三 and 表四: the rows between 二、上年结转 and 四、结转 are the outcomes, in order.
fn requests(figures: &mut Figures, f: &Requests) {
    let spec = figures.format.spec();
    set(figures, TableId::Applications, "new", cells(&f.new));
    set(
        figures,
        TableId::Applications,
        "carried_over",
        cells(&f.carried_over),
    );
    let outcome_keys = outcome_keys(figures.format);
    assert_eq!(outcome_keys.len(), f.outcomes.len());
    for (key, row) in outcome_keys.iter().zip(&f.outcomes) {
        set(figures, TableId::Applications, key, cells(row));
    }
    set(figures, TableId::Applications, "total", cells(&f.total));
    set(
        figures,
        TableId::Applications,
        "carried_forward",
        cells(&f.carried_forward),
    );
    for (row, r) in spec.appeals.rows.iter().zip(&f.appeals) {
        set(figures, TableId::Appeals, row.key, cells(r));
    }
}

/// The keys of 表三's outcome rows: every row between 二、上年结转 and （七）总计.
fn outcome_keys(format: Format) -> Vec<&'static str> {
    format
        .spec()
        .applications
        .rows
        .iter()
        .map(|r| r.key)
        .skip_while(|k| *k != "carried_over")
        .skip(1)
        .take_while(|k| *k != "total")
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Prose. No sentence of these banks states a count of applications or appeals: those come only
// from the figures, so the narrative rule has the tables to agree with.

const ACTIVE: &[&str] = &[
    "围绕重大决策部署、重点领域改革和民生热点，及时公开政策文件、规划计划和工作动态。",
    "坚持“以公开为常态、不公开为例外”，严格落实公开属性源头认定，做到应公开尽公开。",
    "聚焦财政预决算、重大建设项目、公共资源配置等重点领域，持续深化信息公开。",
    "对涉及群众切身利益的政策文件，同步开展政策解读，采用图文、问答等形式增强可读性。",
    "加强政府常务会议、重要会议信息发布，主动回应社会关切，及时澄清不实信息。",
    "规范行政规范性文件公开，实行统一登记、统一编号、统一发布。",
    "做好行政许可、行政处罚等执法信息的公示工作，公示内容做到要素完整、表述规范。",
    "依托政府门户网站“法定主动公开内容”专栏，逐项对照清单开展自查。",
    "推进基层政务公开标准化规范化，完善公开事项目录并动态调整。",
    "加大惠民惠农财政补贴资金、就业创业、社会保障等民生信息公开力度，方便群众查询。",
    "及时发布突发事件应对、公共卫生等领域信息，保障群众的知情权和参与权。",
    "在重大行政决策作出前，通过网站向社会公开征求意见，并反馈意见采纳情况。",
    "围绕乡村振兴、营商环境、社会救助等主题，持续开展专题信息发布。",
];
const REQUESTS: &[&str] = &[
    "进一步规范依申请公开办理流程，严格执行登记、审核、办理、答复、归档各环节要求。",
    "坚持依法依规答复，做到答复内容准确、告知事项完整、救济途径明确。",
    "加强与申请人的沟通，准确了解申请诉求，提高答复的针对性和实效性。",
    "对疑难复杂申请实行会商研判，必要时征求法律顾问意见，防范法律风险。",
    "建立依申请公开转主动公开机制，对申请较为集中的信息及时主动公开。",
    "畅通网络、信函、当面等申请渠道，在政府网站公布受理机构的地址、电话和邮编。",
    "加强对下级单位依申请公开工作的业务指导，统一答复文书格式和用语。",
];
const MANAGEMENT: &[&str] = &[
    "严格执行信息发布审核制度，落实“三审三校”要求，确保发布信息准确规范。",
    "开展政府信息公开保密审查，坚持“先审查、后公开”和“一事一审”原则。",
    "对现行有效的规范性文件进行全面清理，清理结果及时向社会公布。",
    "加强政府信息管理动态调整，定期评估不予公开信息，可以公开的及时公开。",
    "健全政务信息制作、公开、存档等制度，推动政府信息管理规范化。",
    "持续更新政府信息公开指南和公开目录，方便公众了解公开方式和途径。",
    "对已公开的政府信息开展集中核查，发现表述不规范、链接失效等问题及时纠正。",
];
const PLATFORMS: &[&str] = &[
    "持续优化政府门户网站栏目设置，完善站内检索功能，提升信息查找的便捷性。",
    "加强政务新媒体管理，落实内容审核和日常巡查制度，确保内容安全。",
    "发挥政务服务便民热线作用，畅通群众咨询、意见建议渠道。",
    "规范政府公报编印发行，做好电子公报与纸质公报同步发布。",
    "在政务服务大厅设置政府信息公开查阅点，方便群众就近查阅。",
    "推进政府网站集约化建设，统一信息资源库，实现信息一次发布、多端同步。",
    "做好网站适老化和无障碍改造，方便老年人和残障人士获取政府信息。",
];
const OVERSIGHT: &[&str] = &[
    "将政务公开工作纳入年度绩效考核，压实各责任单位的工作责任。",
    "定期组织业务培训，提升工作人员的政策理解和业务能力。",
    "主动接受社会监督，认真听取人大代表、政协委员和群众的意见建议。",
    "建立工作台账，实行清单化管理，对发现的问题及时督促整改。",
    "成立政务公开工作领导小组，主要负责同志定期听取工作汇报，研究解决重点问题。",
    "开展政府网站和政务新媒体季度检查，检查结果在一定范围内通报。",
];
const PROBLEMS: &[&str] = &[
    "政策解读的形式还不够丰富，解读的深度和针对性有待加强。",
    "基层政务公开工作力量相对薄弱，人员变动较为频繁，业务水平有待提升。",
    "部分栏目信息更新不够及时，与群众期待仍有一定差距。",
    "依申请公开办理的规范化水平还需进一步提高。",
    "政务公开与政务服务的融合还不够紧密，公开信息的可用性有待提升。",
    "互动回应的及时性不足，对群众关切的回应还不够充分。",
    "重点领域信息公开的全面性、规范性还有欠缺，部分信息公开不够细化。",
    "政务新媒体的运营维护能力不强，内容原创性和吸引力不足。",
];
const MEASURES: &[&str] = &[
    "加强业务培训和工作指导，着力提升工作人员的业务素质。",
    "丰富政策解读形式，推出更多图解、视频和问答式解读。",
    "完善栏目内容保障机制，明确更新责任和时限要求。",
    "健全依申请公开办理工作机制，加强答复文书的合法性审查。",
    "深化基层政务公开标准化规范化建设，推动公开向基层延伸。",
    "强化考核监督，将发现的问题纳入督办事项，跟踪整改到位。",
    "聚焦群众关切，及时准确发布权威信息，提升回应的针对性。",
    "加强政务新媒体内容建设，提升信息发布的质量和传播效果。",
];

/// Between `min` and `max` consecutive sentences of `bank`, from a random one on.
fn sentences(out: &mut String, rng: &mut Rng, bank: &[&str], min: usize, max: usize) {
    let n = min + rng.below((max - min) as i64 + 1) as usize;
    let start = rng.below(bank.len() as i64) as usize;
    for i in 0..n.min(bank.len()) {
        out.push_str(bank[(start + i) % bank.len()]);
    }
}

fn body(out: &mut String, rng: &mut Rng, unit: &UnitSpec, year: i32, f: &Requests) {
    let _ = writeln!(
        out,
        "本报告由{}根据《中华人民共和国政府信息公开条例》（以下简称《条例》）编制。报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。如对本报告有疑问，请与{}联系。\n",
        unit.name, unit.name
    );
    out.push_str("## 一、总体情况\n\n");
    let _ = write!(out, "{year}年，{}", unit.short_name);
    sentences(
        out,
        rng,
        &[
            "坚持以习近平新时代中国特色社会主义思想为指导，",
            "认真贯彻落实《条例》和上级关于政务公开工作的部署，",
        ],
        2,
        2,
    );
    out.push_str("扎实推进政务公开各项工作。\n\n### （一）主动公开\n\n");
    let _ = write!(
        out,
        "全年通过政府网站主动公开政府信息{}条。",
        rng.range(50, unit.scale * 20 + 100)
    );
    sentences(out, rng, ACTIVE, 5, 7);
    out.push_str("\n\n### （二）依申请公开\n\n");
    let new = f.new[6];
    let carried = f.carried_over[6];
    if new == 0 {
        out.push_str("本年度未收到政府信息公开申请。");
    } else if carried > 0 && rng.chance(50) {
        let _ = write!(
            out,
            "全年共受理政府信息公开申请{}件（含上年结转{carried}件），均在法定期限内答复。",
            new + carried
        );
    } else {
        let _ = write!(
            out,
            "全年共收到政府信息公开申请{new}件，均在法定期限内答复。"
        );
    }
    let review = f.appeals[0][4];
    let litigation = f.appeals[1][4] + f.appeals[2][4];
    if review == 0 && litigation == 0 {
        out.push_str("未发生因政府信息公开引起的行政复议、行政诉讼。");
    } else {
        let _ = write!(
            out,
            "因政府信息公开引起行政复议{review}件、行政诉讼{litigation}件。"
        );
    }
    sentences(out, rng, REQUESTS, 3, 5);
    out.push_str("\n\n### （三）政府信息管理\n\n");
    sentences(out, rng, MANAGEMENT, 3, 5);
    out.push_str("\n\n### （四）政府信息公开平台建设\n\n");
    sentences(out, rng, PLATFORMS, 3, 5);
    out.push_str("\n\n### （五）监督保障\n\n");
    sentences(out, rng, OVERSIGHT, 3, 4);
    out.push_str("\n\n## 二、主动公开政府信息情况\n\n## 三、收到和处理政府信息公开申请情况\n\n## 四、政府信息公开行政复议、行政诉讼情况\n\n");
    out.push_str(if rng.chance(50) {
        "## 五、存在的主要问题及改进情况\n\n"
    } else {
        "## 五、政府信息公开工作存在的主要问题及改进情况\n\n"
    });
    out.push_str("### （一）存在的主要问题\n\n");
    let first = rng.below(PROBLEMS.len() as i64) as usize;
    for (i, numeral) in ["一", "二", "三"].into_iter().enumerate() {
        let _ = write!(
            out,
            "{numeral}是{}",
            PROBLEMS[(first + i * 2) % PROBLEMS.len()]
        );
    }
    out.push_str("\n\n### （二）改进措施\n\n下一步，");
    sentences(out, rng, MEASURES, 4, 5);
    out.push_str("\n\n## 六、其他需要报告的事项\n\n");
    if rng.chance(20) {
        out.push_str("依据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费。");
    } else {
        out.push_str("本年度未收取信息处理费。");
    }
    sentences(
        out,
        rng,
        &[
            "无其他需要报告的事项。",
            "本机关将持续做好政务公开各项工作。",
        ],
        1,
        1,
    );
    out.push('\n');
}

fn report(unit: &UnitSpec, year: i32, rng: &mut Rng, carry: &mut Carry) -> String {
    let format = Format::default_for_year(year);
    // Kept from when `format:` was written only sometimes, so the figures stay as they were.
    let _ = rng.chance(70);
    // Before 31 January, the earlier of the two deadlines.
    let published = Date {
        year: year + 1,
        month: 1,
        day: rng.range(6, 30) as u32,
    };
    let mut figures = Figures::zeros(format);
    if format == Format::F2021 {
        active_2021(&mut figures, rng, unit, carry);
    } else {
        active_2019(&mut figures, rng, unit, carry);
    }
    let f = applications(rng, unit, carry.forward, outcome_keys(format).len());
    requests(&mut figures, &f);
    carry.forward = f.carried_forward;
    let mut text = String::with_capacity(4_000);
    body(&mut text, rng, unit, year, &f);
    writer::render(&Draft {
        year,
        format,
        published: Some(published),
        title: None,
        figures: &figures,
        body: text,
        skeleton: false,
    })
}

const SITE: &str = "---
title: 示例省政府信息公开工作年度报告（生成的测试数据）
base_url: https://example.org/nianbao/
owner: 示例省人民政府办公厅
operator: 示例省大数据中心
site_code: \"9900000001\"
icp: 示ICP备00000001号
police_record: 示公网安备00000000000001号
contact:
  - 地址：示例市人民路1号
  - 电话：0000-00000000
---
本站的单位、报告和数字均为程序生成的测试数据。
";

/// Writes a valid site of `units` units with one report per unit and year into `root`
/// (`root/content/…`), and returns the number of reports written.
pub fn write_corpus(root: &Path, units: usize, years: RangeInclusive<i32>) -> io::Result<usize> {
    let content = root.join("content");
    std::fs::create_dir_all(&content)?;
    std::fs::write(content.join("_index.md"), SITE)?;
    let mut written = 0;
    for (i, unit) in plan_units(units).iter().enumerate() {
        let dir = content.join(&unit.id);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join("_index.md"),
            format!(
                "---\nname: {}\nshort_name: {}\nkind: {}\norder: {}\n---\n{}的政府信息公开工作年度报告。\n",
                writer::yaml_scalar(&unit.name),
                writer::yaml_scalar(&unit.short_name),
                unit.kind.label(),
                i + 1,
                unit.name
            ),
        )?;
        let mut rng = Rng::new(i as u64 + 1);
        let mut carry = Carry {
            forward: with_total([rng.below(3), 0, 0, 0, 0, 0, 0]),
            in_force: [rng.below(20), rng.below(80) + 5],
            items: [
                rng.below(60),
                rng.below(20),
                rng.below(300),
                rng.below(30),
                rng.below(10),
            ],
        };
        for year in years.clone() {
            std::fs::write(
                dir.join(format!("{year}.md")),
                report(unit, year, &mut rng, &mut carry),
            )?;
            written += 1;
        }
    }
    Ok(written)
}
