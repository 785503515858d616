//! A statute-like corpus for the search relevance benchmark (issue 12):
//! a zhiku site that looks like a real collection of rules — long
//! regulations with 编/章/节 headings and tens to hundreds of articles
//! (第N条, mostly Chinese numerals, some Arabic, some inserted 第N条之一),
//! interpretations (解释, 答复) citing articles with `[[标题#第十条]]`, and
//! case pages with `organisation`, `problems` and `related`.
//!
//! Two kinds of page:
//!
//! 1. *Planted* documents, hand-written under `statutes/` (one Markdown
//!    template each), are the known right answers of
//!    `tests/search/relevance.json`. A template is Markdown with three
//!    extra line forms: `@N text` (article N, which must be the next
//!    number), `@N之一 text` (an inserted article after N) and
//!    `@fill-to N` (generated articles up to N); `@@arabic`,
//!    `@@traditional` and `@@topic 词` set how the document is written.
//! 2. *Filler*: generated regulations, interpretations and cases, built
//!    from the vocabulary below with a seeded splitmix64 stream per page.
//!    The filler never uses the words in [`FILLER_AVOIDS`], so it cannot
//!    become a second right answer to a relevance query that a person
//!    would not accept.
//!
//! All text is invented for this project; nothing is quoted from a real
//! regulation. The output is a pure function of `(pages, seed)`.

use std::fmt::Write as _;
use std::path::Path;

#[path = "rng.rs"]
mod rng;
use rng::{Rng, mix64};

/// The planted documents: content path, then the template.
const PLANTED: &[(&str, &str)] = &[
    (
        "regulations/shili-dangzhang.md",
        include_str!("statutes/dangzhang.md"),
    ),
    (
        "regulations/zhibu-gongzuo-tiaoli.md",
        include_str!("statutes/zhibu-tiaoli.md"),
    ),
    (
        "regulations/sanhui-yike-banfa.md",
        include_str!("statutes/huiyi-zhidu.md"),
    ),
    (
        "regulations/dangfei-guanli.md",
        include_str!("statutes/dangfei.md"),
    ),
    (
        "regulations/fazhan-dangyuan-xize.md",
        include_str!("statutes/fazhan-xize.md"),
    ),
    (
        "regulations/jijian-guize.md",
        include_str!("statutes/jijian-guize.md"),
    ),
    (
        "regulations/zhengxie-dangzu.md",
        include_str!("statutes/zhengxie-dangzu.md"),
    ),
    (
        "regulations/cun-liangwei.md",
        include_str!("statutes/cun-liangwei.md"),
    ),
    (
        "regulations/zuzhi-guanxi.md",
        include_str!("statutes/zuzhi-guanxi.md"),
    ),
    (
        "regulations/jiaoyu-guanli.md",
        include_str!("statutes/jiaoyu-guanli.md"),
    ),
    (
        "interpretations/jieshi-zhibu-tiaoli.md",
        include_str!("statutes/jieshi-zhibu-tiaoli.md"),
    ),
    (
        "interpretations/dafu-dangfei.md",
        include_str!("statutes/dafu-dangfei.md"),
    ),
    (
        "interpretations/dafu-zuzhi-guanxi.md",
        include_str!("statutes/dafu-zuzhi-guanxi.md"),
    ),
    (
        "cases/anli-huiyi-jilu.md",
        include_str!("statutes/anli-huiyi-jilu.md"),
    ),
    (
        "cases/anli-liudong-dangyuan.md",
        include_str!("statutes/anli-liudong-dangyuan.md"),
    ),
];

/// Words and characters the relevance queries are about: only the planted
/// documents may contain them (checked by the testsuite on generated text).
pub(crate) const FILLER_AVOIDS: &[&str] = &[
    "候选",
    "候選",
    "换届",
    "換屆",
    "罢",
    "罷",
    "旗",
    "徽",
    "誓",
    "廉",
    "纪委",
    "紀委",
    "纪律检查",
    "紀律檢查",
    "政协",
    "政協",
    "政治协商",
    "政治協商",
    "两委",
    "兩委",
    "村民委员会",
    "村民委員會",
    "交叉任职",
    "入党",
    "入黨",
    "党费",
    "黨費",
    "交纳",
    "交納",
    "APP",
    "PPT",
    "QQ",
    "96180",
    "3000",
    "支部委员会",
    "支部委員會",
    "支委",
    "预备",
    "預備",
    "党章",
    "黨章",
    "三会一课",
    "三會一課",
    "东街",
    "東街",
    "南湾",
    "南灣",
    "自治区",
    "自治區",
    "流动党员",
    "流動黨員",
    "组织关系",
    "組織關係",
    "介绍信",
    "介紹信",
    "软弱涣散",
    "軟弱渙散",
    "学时",
    "學時",
    "脱党",
    "脫黨",
    "党课",
    "黨課",
    "党员大会",
    "黨員大會",
    "每月",
    "差额",
    "差額",
    "发展对象",
    "發展對象",
    "政治审查",
    "政治審查",
    "会议记录",
    "會議記錄",
    "党小组会",
    "黨小組會",
    "任期",
    "申请",
    "申請",
    "补写",
    "補寫",
    "失联",
    "失聯",
    "组织部门",
    "組織部門",
    "打工",
    "每半年",
    "宣誓",
    "党员教育管理",
    "黨員教育管理",
    "发展党员",
    "發展黨員",
];

/// A generated site: files relative to its root, and counts.
pub(crate) struct Corpus {
    pub(crate) files: Vec<(String, String)>,
    pub(crate) pages: usize,
    pub(crate) articles: usize,
}

impl Corpus {
    /// Writes the site into `dir` (which should be missing or empty).
    pub(crate) fn write(&self, dir: &Path) -> std::io::Result<()> {
        for (rel, text) in &self.files {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().expect("a file under the root"))?;
            std::fs::write(path, text)?;
        }
        Ok(())
    }

    /// Whether `rel` (`content/regulations/x.md`) is a planted document.
    pub(crate) fn is_planted(rel: &str) -> bool {
        PLANTED.iter().any(|(p, _)| rel == format!("content/{p}"))
    }
}

/// The corpus of `pages` content pages (at least the planted ones): 80%
/// regulations, 10% interpretations, 10% cases.
pub(crate) fn generate(pages: usize, seed: u64) -> Corpus {
    let pages = pages.max(PLANTED.len() + 10);
    let filler = pages - PLANTED.len();
    let (interpretations, cases) = (filler / 10, filler / 10);
    let regulations = filler - interpretations - cases;
    let mut rng = Rng::derive(seed, 0);
    let mut titles = std::collections::BTreeSet::new();
    let mut files = vec![
        ("site.toml".to_string(), SITE_TOML.to_string()),
        ("content/_index.md".to_string(), HOME.to_string()),
    ];
    for (dir, title, kind, text) in SECTIONS {
        files.push((
            format!("content/{dir}/_index.md"),
            format!(
                "---\ntitle: {title}\nweight: {}\nsort_by: weight\npage_kind: {kind}\n---\n\n{text}\n",
                files.len()
            ),
        ));
    }
    let mut articles = 0;
    for (path, template) in PLANTED {
        let mut page_rng = Rng::derive(seed, mix64(path.len() as u64) ^ template.len() as u64);
        let (text, count) = expand_planted(template, &mut page_rng);
        articles += count;
        files.push((format!("content/{path}"), text));
    }
    // Plan the filler regulations first, so interpretations and cases can
    // cite their articles by title.
    let mut plans = Vec::with_capacity(regulations);
    for i in 0..regulations {
        plans.push(plan_regulation(&mut rng, &mut titles, i));
    }
    for (i, plan) in plans.iter().enumerate() {
        let mut page_rng = Rng::derive(seed, 1_000_000 + i as u64);
        let text = regulation(&mut page_rng, plan, i);
        articles += plan.articles + plan.inserted.len();
        files.push((format!("content/regulations/fg-{:04}.md", i + 1), text));
    }
    for i in 0..interpretations {
        let mut page_rng = Rng::derive(seed, 2_000_000 + i as u64);
        let (text, count) = interpretation(&mut page_rng, &plans, i);
        articles += count;
        files.push((format!("content/interpretations/js-{:04}.md", i + 1), text));
    }
    for i in 0..cases {
        let mut page_rng = Rng::derive(seed, 3_000_000 + i as u64);
        files.push((
            format!("content/cases/al-{:04}.md", i + 1),
            case(&mut page_rng, &plans, i),
        ));
    }
    Corpus {
        files,
        pages,
        articles,
    }
}

const SITE_TOML: &str = "\
# A generated statute collection for the search relevance benchmark
# (examples/support/statutes.rs). Every text is invented.
title = \"示例法规汇编\"
description = \"虚构的示例法规汇编：条例、规定、解释答复和案例（生成的测试语料）\"
language = \"zh-CN\"
site_id = \"zhiku-statutes\"
";

const HOME: &str = "---\ntitle: 示例法规汇编\n---\n\n> [!NOTE]\n> 本站为 zhiku 搜索基准生成的虚构语料，并非真实文件。\n\n本汇编收录虚构的条例、规定、解释答复和案例，供测试检索使用。\n";

const SECTIONS: &[(&str, &str, &str, &str)] = &[
    (
        "regulations",
        "法规规章",
        "regulation",
        "虚构的示例条例、规定、办法和细则。",
    ),
    (
        "interpretations",
        "解释答复",
        "regulation",
        "对示例规定条款的解释和对来函的答复。",
    ),
    ("cases", "案例", "case", "虚构的示例案例，列出相关条文。"),
];

// ---------------------------------------------------------------------------
// Planted documents
// ---------------------------------------------------------------------------

/// Expands a planted template; returns the Markdown and its number of
/// articles. Panics when an `@N` is not the next number: a template error.
fn expand_planted(template: &'static str, rng: &mut Rng) -> (String, usize) {
    let (mut arabic, mut traditional, mut topic) = (false, false, "党的建设");
    let mut out = String::new();
    let (mut number, mut count) = (0usize, 0usize);
    for line in template.lines() {
        if let Some(option) = line.strip_prefix("@@") {
            match option.split_once(' ') {
                Some(("topic", t)) => topic = t,
                _ if option == "arabic" => arabic = true,
                _ if option == "traditional" => traditional = true,
                _ => panic!("unknown template option {line}"),
            }
            continue;
        }
        let Some(article) = line.strip_prefix('@') else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        if let Some(to) = article.strip_prefix("fill-to ") {
            let to: usize = to.parse().expect("@fill-to N");
            let ctx = Ctx {
                topic,
                doctype: "规定",
            };
            while number < to {
                number += 1;
                count += 1;
                let label = article_label(number, arabic);
                let text = filler_article(rng, &ctx, number);
                let _ = write!(out, "{label}\u{3000}{text}\n\n");
            }
            // The template's own blank line follows.
            if out.ends_with("\n\n") {
                out.pop();
            }
            continue;
        }
        let (label, text) = article.split_once(' ').expect("@N text");
        let (n, inserted) = match label.strip_suffix("之一") {
            Some(n) => (n, true),
            None => (label, false),
        };
        let n: usize = n.parse().expect("@N");
        if inserted {
            assert_eq!(n, number, "{label}: inserted after the current article");
        } else {
            assert_eq!(n, number + 1, "{label}: articles must follow in order");
            number = n;
        }
        count += 1;
        let mut label = article_label(n, arabic);
        if inserted {
            label.push_str("之一");
        }
        let _ = writeln!(out, "{label}\u{3000}{text}");
    }
    if traditional {
        out = to_traditional(&out);
    }
    (out, count)
}

fn article_label(n: usize, arabic: bool) -> String {
    if arabic {
        format!("第{n}条")
    } else {
        format!("第{}条", chinese_number(n))
    }
}

// ---------------------------------------------------------------------------
// Filler regulations
// ---------------------------------------------------------------------------

/// What interpretations and cases need to know of a filler regulation.
struct RegPlan {
    title: String,
    issuer: String,
    topic: &'static str,
    doctype: &'static str,
    articles: usize,
    /// Articles followed by an inserted 之一 article.
    inserted: Vec<usize>,
    arabic: bool,
    traditional: bool,
}

impl RegPlan {
    /// The title as the page shows it (and wikilinks must name it).
    fn shown_title(&self) -> String {
        if self.traditional {
            to_traditional(&self.title)
        } else {
            self.title.clone()
        }
    }
}

fn plan_regulation(
    rng: &mut Rng,
    titles: &mut std::collections::BTreeSet<String>,
    index: usize,
) -> RegPlan {
    let (topic, doctype, region, scope) = loop {
        let topic = rng.word(TOPICS);
        let doctype = rng.word(DOCTYPES);
        let region = rng.word(REGIONS);
        let scope = rng.word(SCOPES);
        let title = format!("{region}{scope}{topic}{doctype}");
        if titles.insert(title) {
            break (topic, doctype, region, scope);
        }
    };
    // Tens to hundreds of articles: most 10–50, a quarter 50–120, one in
    // twenty 120–320 (a code-sized document with 编).
    let articles = match rng.below(100) {
        0..70 => rng.range(10, 50),
        70..95 => rng.range(50, 120),
        _ => rng.range(120, 320),
    };
    // Inserted articles (之一) in one document in twelve; never after
    // article 5, whose 之一 belongs to a planted document.
    let mut inserted = Vec::new();
    if rng.chance(8) {
        for _ in 0..rng.range(1, 3) {
            let n = rng.range(6, articles);
            if !inserted.contains(&n) {
                inserted.push(n);
            }
        }
        inserted.sort_unstable();
    }
    RegPlan {
        title: format!("{region}{scope}{topic}{doctype}"),
        issuer: format!("{region}{}（虚构）", rng.word(ISSUERS)),
        topic,
        doctype,
        articles,
        arabic: inserted.is_empty() && rng.chance(10),
        traditional: index % 13 == 7,
        inserted,
    }
}

fn regulation(rng: &mut Rng, plan: &RegPlan, index: usize) -> String {
    let year = 2008 + rng.below(17);
    let (month, day) = (rng.range(1, 12), rng.range(1, 28));
    let status = *rng.pick(&[
        "current", "current", "current", "current", "amended", "repealed",
    ]);
    let mut out = String::new();
    let _ = writeln!(out, "---\ntitle: {}", plan.title);
    let _ = writeln!(out, "kind: regulation\nweight: {}", 100 + index);
    let _ = writeln!(out, "issuer: {}", plan.issuer);
    let _ = writeln!(out, "issued: {year}-{month:02}-{day:02}");
    let _ = writeln!(out, "status: {status}");
    let _ = writeln!(
        out,
        "summary: 虚构的示例{}，规定{}工作的职责、程序和监督要求。",
        plan.doctype, plan.topic
    );
    let _ = writeln!(out, "tags: [{}]\n---\n", tags(rng).join(", "));
    out.push_str("> [!NOTE]\n> 本文为生成的虚构示例，并非真实文件。\n\n");
    let _ = write!(out, "（{year}年{month}月{day}日{}印发）\n\n", plan.issuer);
    if status == "repealed" {
        let _ = write!(
            out,
            "> [!WARNING]\n> 本{}已废止，仅供查阅。\n\n",
            plan.doctype
        );
    }
    let ctx = Ctx {
        topic: plan.topic,
        doctype: plan.doctype,
    };
    let mut number = 0;
    for (depth, heading) in outline(rng, plan.articles) {
        if let Some(heading) = heading {
            let _ = write!(out, "{} {heading}\n\n", "#".repeat(depth + 1));
            continue;
        }
        number += 1;
        let text = match number {
            1 => fill(rng, &ctx, "为了{goal}，根据{basis}，结合实际，制定本{dt}。"),
            2 => fill(rng, &ctx, "本{dt}适用于{scope}的{org}。"),
            n if n == plan.articles => {
                fill(rng, &ctx, "本{dt}自印发之日起施行，由{office}负责解释。")
            }
            n => filler_article(rng, &ctx, n),
        };
        let _ = write!(
            out,
            "{}\u{3000}{text}\n\n",
            article_label(number, plan.arabic)
        );
        if plan.inserted.contains(&number) {
            let text = filler_article(rng, &ctx, number);
            let _ = write!(
                out,
                "{}之一\u{3000}{text}\n\n",
                article_label(number, plan.arabic)
            );
        }
    }
    if plan.traditional {
        out = to_traditional(&out);
    }
    out
}

/// Headings and article slots in order: `(depth, Some(heading))` for a
/// heading at depth 1 (##) … 3 (####), `(0, None)` for an article.
/// Up to 12 articles: no headings; to 40: 章; to 120: 章 with some 节;
/// beyond: 编, 章 and 节. Chapter and section names are drawn without
/// repeats, so every heading id in a document is distinct.
fn outline(rng: &mut Rng, articles: usize) -> Vec<(usize, Option<String>)> {
    let mut out = Vec::new();
    if articles <= 12 {
        out.extend((0..articles).map(|_| (0, None)));
        return out;
    }
    let parts = if articles > 120 { rng.range(3, 5) } else { 1 };
    let chapters_per_part = (articles / parts / rng.range(8, 14)).max(2);
    let total_chapters = parts * chapters_per_part;
    let mut chapter_names = rng.sample(CHAPTERS.len(), total_chapters);
    let mut section_names = rng.sample(SECTIONS_NAMES.len(), SECTIONS_NAMES.len());
    let per_chapter = split(articles, total_chapters);
    let base = usize::from(parts > 1);
    let mut chapter = 0;
    for part in 0..parts {
        if parts > 1 {
            let name = if part == 0 {
                "总则"
            } else {
                PARTS[(part - 1) % PARTS.len()]
            };
            out.push((1, Some(format!("第{}编 {name}", chinese_number(part + 1)))));
        }
        for _ in 0..chapters_per_part {
            let name = if chapter == 0 {
                "总则".to_string()
            } else if chapter + 1 == total_chapters {
                "附则".to_string()
            } else {
                CHAPTERS[chapter_names.pop().unwrap_or(0)].to_string()
            };
            // Chapter numbers run on through the parts, so ids never repeat.
            out.push((
                1 + base,
                Some(format!("第{}章 {name}", chinese_number(chapter + 1))),
            ));
            let n = per_chapter[chapter];
            let sections = if n >= 12 && rng.chance(50) && section_names.len() >= 3 {
                rng.range(2, 3)
            } else {
                1
            };
            for (s, count) in split(n, sections).into_iter().enumerate() {
                if sections > 1 {
                    let name = SECTIONS_NAMES[section_names.pop().expect("section names")];
                    out.push((
                        2 + base,
                        Some(format!("第{}节 {name}", chinese_number(s + 1))),
                    ));
                }
                out.extend((0..count).map(|_| (0, None)));
            }
            chapter += 1;
        }
    }
    out
}

/// `total` split into `parts` near-equal counts, each at least 1.
fn split(total: usize, parts: usize) -> Vec<usize> {
    let parts = parts.clamp(1, total.max(1));
    (0..parts)
        .map(|i| total / parts + usize::from(i < total % parts))
        .collect()
}

/// The topic and document type filler sentences talk about.
struct Ctx {
    topic: &'static str,
    doctype: &'static str,
}

/// One generated article: one to three sentences, sometimes a list of
/// items, now and then a reference to another article of the document.
fn filler_article(rng: &mut Rng, ctx: &Ctx, number: usize) -> String {
    if rng.chance(12) {
        let mut text = fill_from(rng, ctx, ENUM_LEADS);
        let items = rng.range(3, 5);
        for (i, k) in rng.sample(DUTIES.len(), items).into_iter().enumerate() {
            let end = if i + 1 == items { "。" } else { "；" };
            let _ = write!(text, "\n\n（{}）{}{end}", chinese_number(i + 1), DUTIES[k]);
        }
        return text;
    }
    let mut text = fill_from(rng, ctx, ARTICLES);
    let follow = rng.below(3);
    for k in rng.sample(FOLLOW.len(), follow) {
        text.push_str(&fill(rng, ctx, FOLLOW[k]));
    }
    if number > 3 && rng.chance(8) {
        let earlier = rng.range(1, number - 1);
        let _ = write!(
            text,
            "违反本{}第{}条规定的，依照有关规定处理。",
            ctx.doctype,
            chinese_number(earlier)
        );
    }
    text
}

/// Fills one of `templates`, picked at random.
fn fill_from(rng: &mut Rng, ctx: &Ctx, templates: &[&'static str]) -> String {
    let template = rng.word(templates);
    fill(rng, ctx, template)
}

/// Fills `{slot}`s of a template.
fn fill(rng: &mut Rng, ctx: &Ctx, template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').expect("closed slot") + start;
        let word = match &rest[start + 1..end] {
            "topic" => ctx.topic,
            "dt" => ctx.doctype,
            "org" => rng.word(ORGS),
            "party" => rng.word(MEMBERS),
            "act" => rng.word(ACTIONS),
            "manner" => rng.word(MANNERS),
            "time" => rng.word(TIMES),
            "good" => rng.word(GOOD),
            "bad" => rng.word(BAD),
            "goal" => rng.word(GOALS),
            "basis" => rng.word(BASES),
            "scope" => rng.word(SCOPES),
            "office" => rng.word(OFFICES),
            "record" => rng.word(RECORDS),
            "years" => rng.word(&["三", "五", "十"]),
            other => panic!("unknown slot {other}"),
        };
        out.push_str(word);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

fn tags(rng: &mut Rng) -> Vec<&'static str> {
    let count = rng.range(1, 3);
    let mut tags: Vec<&'static str> = rng
        .sample(TAGS.len(), count)
        .into_iter()
        .map(|i| TAGS[i])
        .collect();
    if rng.chance(20) {
        // Some collections tag in Traditional script.
        tags[0] = TAGS_TRADITIONAL[TAGS.iter().position(|t| *t == tags[0]).unwrap()];
    }
    tags
}

// ---------------------------------------------------------------------------
// Filler interpretations and cases
// ---------------------------------------------------------------------------

/// `[[标题#第十条]]` for a random article of a random filler regulation.
fn cite(rng: &mut Rng, plans: &[RegPlan]) -> (usize, usize, String) {
    let r = rng.below(plans.len());
    let n = rng.range(3, plans[r].articles);
    let link = format!("{}#第{}条", plans[r].shown_title(), chinese_number(n));
    (r, n, link)
}

fn interpretation(rng: &mut Rng, plans: &[RegPlan], index: usize) -> (String, usize) {
    let (r, _, _) = cite(rng, plans);
    let plan = &plans[r];
    let ctx = Ctx {
        topic: plan.topic,
        doctype: plan.doctype,
    };
    let reply = rng.chance(40);
    let year = 2012 + rng.below(13);
    let mut out = String::new();
    let title = if reply {
        format!("关于{}有关问题的答复（第{}号）", plan.topic, index + 1)
    } else {
        format!(
            "关于《{}》有关条款的解释（第{}号）",
            plan.shown_title(),
            index + 1
        )
    };
    let _ = writeln!(out, "---\ntitle: \"{title}\"");
    let _ = writeln!(out, "kind: regulation\nweight: {}", 100 + index);
    let _ = writeln!(out, "issuer: {}", plan.issuer);
    let _ = writeln!(
        out,
        "issued: {year}-{:02}-{:02}",
        rng.range(1, 12),
        rng.range(1, 28)
    );
    let _ = writeln!(out, "status: current");
    let _ = writeln!(out, "tags: [{}]\n---\n", tags(rng).join(", "));
    out.push_str("> [!NOTE]\n> 本文为生成的虚构示例，并非真实文件。\n\n");
    let mut count = 0;
    let cited: Vec<usize> = {
        let mut v: Vec<usize> = (0..rng.range(2, 6))
            .map(|_| rng.range(3, plan.articles))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    if reply {
        out.push_str("## 来函\n\n");
        let _ = write!(
            out,
            "有的单位询问：{}\n\n## 答复\n\n",
            fill(rng, &ctx, "{org}在{topic}工作中，{act}应当如何把握？")
        );
        for n in &cited {
            let _ = write!(
                out,
                "按照[[{}#第{}条]]，{}\n\n",
                plan.shown_title(),
                chinese_number(*n),
                fill_from(rng, &ctx, ARTICLES)
            );
        }
    } else {
        for (i, n) in cited.iter().enumerate() {
            count += 1;
            let _ = write!(
                out,
                "第{}条\u{3000}[[{}#第{}条]]所称“{}”，{}\n\n",
                chinese_number(i + 1),
                plan.shown_title(),
                chinese_number(*n),
                rng.word(TERMS),
                fill_from(rng, &ctx, DEFINITIONS)
            );
        }
        count += 1;
        let _ = writeln!(
            out,
            "第{}条\u{3000}本解释自发布之日起施行。",
            chinese_number(cited.len() + 1)
        );
    }
    (out, count)
}

fn case(rng: &mut Rng, plans: &[RegPlan], index: usize) -> String {
    let (r, _, first) = cite(rng, plans);
    let plan = &plans[r];
    let ctx = Ctx {
        topic: plan.topic,
        doctype: plan.doctype,
    };
    let region = rng.word(REGIONS);
    let unit = rng.word(UNITS);
    let problem = rng.word(PROBLEMS);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "---\ntitle: {region}某{unit}{}{}问题（案例{}）",
        plan.topic,
        rng.word(ISSUES),
        index + 1
    );
    let _ = writeln!(out, "kind: case\nweight: {}", 100 + index);
    let _ = writeln!(
        out,
        "date: {}-{:02}-{:02}",
        2015 + rng.below(10),
        rng.range(1, 12),
        rng.range(1, 28)
    );
    let _ = writeln!(out, "organisation: {region}某{unit}党组织（虚构）");
    let _ = writeln!(out, "problems: [{problem}]");
    let _ = writeln!(out, "tags: [{}]", tags(rng).join(", "));
    let _ = writeln!(out, "related:\n  - \"{first}\"\n---\n");
    out.push_str("> [!NOTE]\n> 本文为生成的虚构示例，并非真实文件。\n\n");
    for (heading, templates) in [
        ("基本情况", CASE_BACKGROUND),
        ("存在问题", CASE_PROBLEMS),
        ("整改措施", ARTICLES),
    ] {
        let _ = write!(out, "## {heading}\n\n");
        for _ in 0..rng.range(2, 4) {
            out.push_str(&fill_from(rng, &ctx, templates));
        }
        out.push_str("\n\n");
    }
    let _ = write!(
        out,
        "## 讨论题\n\n对照[[{first}]]，{}\n",
        fill(rng, &ctx, "本单位{topic}工作还有哪些薄弱环节？")
    );
    out
}

// ---------------------------------------------------------------------------
// Vocabulary (invented; none of it may contain a word of FILLER_AVOIDS)
// ---------------------------------------------------------------------------

const TOPICS: &[&str] = &[
    "党务公开",
    "阵地建设",
    "党员志愿服务",
    "党建述职评议",
    "主题党日",
    "谈心谈话",
    "党建档案管理",
    "党内统计",
    "党员积分管理",
    "联系服务群众",
    "党建经费保障",
    "先进评选表彰",
    "党建品牌创建",
    "网格化党建",
    "困难党员帮扶",
    "老党员关爱",
    "党员示范岗",
    "党员责任区",
    "结对共建",
    "两新组织党建",
    "机关党建",
    "国有企业党建",
    "高校院系党建",
    "公立医院党建",
    "党建工作责任制",
    "党务工作者队伍建设",
    "党建信息化",
    "党员队伍统计",
    "基层党建督查",
    "党建工作考核",
];
const DOCTYPES: &[&str] = &[
    "条例",
    "规定",
    "办法",
    "实施细则",
    "工作规则",
    "暂行办法",
    "实施办法",
    "工作规范",
];
const REGIONS: &[&str] = &[
    "东江市",
    "西岭县",
    "南湖区",
    "北屏市",
    "青川县",
    "云岭市",
    "临江区",
    "石桥县",
    "松源市",
    "鹤鸣县",
    "柳塘区",
    "梅溪市",
    "白沙县",
    "金坪区",
    "玉泉市",
    "清河县",
    "龙湾区",
    "平川市",
    "安宁县",
    "长乐区",
];
const SCOPES: &[&str] = &[
    "机关",
    "街道",
    "社区",
    "乡镇",
    "国有企业",
    "学校",
    "公立医院",
    "非公有制企业",
    "社会组织",
    "科研院所",
];
const ISSUERS: &[&str] = &[
    "委",
    "委办公室",
    "委宣传部",
    "直机关工委",
    "委老干部局",
    "委组织部",
];
const OFFICES: &[&str] = &[
    "党委办公室",
    "机关党委",
    "党建工作办公室",
    "党群工作部",
    "组织人事科",
];
const ORGS: &[&str] = &[
    "党组织",
    "基层党组织",
    "党支部",
    "党总支",
    "机关党委",
    "上级党组织",
    "各级党委",
    "党委（党组）",
    "基层党委",
];
const MEMBERS: &[&str] = &[
    "党员",
    "党员干部",
    "党组织书记",
    "党务工作者",
    "基层党组织负责人",
    "青年党员",
    "老党员",
];
const ACTIONS: &[&str] = &[
    "建立健全工作台账",
    "制定年度工作计划",
    "开展督促检查",
    "落实工作责任",
    "组织集中学习",
    "报送有关材料",
    "公开办理结果",
    "加强经费保障",
    "完善考核评价办法",
    "做好统计分析",
    "及时整改存在的问题",
    "明确专人负责",
    "定期研究部署",
    "听取意见建议",
    "总结推广经验",
];
const MANNERS: &[&str] = &[
    "按照规定程序",
    "结合本单位实际",
    "坚持实事求是",
    "突出重点、分类指导",
    "注重实际效果",
    "坚持问题导向",
    "统筹兼顾",
    "上下联动",
];
const TIMES: &[&str] = &[
    "每季度",
    "每年年底前",
    "在规定时限内",
    "在三十日内",
    "每年第一季度",
    "每两年",
    "年度中期",
];
const GOOD: &[&str] = &["予以通报表扬", "作为评先评优的重要依据", "给予表彰奖励"];
const BAD: &[&str] = &[
    "责令限期整改",
    "予以批评教育",
    "进行约谈提醒",
    "在一定范围内通报",
];
const GOALS: &[&str] = &[
    "规范基层党建工作",
    "提高工作质量",
    "推动工作落实",
    "加强日常管理",
    "健全工作机制",
];
const BASES: &[&str] = &[
    "《示例党组织章程》和有关规定",
    "上级有关文件精神",
    "有关法规制度",
    "《示例党组织章程》",
];
const RECORDS: &[&str] = &[
    "工作开展情况",
    "检查考核结果",
    "经费使用明细",
    "人员变动情况",
];
const TAGS: &[&str] = &[
    "组织建设",
    "党员管理",
    "制度建设",
    "基层治理",
    "作风建设",
    "宣传教育",
    "党务工作",
    "经费管理",
];
const TAGS_TRADITIONAL: &[&str] = &[
    "組織建設",
    "黨員管理",
    "制度建設",
    "基層治理",
    "作風建設",
    "宣傳教育",
    "黨務工作",
    "經費管理",
];
const CHAPTERS: &[&str] = &[
    "组织领导",
    "职责分工",
    "工作内容",
    "工作程序",
    "工作要求",
    "队伍建设",
    "阵地保障",
    "经费保障",
    "监督检查",
    "考核评价",
    "奖励表彰",
    "责任追究",
    "信息管理",
    "档案管理",
    "宣传引导",
    "培训提升",
    "协调配合",
    "日常管理",
    "服务保障",
    "公开公示",
    "问题整改",
    "统计报告",
    "示范创建",
    "结对帮扶",
    "评议测评",
    "制度执行",
    "风险防控",
    "数据管理",
    "联络协作",
    "总结评估",
    "资源整合",
    "典型培育",
    "作风要求",
    "纪律要求",
    "应急处置",
    "工作衔接",
    "沟通反馈",
    "成果运用",
    "督办落实",
    "长效机制",
    "分类指导",
    "动态调整",
    "岗位职责",
    "能力建设",
    "载体创新",
    "基础工作",
    "阵地管理",
    "平台建设",
    "绩效管理",
    "保密要求",
];
const SECTIONS_NAMES: &[&str] = &[
    "一般规定",
    "具体要求",
    "办理程序",
    "审核审批",
    "登记备案",
    "检查方式",
    "结果运用",
    "工作标准",
    "职责划分",
    "时限要求",
    "材料报送",
    "情况通报",
    "整改落实",
    "评价方法",
    "激励措施",
    "约束措施",
    "信息公开",
    "资料归档",
    "人员配备",
    "场所设施",
    "经费来源",
    "使用管理",
    "年度计划",
    "季度安排",
    "调查研究",
    "意见征集",
    "组织实施",
    "验收评估",
    "复查复核",
    "指导服务",
];
const PARTS: &[&str] = &[
    "组织与职责",
    "运行与程序",
    "保障与监督",
    "考核与奖惩",
    "附属规定",
];
const ARTICLES: &[&str] = &[
    "{org}应当{act}，{manner}推进{topic}工作。",
    "{party}应当积极参与{topic}工作，{act}。",
    "{time}，{org}应当对{topic}情况进行检查，检查结果{good}。",
    "对{topic}工作中表现突出的{party}，{good}；对敷衍应付、弄虚作假的，{bad}。",
    "{org}负责{topic}工作的组织实施，具体工作由{office}承办。",
    "{topic}所需经费，从党建工作经费中列支，专款专用，接受监督。",
    "{org}应当建立{topic}工作档案，如实记载{record}，保存期限不少于{years}年。",
    "{org}开展{topic}工作，应当{act}，并{act}。",
    "{office}应当{time}向{org}报告{topic}工作情况。",
    "{org}应当把{topic}工作列为年度考核内容，考核结果{good}。",
    "{org}应当为{party}参与{topic}提供必要条件，{manner}解决实际问题。",
    "{party}对{topic}工作有意见建议的，可以向{org}反映，{org}应当{time}答复。",
];
const FOLLOW: &[&str] = &[
    "必要时，可以{act}。",
    "具体办法由{office}另行制定。",
    "情况特殊的，报{org}同意后执行。",
    "{org}应当加强指导，{manner}抓好落实。",
];
const ENUM_LEADS: &[&str] = &[
    "{org}在{topic}工作中履行下列职责：",
    "有下列情形之一的，{org}应当{act}：",
    "{topic}工作主要包括以下内容：",
];
const DUTIES: &[&str] = &[
    "贯彻落实上级关于基层党建的部署要求",
    "研究制定年度工作计划和具体措施",
    "组织开展督促检查和考核评价",
    "指导下级党组织规范开展工作",
    "总结推广基层典型经验",
    "协调解决工作中的重要问题",
    "管理和使用有关工作经费",
    "收集整理有关材料并归档",
    "受理和答复有关意见建议",
];
const DEFINITIONS: &[&str] = &[
    "是指{org}按照规定程序开展的{topic}相关工作。",
    "包括{org}和{office}在{topic}工作中的各项职责。",
    "应当结合本单位实际理解和执行，不得擅自扩大或者缩小范围。",
];
const TERMS: &[&str] = &[
    "有关单位",
    "相关工作",
    "规定程序",
    "必要条件",
    "有关材料",
    "具体措施",
];
const UNITS: &[&str] = &["街道", "社区", "村", "机关", "企业", "学校", "医院", "协会"];
const ISSUES: &[&str] = &[
    "流于形式",
    "落实不到位",
    "台账不规范",
    "责任不清",
    "效果不明显",
];
const PROBLEMS: &[&str] = &[
    "党建主责缺担当",
    "党建业务缺重视",
    "党建工作缺亮点",
    "对下级党组织缺指导",
    "班子带头难到位",
    "学习教育难扎实",
    "管理要求难严格",
    "组织生活不深入",
    "工作台账不规范",
];
const CASE_BACKGROUND: &[&str] = &[
    "该单位{org}负责{topic}工作，近年来{act}方面做了一些探索。",
    "上级在{time}的检查中发现，该单位{topic}工作存在明显短板。",
    "该单位{party}人数较多、分布分散，{topic}工作基础比较薄弱。",
];
const CASE_PROBLEMS: &[&str] = &[
    "{org}对{topic}工作重视不够，没有{act}。",
    "{party}参与{topic}的积极性不高，有的长期不参加活动。",
    "有关台账记载不全，{record}无法核实。",
];

// ---------------------------------------------------------------------------
// Numbers, script, randomness
// ---------------------------------------------------------------------------

/// Chinese numerals as articles and chapters are numbered: 十, 十五,
/// 二十, 一百零一, 一百一十 — zhiku's own writer, which the build reads back.
pub(crate) fn chinese_number(n: usize) -> String {
    zhiku::markdown::numerals::to_chinese(n as u32)
}

/// Simplified → Traditional with OpenCC's phrase and character tables
/// (hanconv, which zhiku already uses for the reverse direction).
pub(crate) fn to_traditional(text: &str) -> String {
    hanconv::s2t(text)
}
