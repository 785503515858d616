//! Benchmark corpus generator for zhiku (知库).
//!
//! Writes a synthetic party-branch training knowledge base in Chinese: about
//! twenty sections of regulations (~20 %), meeting checklists (~30 %) and case
//! studies (~50 %), 3–5 KB of Markdown per page. The same pages can be written
//! as a zhiku site, as a Hugo site, or both, so the two generators can be
//! benchmarked on identical text.
//!
//! ```text
//! gen_corpus --pages N --seed S --out DIR [--flavour zhiku|hugo|both]
//! ```
//!
//! The steps, in order:
//! 1. [`parse_args`] reads the command line (usage errors exit with 2).
//! 2. [`plan_site`] fixes the sections, each page's kind, path, title and
//!    organisation, so that cases can link to pages that exist.
//! 3. [`generate_page`] builds one page (front matter fields + body) from a
//!    phrase bank: template sentences whose `{slots}` draw from word lists.
//! 4. [`write_site`] renders the front matter for each flavour and writes files.
//!
//! Determinism: the output is a pure function of the arguments. The plan draws
//! from one splitmix64 stream, and every page from its own stream derived from
//! the seed and its number, so a page's text does not depend on the order of
//! generation or on the flavour. Only slices and `Vec`s are iterated; the clock
//! is read only for the summary on stderr.
//!
//! Uses std only: the file must build as a Cargo example of zhiku as it is.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

const USAGE: &str = "\
usage: gen_corpus --pages N --seed S --out DIR [--flavour zhiku|hugo|both]

Writes a deterministic benchmark corpus for zhiku: a party-branch training
knowledge base of regulations (~20%), checklists (~30%) and cases (~50%),
3-5 KB of Chinese Markdown per page, spread over 20 sections.

options:
  --pages N     number of content pages (section indexes not counted), N >= 1
  --seed S      unsigned 64-bit seed; the same arguments give the same bytes
  --out DIR     output folder; it must be missing or empty
  --flavour F   zhiku, hugo or both (default both: writes DIR/zhiku and
                DIR/hugo; with a single flavour the site goes straight into DIR)
  -h, --help    print this help

A one-line summary (pages, bytes of Markdown, time) goes to stderr.
Exit status: 0 on success, 1 if writing fails, 2 on bad arguments.
";

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(CliError::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(CliError::Usage(message)) => {
            eprintln!("gen_corpus: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let site = plan_site(args.pages, args.seed);
    match write_site(&site, &args) {
        Ok(stats) => {
            eprintln!("{}", stats.summary(&site, &args, started));
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("gen_corpus: {message}");
            ExitCode::FAILURE
        }
    }
}

// ---------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flavour {
    Zhiku,
    Hugo,
    Both,
}

impl Flavour {
    /// The sites to write, each with the subfolder of `--out` it goes into.
    fn targets(self) -> &'static [(Flavour, &'static str)] {
        match self {
            Flavour::Zhiku => &[(Flavour::Zhiku, "")],
            Flavour::Hugo => &[(Flavour::Hugo, "")],
            Flavour::Both => &[(Flavour::Zhiku, "zhiku"), (Flavour::Hugo, "hugo")],
        }
    }
}

#[derive(Debug)]
struct Args {
    pages: usize,
    seed: u64,
    out: PathBuf,
    flavour: Flavour,
}

#[derive(Debug, PartialEq, Eq)]
enum CliError {
    Help,
    Usage(String),
}

/// Parses `--key value` and `--key=value` options; every option but
/// `--flavour` is required.
fn parse_args(raw: impl Iterator<Item = String>) -> Result<Args, CliError> {
    let (mut pages, mut seed, mut out, mut flavour) = (None, None, None, Flavour::Both);
    let mut raw = raw.into_iter();
    while let Some(arg) = raw.next() {
        if arg == "-h" || arg == "--help" {
            return Err(CliError::Help);
        }
        let (key, inline) = match arg.split_once('=') {
            Some((key, value)) => (key.to_string(), Some(value.to_string())),
            None => (arg, None),
        };
        let value = match inline.or_else(|| raw.next()) {
            Some(value) => value,
            None => return Err(CliError::Usage(format!("{key} needs a value"))),
        };
        match key.as_str() {
            "--pages" => pages = Some(parse_number(&key, &value)?),
            "--seed" => seed = Some(parse_number(&key, &value)?),
            "--out" => out = Some(PathBuf::from(value)),
            "--flavour" | "--flavor" => flavour = parse_flavour(&value)?,
            _ => return Err(CliError::Usage(format!("unknown argument `{key}`"))),
        }
    }
    let missing = |name: &str| CliError::Usage(format!("{name} is required"));
    let pages: u64 = pages.ok_or_else(|| missing("--pages"))?;
    if pages == 0 {
        return Err(CliError::Usage("--pages must be at least 1".into()));
    }
    Ok(Args {
        pages: usize::try_from(pages)
            .map_err(|_| CliError::Usage("--pages is too large".into()))?,
        seed: seed.ok_or_else(|| missing("--seed"))?,
        out: out.ok_or_else(|| missing("--out"))?,
        flavour,
    })
}

fn parse_number(key: &str, value: &str) -> Result<u64, CliError> {
    value
        .parse()
        .map_err(|_| CliError::Usage(format!("{key} wants an unsigned integer, got `{value}`")))
}

fn parse_flavour(value: &str) -> Result<Flavour, CliError> {
    match value {
        "zhiku" => Ok(Flavour::Zhiku),
        "hugo" => Ok(Flavour::Hugo),
        "both" => Ok(Flavour::Both),
        _ => Err(CliError::Usage(format!(
            "--flavour wants zhiku, hugo or both, got `{value}`"
        ))),
    }
}

// ---------------------------------------------------------------------------
// Randomness, numbers and dates
// ---------------------------------------------------------------------------

/// Chinese numerals as used for chapters and articles: 十, 十五, 二十,
/// 一百零一, 一百一十, 一千零一十 — zhiku's own writer, which the build reads back.
fn chinese_number(n: usize) -> String {
    zhiku::markdown::numerals::to_chinese(n as u32)
}

/// A calendar date, kept as days since 1970-01-01 so adding days is trivial.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Date(i64);

impl Date {
    /// Howard Hinnant's `days_from_civil`.
    fn from_ymd(year: i64, month: i64, day: i64) -> Date {
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Date(era * 146_097 + doe - 719_468)
    }

    /// Howard Hinnant's `civil_from_days`.
    fn ymd(self) -> (i64, i64, i64) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        (yoe + era * 400 + i64::from(month <= 2), month, day)
    }

    /// A day in the years `from..=to`.
    fn random(rng: &mut Rng, from: i64, to: i64) -> Date {
        let (start, end) = (Date::from_ymd(from, 1, 1), Date::from_ymd(to + 1, 1, 1));
        Date(start.0 + rng.below((end.0 - start.0) as usize) as i64)
    }

    fn plus_days(self, days: usize) -> Date {
        Date(self.0 + days as i64)
    }

    fn year(self) -> i64 {
        self.ymd().0
    }

    fn iso(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// The way dates are written in running Chinese text: 2021年3月1日.
    fn chinese(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y}年{m}月{d}日")
    }
}

// ---------------------------------------------------------------------------
// Phrase bank
// ---------------------------------------------------------------------------

/// Everything here is written for this generator: generic phrasing of
/// party-branch routine, not quoted from any real regulation. Phrases may
/// contain `{slots}` (see [`slot`]), which are filled when used.
mod vocab {
    /// A subject area of branch work; pages draw their specific wording from it.
    pub(super) struct Topic {
        pub(super) name: &'static str,
        /// Always one of [`TAGS`].
        pub(super) tag: &'static str,
        /// Verb phrases: things a branch does in this area.
        pub(super) acts: &'static [&'static str],
        /// Short descriptions of typical shortcomings.
        pub(super) problems: &'static [&'static str],
        /// Meetings for checklists: (name, usual frequency).
        pub(super) meetings: &'static [(&'static str, &'static str)],
    }

    /// The fixed tag set; the first ones are drawn more often (see `pick_tags`).
    pub(super) const TAGS: &[&str] = &[
        "三会一课",
        "组织生活会",
        "整改落实",
        "发展党员",
        "主题党日",
        "党员教育",
        "谈心谈话",
        "民主评议党员",
        "党费收缴",
        "支部建设",
        "学习教育",
        "制度建设",
        "台账管理",
        "换届选举",
        "流动党员",
        "党务公开",
        "廉洁纪律",
        "志愿服务",
        "基层治理",
        "组织关系转接",
    ];

    pub(super) const TOPICS: &[Topic] = &[
        Topic {
            name: "三会一课",
            tag: "三会一课",
            acts: &[
                "按期召开支部党员大会",
                "定期召开支部委员会会议",
                "组织党小组会集中学习",
                "由支部书记讲授专题党课",
                "安排领导干部以普通党员身份参加组织生活",
                "把政治学习和业务工作结合起来",
            ],
            problems: &[
                "会议次数不足、年底集中补开",
                "党课内容与实际工作脱节",
                "党小组会议题单一",
                "会议记录简单、要素不全",
                "部分党员以工作忙为由缺席",
            ],
            meetings: &[
                ("支部党员大会", "每季度至少一次"),
                ("支部委员会会议", "每月一次"),
                ("党小组会", "每月一次"),
                ("支部书记讲党课", "每年至少一次"),
            ],
        },
        Topic {
            name: "组织生活会",
            tag: "组织生活会",
            acts: &[
                "召开年度组织生活会",
                "开展批评和自我批评",
                "逐一对照检查、查摆问题",
                "会前广泛征求意见建议",
                "制定个人整改措施",
            ],
            problems: &[
                "批评意见避重就轻",
                "对照检查材料内容雷同",
                "查摆问题停留在表面",
                "整改措施缺乏时限",
                "会前准备不够充分",
            ],
            meetings: &[
                ("组织生活会", "每年至少一次"),
                ("专题组织生活会", "根据工作需要召开"),
            ],
        },
        Topic {
            name: "民主评议党员",
            tag: "民主评议党员",
            acts: &[
                "组织党员个人自评",
                "开展党员互评",
                "由支委会综合评定等次",
                "将评议结果向党员本人反馈",
                "对评议中发现的问题督促改进",
            ],
            problems: &[
                "评议等次平均化",
                "互评时碍于情面不愿提意见",
                "评议结果运用不充分",
                "对后进党员帮扶不到位",
            ],
            meetings: &[("民主评议党员大会", "每年一次")],
        },
        Topic {
            name: "发展党员",
            tag: "发展党员",
            acts: &[
                "做好入党申请人的谈话工作",
                "确定入党积极分子并指定培养联系人",
                "对发展对象进行政治审查",
                "召开支部大会讨论接收预备党员",
                "加强预备党员的教育考察",
            ],
            problems: &[
                "培养考察记录不连续",
                "政治审查材料不完整",
                "入党介绍人作用发挥不够",
                "发展程序时间节点把握不准",
                "预备期考察流于形式",
            ],
            meetings: &[
                ("接收预备党员支部大会", "根据发展计划召开"),
                ("预备党员转正支部大会", "预备期满时召开"),
            ],
        },
        Topic {
            name: "主题党日",
            tag: "主题党日",
            acts: &[
                "策划主题党日活动方案",
                "组织党员重温入党誓词",
                "结合岗位开展志愿服务",
                "开展专题研讨交流",
                "到现场教学点参观学习",
            ],
            problems: &[
                "活动主题年年相似",
                "活动形式单一、吸引力不强",
                "重活动留痕、轻实际效果",
                "党员参与积极性不高",
            ],
            meetings: &[("主题党日活动", "每月一次")],
        },
        Topic {
            name: "党费收缴",
            tag: "党费收缴",
            acts: &[
                "按月收缴党费",
                "核定党员交纳基数和比例",
                "定期公布党费收缴情况",
                "建立党费收缴台账",
                "及时上交党费",
            ],
            problems: &[
                "交纳基数核定不准",
                "党费收缴不及时",
                "党费台账登记不规范",
                "少数党员未按月交纳党费",
            ],
            meetings: &[("党费收缴情况通报会", "每半年一次")],
        },
        Topic {
            name: "谈心谈话",
            tag: "谈心谈话",
            acts: &[
                "开展支部书记与党员谈心谈话",
                "组织支委之间相互谈心",
                "对思想波动的党员及时谈话",
                "做好谈话记录和问题梳理",
                "把谈心谈话与解决实际困难结合起来",
            ],
            problems: &[
                "谈心谈话覆盖面不全",
                "谈话内容泛泛而谈",
                "谈话发现的问题没有跟进",
                "谈话记录过于简单",
            ],
            meetings: &[("谈心谈话", "每年至少一轮")],
        },
        Topic {
            name: "整改落实",
            tag: "整改落实",
            acts: &[
                "建立问题、任务、责任三张清单",
                "实行整改销号管理",
                "定期通报整改进度",
                "对整改结果开展回头看",
                "把整改成效纳入年度考核",
            ],
            problems: &[
                "整改责任不够明确",
                "整改措施针对性不强",
                "整改完成后缺少跟踪",
                "同类问题反复出现",
            ],
            meetings: &[("整改推进会", "每季度一次")],
        },
        Topic {
            name: "党员教育",
            tag: "党员教育",
            acts: &[
                "制定年度党员教育培训计划",
                "组织党员参加集中轮训",
                "利用线上平台开展学习",
                "开展学习交流和心得分享",
                "建立党员学习档案",
            ],
            problems: &[
                "学习方式以读文件为主",
                "学用结合不够紧密",
                "老党员和流动党员参学难",
                "学习效果缺少检验",
            ],
            meetings: &[("集中学习会", "每月一次"), ("学习交流会", "每季度一次")],
        },
        Topic {
            name: "换届选举",
            tag: "换届选举",
            acts: &[
                "按期提出换届申请",
                "酝酿推荐委员候选人",
                "拟定选举办法草案",
                "组织无记名投票选举",
                "及时报上级党组织审批",
            ],
            problems: &[
                "未按期进行换届",
                "候选人酝酿不充分",
                "选举程序环节缺失",
                "选举材料归档不全",
            ],
            meetings: &[("支部换届选举大会", "任期届满时召开")],
        },
        Topic {
            name: "组织关系转接",
            tag: "组织关系转接",
            acts: &[
                "及时办理党员组织关系转接",
                "核对党员信息和转接材料",
                "跟踪转接进度，确保衔接顺畅",
                "做好新转入党员的接收谈话",
            ],
            problems: &[
                "转出后长期未接收",
                "党员信息登记有误",
                "转接材料缺页漏项",
                "新转入党员融入慢",
            ],
            meetings: &[("支部委员会会议", "每月一次")],
        },
        Topic {
            name: "流动党员管理",
            tag: "流动党员",
            acts: &[
                "建立流动党员联系台账",
                "通过线上方式组织流动党员参学",
                "节假日召开流动党员座谈会",
                "为流动党员发放活动证",
            ],
            problems: &[
                "流动党员去向不明",
                "流动党员长期不参加组织生活",
                "联系渠道单一",
                "流入地与流出地衔接不畅",
            ],
            meetings: &[("流动党员座谈会", "每年春节前后")],
        },
        Topic {
            name: "党务公开",
            tag: "党务公开",
            acts: &[
                "制定党务公开目录",
                "通过公开栏和工作群公开党务",
                "及时公开党费收缴和发展党员情况",
                "听取党员对公开内容的意见",
            ],
            problems: &[
                "公开内容不全面",
                "公开时间不及时",
                "公开形式单一",
                "对党员关注的问题回应不够",
            ],
            meetings: &[("党务公开审议会", "每季度一次")],
        },
        Topic {
            name: "廉洁纪律教育",
            tag: "廉洁纪律",
            acts: &[
                "开展警示教育",
                "排查岗位廉洁风险点",
                "签订廉洁承诺书",
                "在重要节点开展提醒谈话",
                "组织学习党规党纪",
            ],
            problems: &[
                "廉洁风险排查不细",
                "警示教育针对性不强",
                "日常监督存在薄弱环节",
                "提醒谈话停留于形式",
            ],
            meetings: &[("警示教育会", "每半年一次")],
        },
        Topic {
            name: "党员志愿服务",
            tag: "志愿服务",
            acts: &[
                "组建党员志愿服务队",
                "开展党员进社区活动",
                "设立党员先锋岗",
                "认领群众微心愿",
                "开展结对帮扶",
            ],
            problems: &[
                "服务项目与群众需求不匹配",
                "服务活动缺乏长效机制",
                "服务记录不完整",
                "党员参与不均衡",
            ],
            meetings: &[("志愿服务活动", "每月一次")],
        },
        Topic {
            name: "基层治理",
            tag: "基层治理",
            acts: &[
                "推行网格化党建",
                "组织党员参与矛盾纠纷调解",
                "召开居民议事会",
                "开展民情走访",
                "建立诉求办理台账",
            ],
            problems: &[
                "党组织在治理中作用发挥不充分",
                "群众诉求响应不够及时",
                "议事协商流于形式",
                "网格党员力量不足",
            ],
            meetings: &[("党建联席会议", "每季度一次"), ("居民议事会", "每月一次")],
        },
    ];

    // -- words used by the slots -------------------------------------------

    pub(super) const ADVS: &[&str] = &[
        "认真",
        "扎实",
        "切实",
        "严格",
        "及时",
        "规范",
        "持续",
        "有序",
        "主动",
        "深入",
        "定期",
        "按规定",
    ];
    pub(super) const GOALS: &[&str] = &[
        "确保各项要求落到实处",
        "推动支部工作提质增效",
        "增强党员的身份意识和责任意识",
        "提高组织生活的质量",
        "做到程序规范、记录完整",
        "把矛盾和问题解决在基层",
        "凝聚干事创业的合力",
        "让制度要求可检查、可追溯",
        "切实减轻基层负担",
        "防止走过场、搞形式",
        "营造风清气正的良好氛围",
        "更好地服务党员和群众",
        "使支部真正成为坚强的战斗堡垒",
        "避免工作中出现断档和空白",
        "形成一级抓一级的工作格局",
    ];
    pub(super) const TIMES: &[&str] = &[
        "每月",
        "每季度",
        "每半年",
        "每年年初",
        "每年年底前",
        "会前一周",
        "每次会议结束后",
        "重要节日前后",
        "年度考核前",
        "换届前三个月",
    ];
    pub(super) const ROLES: &[&str] = &[
        "支部书记",
        "组织委员",
        "宣传委员",
        "纪检委员",
        "党小组长",
        "支部委员",
        "党务工作者",
        "入党介绍人",
        "培养联系人",
    ];
    pub(super) const HELPERS: &[&str] = &["其他支部委员", "党小组长", "党员骨干", "党务工作者"];
    pub(super) const PEOPLE: &[&str] = &[
        "普通党员",
        "青年党员",
        "老党员",
        "流动党员",
        "入党积极分子",
        "预备党员",
        "离退休党员",
        "困难党员",
        "新转入党员",
    ];
    pub(super) const DOCS: &[&str] = &[
        "会议记录本",
        "党员花名册",
        "党费收缴台账",
        "谈心谈话记录",
        "整改台账",
        "发展党员纪实档案",
        "活动签到表",
        "学习记录",
        "民主评议登记表",
        "支部工作手册",
        "党务公开登记簿",
    ];
    pub(super) const MEASURES: &[&str] = &[
        "建立问题清单和责任清单",
        "实行支委分片联系党员制度",
        "召开专题支委会研究部署",
        "制定月度工作计划并按周调度",
        "完善工作台账，做到一事一记",
        "开展支部之间交叉检查",
        "组织专题学习和业务培训",
        "邀请上级党组织派员列席指导",
        "推行党员积分管理办法",
        "利用线上平台提醒党员按时参加活动",
        "把任务分解到各党小组",
        "设立党员意见箱，定期收集建议",
        "建立支委轮值制度",
        "实行重点任务月报告制度",
        "结合党员岗位划分责任区",
    ];
    pub(super) const RESULTS: &[&str] = &[
        "党员参加组织生活的比例明显提高",
        "会议记录的规范程度大幅改善",
        "群众对支部工作的满意度持续上升",
        "问题整改完成率达到{pct}%",
        "支部凝聚力和战斗力进一步增强",
        "主动认领任务的党员多了起来",
        "基础台账实现了动态更新",
        "支部在上级考核中由后进转为良好",
        "群众反映的{n}件难事得到解决",
        "党员之间的交流比以前更加坦诚",
    ];
    pub(super) const PRINCIPLES: &[&str] = &[
        "实事求是",
        "分类指导",
        "注重实效",
        "程序规范",
        "公开透明",
        "从严从实",
        "问题导向",
        "循序渐进",
        "民主集中",
        "因地制宜",
    ];
    pub(super) const BASES: &[&str] = &[
        "根据党内有关规定",
        "按照上级党组织的工作部署",
        "依据党章和有关党内法规",
    ];
    pub(super) const SCOPES: &[&str] = &[
        "全市机关",
        "全区各街道和社区",
        "全县农村",
        "系统内各单位",
        "全公司各基层单位",
        "本地区非公有制企业和社会组织",
        "各级学校",
    ];
    pub(super) const PENALTIES: &[&str] = &[
        "及时提醒纠正",
        "约谈支部书记",
        "责令限期整改",
        "予以通报批评",
        "在年度考核中相应扣分",
    ];
    pub(super) const STEPS: &[&str] = &[
        "提出工作方案",
        "支部委员会集体研究",
        "党员大会讨论决定",
        "报上级党组织审批",
        "公开结果并接受监督",
        "整理材料存档备查",
        "听取党员意见",
        "形成书面报告",
    ];
    pub(super) const QUOTES: &[&str] = &[
        "开会就是念文件，听完也记不住",
        "提意见怕得罪人，不如不说",
        "有事不知道该找谁反映",
        "活动年年都差不多，没什么新意",
        "在外地打工，想参加也赶不回来",
        "材料写了不少，真正解决的问题不多",
        "平时忙业务，党建的事往往顾不上",
    ];
    pub(super) const EXCUSES: &[&str] = &[
        "业务工作才是硬任务",
        "组织生活就是走程序",
        "年纪大了可以少参加",
        "在外务工参加不便",
        "台账是给上级看的",
    ];
    pub(super) const CHECKS: &[&str] = &[
        "上级党组织专项检查",
        "年度述职评议",
        "巡察反馈",
        "党建工作考核",
        "支部自查",
    ];
    pub(super) const DUTIES: &[&str] = &[
        "城市道路养护",
        "社区综合服务",
        "农业技术推广",
        "政务窗口服务",
        "电力运维保障",
        "教学和科研",
        "医疗卫生服务",
        "物流配送",
    ];
    pub(super) const POSTS: &[&str] = &[
        "单位主要负责人",
        "分管领导",
        "部门负责人",
        "业务骨干",
        "原组织委员",
    ];
    pub(super) const CHANNELS: &[&str] = &[
        "党务公开栏",
        "支部工作群",
        "单位内网",
        "社区公告栏",
        "短信平台",
    ];
    pub(super) const PERIODS: &[&str] = &["每月", "每季度", "每半年"];
    pub(super) const VENUES: &[&str] = &[
        "党员活动室",
        "二楼会议室",
        "党群服务中心",
        "项目部会议室",
        "图书阅览室",
    ];
    pub(super) const HONORS: &[&str] = &[
        "先进基层党组织",
        "标准化规范化建设示范支部",
        "五星级党支部",
        "党建工作优秀单位",
    ];
    pub(super) const SUBSTITUTES: &[&str] = &["业务会", "传阅文件", "线上打卡", "个人自学"];
    pub(super) const IMPROVES: &[&str] = &[
        "内容更实了",
        "准备更充分了",
        "讨论更热烈了",
        "问题点得更准了",
    ];

    // -- names ------------------------------------------------------------

    /// Invented place names; combined below, they are not meant to be real units.
    pub(super) const PLACES: &[&str] = &[
        "清河", "东湖", "青石", "柳林", "南塘", "白沙", "枫桥", "金桥", "云岭", "松山", "梅园",
        "桃源", "石门", "长乐", "安平", "新华", "兴隆", "红旗", "河西", "滨江", "北苑", "望湖",
        "嘉禾", "临川", "玉泉",
    ];
    pub(super) const BUREAUS: &[&str] = &[
        "交通运输局",
        "市场监督管理局",
        "自然资源局",
        "教育局",
        "卫生健康委员会",
        "财政局",
        "住房和城乡建设局",
        "人力资源和社会保障局",
        "生态环境局",
        "民政局",
    ];
    pub(super) const COMPANIES: &[&str] = &[
        "供电公司",
        "水务集团",
        "公交公司",
        "建设集团",
        "物流公司",
        "粮食储备库",
    ];
    pub(super) const DEPTS: &[&str] = &[
        "运维班组",
        "综合办公室",
        "生产车间",
        "客户服务中心",
        "项目部",
        "财务部",
    ];
    pub(super) const DOCTYPES: &[(&str, &str)] = &[
        ("规定", "规定"),
        ("办法", "办法"),
        ("实施办法", "办法"),
        ("实施细则", "细则"),
        ("工作规则", "规则"),
        ("暂行规定", "规定"),
        ("工作规程", "规程"),
    ];
    pub(super) const TITLE_VERBS: &[&str] = &["规范", "加强", "改进", "进一步做好", "严格"];
    pub(super) const PARTICIPANTS: &[&str] = &[
        "全体党员",
        "支部委员，必要时邀请党小组长列席",
        "全体党员和入党积极分子代表",
        "全体正式党员，预备党员列席",
        "支部委员和有关党员",
    ];
    pub(super) const DURATIONS: &[&str] = &["约60分钟", "约90分钟", "约2小时", "约150分钟", "半天"];

    /// Middle chapters of a regulation, in the order they would appear.
    pub(super) const CHAPTERS: &[&str] = &[
        "组织设置",
        "职责任务",
        "工作程序",
        "会议制度",
        "党员管理",
        "教育培训",
        "监督检查",
        "保障措施",
        "考核评价",
        "责任追究",
    ];

    // -- sentence templates ---------------------------------------------------

    /// Normative articles for a regulation's middle chapters.
    pub(super) const REG_ARTICLES: &[&str] = &[
        "党支部应当{adv}{act}，{goal}。",
        "{role}负责{act}，{helper}应当予以配合。",
        "{meeting}原则上{freq}，遇有重要情况可以临时召开。",
        "党支部应当在{time}{act}，并将{doc}报上级党组织备案。",
        "对{problem}的，上级党组织应当{penalty}。",
        "{role}未按规定履行职责、造成不良影响的，依规依纪追究责任。",
        "上级党组织应当{time}对{topic}工作进行检查，检查结果作为评先评优的重要依据。",
        "党支部开展{topic}工作所需经费，按照有关规定列支。",
        "{doc}应当由专人管理，保存期限不少于{n}年。",
        "党员有权对{topic}工作提出意见和建议，党支部应当认真研究并及时回应。",
        "支部委员会应当{time}听取{role}关于{topic}工作的情况汇报。",
        "{topic}工作应当与业务工作同谋划、同部署、同检查。",
        "党支部应当根据党员的年龄、岗位和身体状况，{adv}安排参加{topic}工作的方式。",
        "开展{topic}工作应当{adv}记录，做到时间、地点、人员、内容齐全。",
        "{meeting}到会人数不足规定要求的，应当改期召开。",
        "党支部应当建立{doc}，{adv}记录{topic}工作开展情况。",
        "{people}参加{topic}工作，党支部应当给予必要的帮助和便利。",
        "开展{topic}工作前，党支部应当制定计划，明确时间安排和责任分工。",
        "上级党组织应当加强对党支部书记的培训，提高其做好{topic}工作的能力。",
        "对在{topic}工作中表现突出的党支部和党员，可以按照有关规定予以表扬。",
    ];
    /// Articles short enough for regulations with many articles.
    pub(super) const REG_SHORT: &[&str] = &[
        "{act}应当做到程序规范。",
        "党支部应当{adv}{act}。",
        "{doc}应当及时归档。",
        "{role}应当带头{act}。",
        "{meeting}应当有完整记录。",
        "{act}情况应当向党员公开。",
        "党员应当{adv}参加{topic}工作。",
        "{doc}应当专人保管。",
        "{role}应当履职尽责。",
        "{meeting}应当按期召开。",
        "{people}应当积极参加{meeting}。",
        "{topic}工作实行{role}负责制。",
        "{doc}实行统一格式。",
        "{meeting}由支部书记召集。",
        "{people}的意见应当认真听取。",
        "{act}应当留有记录。",
        "{topic}工作接受党员监督。",
        "{role}因故不能履职的，由{helper}代为负责。",
        "{topic}工作情况应当定期通报。",
        "{meeting}的决定应当及时传达。",
        "党员应当遵守{topic}工作的各项要求。",
        "{doc}不得随意涂改。",
    ];
    /// Second sentences appended to an article when its budget allows.
    pub(super) const REG_FOLLOW: &[&str] = &[
        "具体办法由{issuer}另行制定。",
        "情况特殊的，经上级党组织同意可以适当调整。",
        "相关情况应当如实记录。",
        "党员对结果有异议的，可以按程序提出申诉。",
        "{helper}应当协助做好相关工作。",
        "有关材料应当在{d}个工作日内整理完毕。",
        "必要时可以邀请{people}代表列席。",
        "不得以其他会议代替。",
        "执行情况应当纳入年度考核。",
        "{role}对此负直接责任。",
    ];
    pub(super) const REG_ENUM_LEAD: &[&str] = &[
        "{topic}工作一般按照下列程序进行：",
        "{role}在{topic}工作中的主要职责是：",
        "有下列情形之一的，党支部应当及时研究处理：",
    ];

    pub(super) const BACKGROUND: &[&str] = &[
        "支部委员会由{n}名委员组成，支部书记由{post}兼任。",
        "该支部所在单位主要承担{duty}等任务，党员分散在{n}个班组和岗位，工作时间不统一，集中活动有一定难度。",
        "近年来，支部围绕{topic}工作做了一些探索，但在{year}年的{check}中也暴露出一些问题。",
        "支部党员中35岁以下的有{n}名，接受新事物快，但对党内规矩了解得不够系统。",
        "从党员结构看，{people}占比较高，日常联系和管理的任务比较重。",
        "上一届支委会任期内，支部{act}，打下了一定基础。",
        "支部现有入党积极分子{n}名、预备党员{n}名，发展党员工作有一定基础。",
        "支部活动阵地设在单位{venue}，配有必要的学习资料和设备。",
        "{year}年初支部书记作了调整，新任书记对{topic}工作还在熟悉过程中。",
        "支部党员多数从事{duty}工作，平时外出任务多，能够集中的时间主要在周末和晚上。",
        "上级党组织把该支部列为{topic}工作的联系点，每季度派员指导一次。",
        "群众对支部的总体评价较好，但也反映过{problem}等问题。",
    ];
    pub(super) const PROBLEM_DETAILS: &[&str] = &[
        "部分党员认为{excuse}，对{topic}工作重视不够。",
        "检查发现，{year}年的{doc}中有{n}处记录缺失或前后不一致。",
        "在座谈中，有党员坦言：“{quote}。”",
        "{role}对相关要求掌握不准，工作中存在凭经验办事的情况。",
        "上级党组织指出的问题，有{n}项在半年后仍未完全整改到位。",
        "支部虽然制定了制度，但执行中打了折扣，{doc}长期无人更新。",
        "抽查{n}名党员发现，多数人说不清本支部{topic}工作的基本要求。",
        "{meeting}的议题多由支部书记一人确定，党员事先并不知情。",
        "部分{people}长期游离于组织生活之外，支部对其情况掌握不全。",
        "{topic}问题清单虽已建立，但责任人和完成时限没有落实，整改进度无从考核。",
        "有的{doc}由一人事后补写，与实际情况出入较大。",
    ];
    pub(super) const MEASURE_TEXT: &[&str] = &[
        "支委会{time}专题研究{topic}工作，{measure}，明确{role}为第一责任人。",
        "针对{problem}的问题，支部{measure}，并{measure}。",
        "在此基础上，支部{act}，{goal}。",
        "为解决{people}参加活动难的问题，支部{measure}，{goal}。",
        "支部还注重发挥{people}的作用，{act}，带动身边党员共同参与。",
        "每次活动结束后，{role}都会对照{doc}逐项检查，发现遗漏及时补正。",
        "{role}带头{act}，{helper}分工负责，做到人人有事干、事事有人管。",
        "支部把{topic}工作细化为{n}个环节，每个环节明确标准、时限和责任人。",
        "对{problem}的问题，{role}逐一上门了解情况，找准原因后再拿措施。",
        "支部还与{place}社区党组织开展结对共建，共同{act}。",
        "在{meeting}上，支部安排{people}代表发言，让大家讲真话、讲实话。",
        "支部{period}开展一次“回头看”，对已完成的{topic}事项逐项核验，防止问题反弹。",
        "为方便{people}查阅，支部把{topic}工作的制度和流程汇编成册，发到每名党员手中。",
    ];
    pub(super) const RESULT_TEXT: &[&str] = &[
        "经过{months}个月的努力，{result}，{result}。",
        "{year}年，支部的{doc}在上级检查中全部达标，{result}。",
        "支部先后被评为{honor}，有关做法在{scope}范围内作了交流。",
        "党员们普遍反映，现在的{meeting}{improve}。",
        "与上一年相比，{result}，党员参会率提高到{pct}%。",
        "{year}年底的测评中，党员对支部班子的满意率为{pct}%，比上年提高了{n}个百分点。",
        "原先{problem}的情况已基本扭转，{result}。",
        "上级党组织在检查中对支部的做法给予肯定，{result}。",
        "这一轮工作结束后，支部新确定入党积极分子{n}名，{result}。",
    ];
    pub(super) const LESSONS: &[&str] = &[
        "抓好{topic}工作，关键在支部书记，要把责任扛在肩上、落到行动上。",
        "制度的生命力在于执行，{doc}不是摆设，要用起来、管起来。",
        "只有把问题查准、把原因找透，{topic}整改才能取得实效。",
        "把{topic}工作与业务工作结合起来，才能避免“两张皮”。",
        "要善于运用信息化手段，既方便{people}参与，又减轻基层负担。",
        "对{people}要多一些关心、少一些简单说教，工作才能做到心坎上。",
        "上级党组织的指导要常态化，不能只在{check}时才过问。",
        "{topic}工作要靠制度管人、按程序办事，不能凭感觉、靠经验。",
        "党员是支部工作的主体，多听{people}的意见，办法就会多起来。",
        "{topic}整改要防止“一阵风”，建立长效机制比一时见效更重要。",
        "基层党务工作者的能力建设要跟上，培训应当围绕{act}等实际操作展开。",
        "好的做法要及时总结固化，形成可复制的{topic}工作经验。",
    ];
    /// (before, after) the link in a sentence that cites another page.
    pub(super) const LINK_SENTENCES: &[(&str, &str)] = &[
        ("具体程序可对照", "执行。"),
        ("类似情况可参阅", "。"),
        ("有关要求详见", "。"),
        ("这一做法与", "中的要求相衔接。"),
        ("支部在学习", "时，结合自身实际作了细化。"),
    ];

    pub(super) const BEFORE_ITEMS: &[&str] = &[
        "提前{d}个工作日研究确定会议议题，报上级党组织审核",
        "{role}起草会议方案，明确主持人、记录人和议程",
        "通过{channel}通知参会人员，告知时间、地点和议题",
        "对照{doc}核对上次会议决议事项的落实情况",
        "围绕“{act}”收集党员意见建议",
        "开展会前谈心谈话，重点了解{people}的思想状况",
        "确认应到人数，登记请假人员并说明原因",
        "布置{venue}，检查投影、音响等设备",
        "为线上参会的{people}调试会议软件",
        "提前{d}天印发学习材料，提醒党员提前自学",
        "{role}审核发言材料，避免照搬照抄",
        "准备{doc}，检查填写是否完整",
    ];
    pub(super) const DURING_ITEMS: &[&str] = &[
        "主持人清点人数，宣布到会情况是否符合规定",
        "{role}通报上次会议决议事项的办理情况",
        "{role}围绕“{act}”作发言",
        "逐项讨论议题，充分听取{people}的意见",
        "需要表决的事项按规定程序表决，当场公布结果",
        "开展批评和自我批评，点问题要具体、提建议要中肯",
        "记录人如实记录发言要点、表决情况和会议决议，记入{doc}",
        "对党员提出的问题当场能回应的当场回应",
        "控制每人发言时间在{mins}分钟以内，确保议程按时完成",
        "主持人作会议小结，明确{topic}工作下一步要求",
        "{people}代表结合自身情况谈体会",
    ];
    pub(super) const AFTER_ITEMS: &[&str] = &[
        "{d}个工作日内整理会议记录，由主持人审阅签字",
        "将{meeting}决议分解为具体任务，明确责任人和完成时限",
        "向因故缺席的{people}传达会议内容，做好补课记录",
        "在{channel}公布需要公开的事项",
        "将{doc}归档，做到一会一档",
        "跟踪决议落实情况，在下次{meeting}上通报",
        "{d}个工作日内向上级党组织报送{meeting}情况",
        "梳理党员意见建议，形成{topic}问题清单",
        "{role}对会议组织情况进行复盘，提出改进意见",
        "更新{doc}中的相关内容",
    ];
    pub(super) const CHECKLIST_NOTES: &[&str] = &[
        "{meeting}应当严格按照规定程序进行，不得以{substitute}代替。",
        "会议记录应当使用统一的记录本，字迹清楚、要素齐全。",
        "因特殊情况不能按期召开的，应当向上级党组织说明原因并及时补开。",
        "涉及党员切身利益的事项，应当提前征求意见，会上充分讨论。",
        "对{problem}等常见问题，{role}要在会前逐项检查、提前纠正。",
        "{people}参加会议有困难的，可以采取线上方式参加，但应当做好签到和记录。",
        "清单所列事项可以结合支部实际增减，但程序性要求不得省略。",
        "会议议题一般不超过{n}项，防止议而不决。",
        "主持人应当提前熟悉议程，把握会议节奏。",
        "会议中形成的决议，应当在会议记录中写明表决结果。",
        "{doc}应当在会后及时整理，不得事后补记。",
        "本清单每年年初根据上级要求修订一次。",
    ];
    /// Answers in a checklist's 常见问题, two sentences each.
    pub(super) const CHECKLIST_ANSWERS: &[&str] = &[
        "应当{measure}，并由{role}跟踪落实。",
        "支部可以{act}，同时{measure}。",
        "先由{role}查明原因，再提交支委会研究，{goal}。",
        "建议对照{doc}逐项核查，发现问题及时纠正。",
        "可以邀请上级党组织派员指导，帮助支部{act}。",
        "对情节较重的，应当向上级党组织报告，{goal}。",
    ];
    pub(super) const CHECKLIST_MATERIALS: &[&str] = &[
        "会议通知",
        "签到表",
        "学习材料",
        "表决票",
        "会议记录本",
        "上次会议决议落实情况说明",
        "党员意见建议汇总",
    ];
}

// ---------------------------------------------------------------------------
// Filling templates
// ---------------------------------------------------------------------------

/// What a page's sentences are about; the slots read it.
struct Ctx<'a> {
    topic: &'static vocab::Topic,
    org: &'a str,
    meeting: &'static str,
    frequency: &'static str,
    year: i64,
    /// Short name of the regulation's type, as in 本办法 / 本细则.
    doctype: &'static str,
    scope: &'static str,
}

impl Ctx<'_> {
    fn for_page(page: &PagePlan, year: i64) -> Ctx<'_> {
        Ctx {
            topic: page.topic,
            org: &page.org,
            meeting: page.meeting.0,
            frequency: page.meeting.1,
            year,
            doctype: page.doctype.1,
            scope: page.scope,
        }
    }
}

/// Appends `template` to `out` with every `{slot}` filled.
fn fill_into(out: &mut String, template: &str, rng: &mut Rng, ctx: &Ctx) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').expect("unclosed {slot} in template");
        slot(out, &rest[open + 1..close], rng, ctx);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
}

fn fill(template: &str, rng: &mut Rng, ctx: &Ctx) -> String {
    let mut out = String::with_capacity(template.len() * 2);
    fill_into(&mut out, template, rng, ctx);
    out
}

/// Writes one slot's value. Phrases from the lists may hold slots of their
/// own (e.g. results quoting a percentage), so they are filled in turn.
fn slot(out: &mut String, name: &str, rng: &mut Rng, ctx: &Ctx) {
    use vocab::*;
    let phrase: &str = match name {
        "topic" => ctx.topic.name,
        "act" => rng.word(ctx.topic.acts),
        "problem" => rng.word(ctx.topic.problems),
        "meeting" => ctx.meeting,
        "freq" => ctx.frequency,
        "org" => ctx.org,
        "issuer" => ctx.org,
        "dt" => ctx.doctype,
        "adv" => rng.word(ADVS),
        "goal" => rng.word(GOALS),
        "time" => rng.word(TIMES),
        "role" => rng.word(ROLES),
        "helper" => rng.word(HELPERS),
        "people" => rng.word(PEOPLE),
        "doc" => rng.word(DOCS),
        "measure" => rng.word(MEASURES),
        "result" => rng.word(RESULTS),
        "principle" => rng.word(PRINCIPLES),
        "basis" => rng.word(BASES),
        "scope" => ctx.scope,
        "penalty" => rng.word(PENALTIES),
        "step" => rng.word(STEPS),
        "quote" => rng.word(QUOTES),
        "excuse" => rng.word(EXCUSES),
        "check" => rng.word(CHECKS),
        "duty" => rng.word(DUTIES),
        "post" => rng.word(POSTS),
        "honor" => rng.word(HONORS),
        "substitute" => rng.word(SUBSTITUTES),
        "improve" => rng.word(IMPROVES),
        "venue" => rng.word(VENUES),
        "channel" => rng.word(CHANNELS),
        "period" => rng.word(PERIODS),
        "place" => rng.word(PLACES),
        "n" => return push_number(out, rng.range(2, 9)),
        "d" => return push_number(out, rng.range(2, 7)),
        "pct" => return push_number(out, rng.range(85, 99)),
        "months" => return push_number(out, rng.range(2, 12)),
        "mins" => return push_number(out, 5 * rng.range(1, 3)),
        "year" => return push_number(out, ctx.year as usize),
        other => panic!("unknown slot {{{other}}}"),
    };
    fill_into(out, phrase, rng, ctx);
}

fn push_number(out: &mut String, n: usize) {
    write!(out, "{n}").expect("writing to a String cannot fail");
}

/// Deals a pool's templates in shuffled order and reshuffles only when all
/// have been used, so a page repeats a sentence pattern as late as possible.
struct Deck {
    pool: &'static [&'static str],
    order: Vec<usize>,
}

impl Deck {
    fn new(pool: &'static [&'static str]) -> Deck {
        Deck {
            pool,
            order: Vec::new(),
        }
    }

    fn draw(&mut self, rng: &mut Rng) -> &'static str {
        if self.order.is_empty() {
            self.order = rng.sample(self.pool.len(), self.pool.len());
        }
        self.pool[self.order.pop().expect("pools are not empty")]
    }
}

/// A paragraph of `count` sentences dealt from `deck`.
fn paragraph(rng: &mut Rng, ctx: &Ctx, deck: &mut Deck, count: usize) -> String {
    let mut out = String::new();
    for _ in 0..count {
        let template = deck.draw(rng);
        fill_into(&mut out, template, rng, ctx);
    }
    out
}

// ---------------------------------------------------------------------------
// Site plan
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Regulation,
    Checklist,
    Case,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Regulation => "regulation",
            Kind::Checklist => "checklist",
            Kind::Case => "case",
        }
    }

    /// Share of all pages, in percent (the rest are cases).
    fn share(self) -> usize {
        match self {
            Kind::Regulation => 20,
            Kind::Checklist => 30,
            Kind::Case => 50,
        }
    }
}

/// A section as designed: its title, kind and the topics its pages cover.
struct SectionSpec {
    title: &'static str,
    kind: Kind,
    topics: &'static [&'static str],
}

const SECTIONS: &[SectionSpec] = &[
    SectionSpec {
        title: "支部组织制度",
        kind: Kind::Regulation,
        topics: &["三会一课", "组织生活会", "换届选举"],
    },
    SectionSpec {
        title: "党员管理规定",
        kind: Kind::Regulation,
        topics: &["发展党员", "党费收缴", "组织关系转接", "流动党员管理"],
    },
    SectionSpec {
        title: "党内生活规范",
        kind: Kind::Regulation,
        topics: &["民主评议党员", "谈心谈话", "主题党日", "党员教育"],
    },
    SectionSpec {
        title: "监督与纪律规定",
        kind: Kind::Regulation,
        topics: &["廉洁纪律教育", "党务公开", "整改落实"],
    },
    SectionSpec {
        title: "三会一课工作清单",
        kind: Kind::Checklist,
        topics: &["三会一课"],
    },
    SectionSpec {
        title: "组织生活会工作清单",
        kind: Kind::Checklist,
        topics: &["组织生活会", "谈心谈话"],
    },
    SectionSpec {
        title: "主题党日活动清单",
        kind: Kind::Checklist,
        topics: &["主题党日", "党员志愿服务"],
    },
    SectionSpec {
        title: "发展党员工作清单",
        kind: Kind::Checklist,
        topics: &["发展党员"],
    },
    SectionSpec {
        title: "民主评议与换届清单",
        kind: Kind::Checklist,
        topics: &["民主评议党员", "换届选举"],
    },
    SectionSpec {
        title: "日常党务工作清单",
        kind: Kind::Checklist,
        topics: &["党费收缴", "党务公开", "党员教育", "整改落实"],
    },
    SectionSpec {
        title: "支部建设案例",
        kind: Kind::Case,
        topics: &["三会一课", "换届选举", "组织生活会"],
    },
    SectionSpec {
        title: "党员教育管理案例",
        kind: Kind::Case,
        topics: &["党员教育", "民主评议党员"],
    },
    SectionSpec {
        title: "问题整改案例",
        kind: Kind::Case,
        topics: &["整改落实", "组织生活会"],
    },
    SectionSpec {
        title: "党费管理案例",
        kind: Kind::Case,
        topics: &["党费收缴"],
    },
    SectionSpec {
        title: "谈心谈话案例",
        kind: Kind::Case,
        topics: &["谈心谈话"],
    },
    SectionSpec {
        title: "流动党员管理案例",
        kind: Kind::Case,
        topics: &["流动党员管理", "组织关系转接"],
    },
    SectionSpec {
        title: "基层治理案例",
        kind: Kind::Case,
        topics: &["基层治理", "党员志愿服务"],
    },
    SectionSpec {
        title: "发展党员案例",
        kind: Kind::Case,
        topics: &["发展党员"],
    },
    SectionSpec {
        title: "廉洁风险防控案例",
        kind: Kind::Case,
        topics: &["廉洁纪律教育"],
    },
    SectionSpec {
        title: "党务公开与主题党日案例",
        kind: Kind::Case,
        topics: &["党务公开", "主题党日"],
    },
];

struct Section {
    spec: &'static SectionSpec,
    /// Folder under `content/`, e.g. `sec-03`.
    dir: String,
    /// Indices of the section's pages in [`Site::pages`] (they are contiguous).
    pages: std::ops::Range<usize>,
}

/// Everything about a page that other pages (or its own text) must agree on.
struct PagePlan {
    number: usize,
    section: usize,
    kind: Kind,
    topic: &'static vocab::Topic,
    /// Content-relative path, e.g. `sec-03/page-00123.md`.
    path: String,
    title: String,
    /// The organisation a case or checklist is about, or a regulation's issuer.
    org: String,
    /// The meeting a checklist is for (name, frequency); other kinds mention it.
    meeting: (&'static str, &'static str),
    /// Regulations: the document type, full and short (实施办法, 办法).
    doctype: (&'static str, &'static str),
    /// Whom a regulation applies to; cases mention it as where they were shared.
    scope: &'static str,
    /// Regulations only: written in Traditional characters.
    traditional: bool,
}

struct Site {
    seed: u64,
    sections: Vec<Section>,
    pages: Vec<PagePlan>,
    /// Indices of the regulations in `pages`, for cases to cite.
    regulations: Vec<usize>,
}

/// Decides sections, page counts, paths, titles and organisations.
fn plan_site(pages: usize, seed: u64) -> Site {
    let mut rng = Rng::derive(seed, u64::MAX);
    let counts = section_counts(&mut rng, pages);
    let mut titles = std::collections::BTreeSet::new();
    let (mut sections, mut plans) = (Vec::new(), Vec::with_capacity(pages));
    for (index, spec) in SECTIONS.iter().enumerate() {
        let dir = format!("sec-{:02}", index + 1);
        let first = plans.len();
        for number in first + 1..=first + counts[index] {
            let page = plan_page(&mut rng, &mut titles, spec, index, &dir, number);
            plans.push(page);
        }
        let pages = first..plans.len();
        sections.push(Section { spec, dir, pages });
    }
    let regulations = (0..plans.len())
        .filter(|&i| plans[i].kind == Kind::Regulation)
        .collect();
    Site {
        seed,
        sections,
        pages: plans,
        regulations,
    }
}

/// Pages per section: each kind gets its share of `pages`, split over the
/// kind's sections with uneven random weights so sections differ in size.
fn section_counts(rng: &mut Rng, pages: usize) -> Vec<usize> {
    let regulations = pages * Kind::Regulation.share() / 100;
    let checklists = pages * Kind::Checklist.share() / 100;
    let mut counts = vec![0; SECTIONS.len()];
    for (kind, total) in [
        (Kind::Regulation, regulations),
        (Kind::Checklist, checklists),
        (Kind::Case, pages - regulations - checklists),
    ] {
        let members: Vec<usize> = (0..SECTIONS.len())
            .filter(|&i| SECTIONS[i].kind == kind)
            .collect();
        let weights: Vec<usize> = members.iter().map(|_| rng.range(2, 7)).collect();
        for (member, count) in members.iter().zip(apportion(total, &weights)) {
            counts[*member] = count;
        }
    }
    counts
}

/// Splits `total` in proportion to `weights` by largest remainder, so the
/// parts always add up to `total`.
fn apportion(total: usize, weights: &[usize]) -> Vec<usize> {
    let sum: usize = weights.iter().sum();
    let mut parts: Vec<usize> = weights.iter().map(|w| total * w / sum).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Ties go to the earlier index: a stable sort keeps this deterministic.
    order.sort_by_key(|&i| std::cmp::Reverse(total * weights[i] % sum));
    let missing = total - parts.iter().sum::<usize>();
    for &i in order.iter().take(missing) {
        parts[i] += 1;
    }
    parts
}

fn topic_named(name: &str) -> &'static vocab::Topic {
    vocab::TOPICS
        .iter()
        .find(|topic| topic.name == name)
        .unwrap_or_else(|| panic!("section names unknown topic {name}"))
}

fn plan_page(
    rng: &mut Rng,
    titles: &mut std::collections::BTreeSet<String>,
    spec: &SectionSpec,
    section: usize,
    dir: &str,
    number: usize,
) -> PagePlan {
    let kind = spec.kind;
    let topic = topic_named(rng.word(spec.topics));
    let traditional = kind == Kind::Regulation && rng.chance(15);
    let meeting = *rng.pick(topic.meetings);
    let doctype = *rng.pick(vocab::DOCTYPES);
    let scope = rng.word(vocab::SCOPES);
    let (org, mut title) = match kind {
        Kind::Regulation => regulation_title(rng, topic, doctype.0, scope),
        Kind::Checklist => {
            let org = organisation(rng);
            let title = checklist_title(rng, meeting.0, &org);
            (org, title)
        }
        Kind::Case => {
            let org = organisation(rng);
            let title = case_title(rng, topic, &org);
            (org, title)
        }
    };
    if traditional {
        title = to_traditional(&title);
    }
    PagePlan {
        number,
        section,
        kind,
        topic,
        path: format!("{dir}/page-{number:05}.md"),
        title: unique_title(titles, title, number),
        org,
        meeting,
        doctype,
        scope,
        traditional,
    }
}

/// Titles must be unique; a rare repeat gets the page number as a suffix.
fn unique_title(
    titles: &mut std::collections::BTreeSet<String>,
    title: String,
    number: usize,
) -> String {
    let title = if titles.contains(&title) {
        format!("{title}（{number}）")
    } else {
        title
    };
    titles.insert(title.clone());
    title
}

/// A branch name such as 清河街道望湖社区党支部 or 东湖市财政局机关第三党支部.
fn organisation(rng: &mut Rng) -> String {
    use vocab::*;
    let (a, b) = (rng.pick(PLACES), rng.pick(PLACES));
    let ordinal = chinese_number(rng.range(1, 9));
    match rng.below(5) {
        0 => format!("{a}街道{b}社区党支部"),
        1 => format!("{a}镇{b}村党支部"),
        2 => format!("{a}市{}机关第{ordinal}党支部", rng.pick(BUREAUS)),
        3 => format!("{a}{}{}党支部", rng.pick(COMPANIES), rng.pick(DEPTS)),
        _ => format!("{a}区{b}中学第{ordinal}党支部"),
    }
}

/// Returns (issuer, title) for a regulation.
fn regulation_title(
    rng: &mut Rng,
    topic: &vocab::Topic,
    doctype: &str,
    scope: &str,
) -> (String, String) {
    use vocab::*;
    let place = rng.pick(PLACES);
    let issuer = match rng.below(5) {
        0 => format!("{place}市委组织部"),
        1 => format!("{place}区委组织部"),
        2 => format!("{place}县委组织部"),
        3 => format!("{place}市直机关工委"),
        _ => format!("{place}{}党委", rng.pick(COMPANIES)),
    };
    let mut title = match rng.below(3) {
        0 => format!(
            "{issuer}关于{}{}工作的{doctype}",
            rng.pick(TITLE_VERBS),
            topic.name
        ),
        1 => format!("{issuer}基层党支部{}工作{doctype}", topic.name),
        _ => format!("{place}{scope}党支部{}工作{doctype}", topic.name),
    };
    if rng.chance(20) {
        title.push_str("（试行）");
    }
    (issuer, title)
}

fn checklist_title(rng: &mut Rng, meeting: &str, org: &str) -> String {
    match rng.below(3) {
        0 => format!("{org}{meeting}工作清单"),
        1 => format!("{org}召开{meeting}操作清单"),
        _ => format!("{org}{meeting}会前会中会后清单"),
    }
}

fn case_title(rng: &mut Rng, topic: &vocab::Topic, org: &str) -> String {
    let name = topic.name;
    match rng.below(5) {
        0 => format!("{org}{}的实践与思考", rng.pick(topic.acts)),
        1 => format!("{org}解决“{}”问题的做法", rng.pick(topic.problems)),
        2 => format!("从“{}”看{org}{name}工作的改进", rng.pick(topic.problems)),
        3 => format!("{org}推进{name}规范化的做法与启示"),
        _ => format!("{org}{name}工作案例"),
    }
}

// ---------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------

enum Value {
    Str(String),
    /// Written bare, so Hugo reads a date and zhiku a `YYYY-MM-DD` string.
    Date(Date),
    Int(usize),
    List(Vec<String>),
}

struct Field {
    key: &'static str,
    value: Value,
}

/// A generated page before it is rendered for a flavour.
struct Doc {
    fields: Vec<Field>,
    body: String,
}

fn field(key: &'static str, value: Value) -> Field {
    Field { key, value }
}

fn text(value: impl Into<String>) -> Value {
    Value::Str(value.into())
}

/// Builds one page from its own random stream.
fn generate_page(site: &Site, page: &PagePlan) -> Doc {
    let mut rng = Rng::derive(site.seed, page.number as u64);
    // The body aims at 3–5 KB per file once the front matter is added.
    let target = rng.range(2_700, 4_500);
    let mut doc = match page.kind {
        Kind::Regulation => regulation(&mut rng, page, target),
        Kind::Checklist => checklist(&mut rng, page, target),
        Kind::Case => case(&mut rng, site, page, target),
    };
    if page.traditional {
        // Only strings convert: tags (a list) stay Simplified, so each tag
        // keeps one listing whatever the script of the page.
        for field in &mut doc.fields {
            if let Value::Str(value) = &mut field.value {
                *value = to_traditional(value);
            }
        }
        doc.body = to_traditional(&doc.body);
    }
    doc
}

/// 1–4 tags: the topic's own, plus a few drawn with a bias towards the head
/// of the list, so some tags are common and others rare.
fn pick_tags(rng: &mut Rng, topic: &vocab::Topic) -> Vec<String> {
    let mut tags = vec![topic.tag.to_string()];
    for _ in 0..rng.range(0, 3) {
        let skewed = rng
            .below(vocab::TAGS.len())
            .min(rng.below(vocab::TAGS.len()));
        let tag = vocab::TAGS[skewed].to_string();
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

// -- regulations -------------------------------------------------------------

fn regulation(rng: &mut Rng, page: &PagePlan, target: usize) -> Doc {
    let issued = Date::random(rng, 2012, 2025);
    let effective = issued.plus_days(rng.range(0, 90));
    let status = *rng.pick(&[
        "current", "current", "current", "current", "amended", "repealed", "draft",
    ]);
    let ctx = Ctx::for_page(page, issued.year());
    let doctype = ctx.doctype;
    let summary = format!(
        "本{doctype}规定了{}党支部{}工作的职责分工、基本程序和监督检查要求。",
        page.scope, page.topic.name
    );
    let mut body = format!(
        "（{}{}印发　自{}起施行）\n\n",
        issued.chinese(),
        page.org,
        effective.chinese()
    );
    if status != "current" {
        body.push_str(&status_alert(status, doctype));
    }
    regulation_chapters(
        rng,
        &ctx,
        effective,
        target.saturating_sub(body.len()),
        &mut body,
    );
    Doc {
        fields: vec![
            field("title", text(&page.title)),
            field("kind", text("regulation")),
            field("issuer", text(&page.org)),
            field("issued", Value::Date(issued)),
            field("effective", Value::Date(effective)),
            field("status", text(status)),
            field("summary", text(summary)),
            field("tags", Value::List(pick_tags(rng, page.topic))),
        ],
        body,
    }
}

fn status_alert(status: &str, doctype: &str) -> String {
    let (kind, note) = match status {
        "amended" => (
            "NOTE",
            format!("本{doctype}已作修订，条文以修订后的文本为准。"),
        ),
        "repealed" => ("WARNING", format!("本{doctype}已废止，仅供学习查阅。")),
        _ => (
            "IMPORTANT",
            format!("本{doctype}为征求意见稿，尚未正式施行。"),
        ),
    };
    format!("> [!{kind}]\n> {note}\n\n")
}

/// Writes chapters of articles numbered 第一条 onwards; the first chapter is
/// 总则 and the last 附则, as in real regulations.
fn regulation_chapters(rng: &mut Rng, ctx: &Ctx, effective: Date, budget: usize, out: &mut String) {
    let articles = rng.range(20, 60);
    let sizes = chapter_sizes(rng, articles);
    let mut middle: Vec<usize> = rng.sample(vocab::CHAPTERS.len(), sizes.len() - 2);
    middle.sort_unstable();
    let headings = std::iter::once("总则")
        .chain(middle.into_iter().map(|i| vocab::CHAPTERS[i]))
        .chain(std::iter::once("附则"));
    let bold = rng.chance(50);
    // Bytes for each article's text once its label (~20 bytes) is paid for.
    let per_article = (budget / articles).saturating_sub(20);
    let mut decks = ArticleDecks::new();
    let mut number = 0;
    for (chapter, (heading, size)) in headings.zip(sizes.iter().copied()).enumerate() {
        writeln!(out, "## 第{}章 {heading}\n", chinese_number(chapter + 1)).expect("String write");
        for index in 0..size {
            number += 1;
            let label = format!("第{}条", chinese_number(number));
            if bold {
                write!(out, "**{label}** ").expect("String write");
            } else {
                write!(out, "{label}\u{3000}").expect("String write");
            }
            let text = if chapter == 0 {
                opening_article(rng, ctx, index)
            } else if chapter == sizes.len() - 1 {
                closing_article(rng, ctx, effective, index)
            } else {
                decks.article(rng, ctx, per_article)
            };
            out.push_str(&text);
            out.push_str("\n\n");
        }
    }
}

/// Articles per chapter: 3–4 in 总则, 3 in 附则, the rest spread unevenly
/// over 2–6 middle chapters.
fn chapter_sizes(rng: &mut Rng, articles: usize) -> Vec<usize> {
    let (opening, closing) = (rng.range(3, 4), 3);
    let weights: Vec<usize> = (0..rng.range(2, 6)).map(|_| rng.range(2, 5)).collect();
    let mut sizes = vec![opening];
    sizes.extend(apportion(articles - opening - closing, &weights));
    sizes.push(closing);
    sizes
}

fn opening_article(rng: &mut Rng, ctx: &Ctx, index: usize) -> String {
    let template = match index {
        0 => "为{goal}，{basis}，结合实际，制定本{dt}。",
        1 => "本{dt}适用于{scope}党支部。",
        2 => "{topic}工作应当坚持{principle}、{principle}的原则。",
        _ => "各级党组织应当把{topic}工作纳入党建工作总体安排，{adv}推进。",
    };
    fill(template, rng, ctx)
}

fn closing_article(rng: &mut Rng, ctx: &Ctx, effective: Date, index: usize) -> String {
    match index {
        0 => fill("各单位可以根据本{dt}，结合实际制定具体措施。", rng, ctx),
        1 => fill("本{dt}由{issuer}负责解释。", rng, ctx),
        _ => format!("本{}自{}起施行。", ctx.doctype, effective.chinese()),
    }
}

/// The decks an article draws from: full, short and follow-up sentences.
struct ArticleDecks {
    full: Deck,
    short: Deck,
    follow: Deck,
}

impl ArticleDecks {
    fn new() -> ArticleDecks {
        ArticleDecks {
            full: Deck::new(vocab::REG_ARTICLES),
            short: Deck::new(vocab::REG_SHORT),
            follow: Deck::new(vocab::REG_FOLLOW),
        }
    }

    /// One article of roughly `budget` bytes: regulations with many articles
    /// get short ones, few articles get follow-up sentences, and now and then
    /// an article lists items （一）（二）….
    fn article(&mut self, rng: &mut Rng, ctx: &Ctx, budget: usize) -> String {
        if budget >= 180 && rng.chance(15) {
            return enumerated_article(rng, ctx);
        }
        // Full articles run ~110 bytes and short ones ~45: mixing them in
        // proportion keeps long regulations near budget without one register.
        let full = budget.saturating_sub(45) * 100 / 65;
        let deck = if rng.below(100) < full {
            &mut self.full
        } else {
            &mut self.short
        };
        let template = deck.draw(rng);
        let mut text = fill(template, rng, ctx);
        while text.len() + 50 < budget {
            let template = self.follow.draw(rng);
            fill_into(&mut text, template, rng, ctx);
        }
        text
    }
}

fn enumerated_article(rng: &mut Rng, ctx: &Ctx) -> String {
    let mut text = fill(rng.word(vocab::REG_ENUM_LEAD), rng, ctx);
    let items = rng.range(3, 5);
    for (i, index) in rng
        .sample(vocab::STEPS.len(), items)
        .into_iter()
        .enumerate()
    {
        let end = if i + 1 == items { "。" } else { "；" };
        write!(
            text,
            "\n\n（{}）{}{end}",
            chinese_number(i + 1),
            vocab::STEPS[index]
        )
        .expect("String write");
    }
    text
}

// -- checklists --------------------------------------------------------------

fn checklist(rng: &mut Rng, page: &PagePlan, target: usize) -> Doc {
    let ctx = Ctx::for_page(page, 2024);
    let (meeting, frequency) = page.meeting;
    let mut body = fill(
        "本清单供{org}召开{meeting}时对照使用，按照会前、会中、会后三个阶段列出主要事项。{meeting}一般{freq}，由支部书记主持。\n\n",
        rng,
        &ctx,
    );
    if rng.chance(30) {
        body.push_str(&fill(
            "> [!TIP]\n> 每完成一项即勾选；{role}在会后核对全部事项。\n\n",
            rng,
            &ctx,
        ));
    }
    let mut items = 0;
    for (heading, pool) in [
        ("会前", vocab::BEFORE_ITEMS),
        ("会中", vocab::DURING_ITEMS),
        ("会后", vocab::AFTER_ITEMS),
    ] {
        items += checklist_phase(rng, &ctx, heading, pool, &mut body);
    }
    checklist_tail(rng, &ctx, target, &mut body);
    Doc {
        fields: vec![
            field("title", text(&page.title)),
            field("kind", text("checklist")),
            field("meeting", text(meeting)),
            field("frequency", text(frequency)),
            field("participants", text(*rng.pick(vocab::PARTICIPANTS))),
            field("duration", text(*rng.pick(vocab::DURATIONS))),
            field(
                "summary",
                text(format!("{meeting}会前、会中、会后共{items}项工作事项。")),
            ),
            field("tags", Value::List(pick_tags(rng, page.topic))),
        ],
        body,
    }
}

/// Writes one `## 会前`-style heading and its task list; returns the number
/// of top-level items. Before the meeting, one item nests the materials.
fn checklist_phase(
    rng: &mut Rng,
    ctx: &Ctx,
    heading: &str,
    pool: &[&str],
    out: &mut String,
) -> usize {
    writeln!(out, "## {heading}\n").expect("String write");
    let count = rng.range(7, pool.len());
    for index in rng.sample(pool.len(), count) {
        out.push_str("- [ ] ");
        fill_into(out, pool[index], rng, ctx);
        out.push('\n');
    }
    if heading == "会前" {
        out.push_str("- [ ] 准备会议材料：\n");
        let materials = vocab::CHECKLIST_MATERIALS;
        let count = rng.range(2, 4);
        for index in rng.sample(materials.len(), count) {
            writeln!(out, "  - [ ] {}", materials[index]).expect("String write");
        }
    }
    out.push('\n');
    count + usize::from(heading == "会前")
}

/// Closes a checklist with 3–5 notes, then questions and answers about the
/// topic's typical problems until the page reaches `target` bytes.
fn checklist_tail(rng: &mut Rng, ctx: &Ctx, target: usize, out: &mut String) {
    out.push_str("## 注意事项\n\n");
    let mut notes = Deck::new(vocab::CHECKLIST_NOTES);
    for _ in 0..rng.range(3, 5) {
        let template = notes.draw(rng);
        fill_into(out, template, rng, ctx);
        out.push_str("\n\n");
    }
    let problems = ctx.topic.problems;
    let mut answers = Deck::new(vocab::CHECKLIST_ANSWERS);
    let mut asked = rng.sample(problems.len(), problems.len()).into_iter();
    if out.len() < target {
        out.push_str("## 常见问题\n\n");
    }
    while out.len() < target {
        let Some(index) = asked.next() else { break };
        let answer = paragraph(rng, ctx, &mut answers, 2);
        write!(
            out,
            "**问：出现“{}”的情况怎么办？**\n\n答：{answer}\n\n",
            problems[index]
        )
        .expect("String write");
    }
}

// -- cases -------------------------------------------------------------------

/// A case body as headed parts, so paragraphs can be added where they fit
/// until the page reaches its target size.
struct Outline {
    parts: Vec<(&'static str, Vec<String>)>,
}

impl Outline {
    fn len(&self) -> usize {
        self.parts
            .iter()
            .map(|(heading, blocks)| {
                heading.len() + blocks.iter().map(|b| b.len() + 2).sum::<usize>()
            })
            .sum()
    }

    fn blocks(&mut self, heading: &str) -> &mut Vec<String> {
        let part = self.parts.iter_mut().find(|(h, _)| *h == heading);
        &mut part.expect("known heading").1
    }

    fn render(&self) -> String {
        let mut out = String::with_capacity(self.len() + 64);
        for (heading, blocks) in &self.parts {
            writeln!(out, "## {heading}\n").expect("String write");
            for block in blocks {
                out.push_str(block);
                out.push_str("\n\n");
            }
        }
        out
    }
}

const BACKGROUND: &str = "基本情况";
const PROBLEMS: &str = "存在的问题";
const MEASURES: &str = "主要做法";
const RESULTS: &str = "取得成效";
const LESSONS: &str = "经验启示";

/// One deck per part of a case, so its paragraphs vary across the page.
struct CaseDecks([(&'static str, Deck); 5]);

impl CaseDecks {
    fn new() -> CaseDecks {
        CaseDecks([
            (BACKGROUND, Deck::new(vocab::BACKGROUND)),
            (PROBLEMS, Deck::new(vocab::PROBLEM_DETAILS)),
            (MEASURES, Deck::new(vocab::MEASURE_TEXT)),
            (RESULTS, Deck::new(vocab::RESULT_TEXT)),
            (LESSONS, Deck::new(vocab::LESSONS)),
        ])
    }

    fn paragraph(&mut self, rng: &mut Rng, ctx: &Ctx, heading: &str, sentences: usize) -> String {
        let deck = &mut self
            .0
            .iter_mut()
            .find(|(h, _)| *h == heading)
            .expect("known heading")
            .1;
        paragraph(rng, ctx, deck, sentences)
    }
}

fn case(rng: &mut Rng, site: &Site, page: &PagePlan, target: usize) -> Doc {
    let date = Date::random(rng, 2016, 2025);
    let ctx = Ctx::for_page(page, date.year());
    let count = rng.range(2, 3);
    let problems: Vec<String> = rng
        .sample(page.topic.problems.len(), count)
        .into_iter()
        .map(|i| page.topic.problems[i].to_string())
        .collect();
    let summary = fill(
        &format!(
            "{{org}}针对{}的问题，{{measure}}，{{result}}。",
            problems[0]
        ),
        rng,
        &ctx,
    );
    // The front matter (problems, summary) and the 相关材料 list come on top.
    let target = target.saturating_sub(500);
    let mut decks = CaseDecks::new();
    let mut outline = case_outline(rng, &ctx, &mut decks, &problems);
    let links = link_targets(rng, site, page);
    case_extras(rng, &ctx, &mut outline);
    cite_links(rng, site, page, &links, &mut outline);
    // Measures carry most of a case, so they take most of the extra text.
    let fillers = [MEASURES, MEASURES, RESULTS, LESSONS, BACKGROUND];
    while outline.len() < target {
        let heading = *rng.pick(&fillers);
        let sentences = rng.range(2, 3);
        let block = decks.paragraph(rng, &ctx, heading, sentences);
        outline.blocks(heading).push(block);
    }
    let mut body = outline.render();
    related_list(site, page, &links, &mut body);
    Doc {
        fields: vec![
            field("title", text(&page.title)),
            field("kind", text("case")),
            field("date", Value::Date(date)),
            field("organisation", text(&page.org)),
            field("problems", Value::List(problems)),
            field("summary", text(summary)),
            field("tags", Value::List(pick_tags(rng, page.topic))),
        ],
        body,
    }
}

/// The skeleton of a case: situation, problems (一是…二是…), measures under
/// numbered subheadings, results and lessons.
fn case_outline(rng: &mut Rng, ctx: &Ctx, decks: &mut CaseDecks, problems: &[String]) -> Outline {
    let active = rng.range(8, 60);
    let retired = rng.range(1, 25);
    let groups = rng.range(2, 5);
    let mut background = format!(
        "{}现有党员{}名，其中在职党员{active}名、离退休党员{retired}名，下设{groups}个党小组。",
        ctx.org,
        active + retired
    );
    background.push_str(&decks.paragraph(rng, ctx, BACKGROUND, 2));
    let mut issues = String::new();
    for (i, problem) in problems.iter().enumerate() {
        let detail = decks.paragraph(rng, ctx, PROBLEMS, 1);
        write!(issues, "{}是{problem}。{detail}", chinese_number(i + 1)).expect("String write");
    }
    let mut measures = Vec::new();
    let count = rng.range(2, 3);
    for (i, index) in rng
        .sample(ctx.topic.acts.len(), count)
        .into_iter()
        .enumerate()
    {
        measures.push(format!(
            "### （{}）{}",
            chinese_number(i + 1),
            ctx.topic.acts[index]
        ));
        let sentences = rng.range(2, 3);
        measures.push(decks.paragraph(rng, ctx, MEASURES, sentences));
    }
    let mut lessons = vec![decks.paragraph(rng, ctx, LESSONS, 2)];
    if rng.chance(20) {
        lessons.push(format!(
            "> [!TIP]\n> {}",
            decks.paragraph(rng, ctx, LESSONS, 1)
        ));
    }
    Outline {
        parts: vec![
            (BACKGROUND, vec![background]),
            (PROBLEMS, vec![issues]),
            (MEASURES, measures),
            (RESULTS, vec![decks.paragraph(rng, ctx, RESULTS, 2)]),
            (LESSONS, lessons),
        ],
    }
}

/// Now and then a table (a rectification ledger or yearly figures) and a
/// fenced block (a meeting notice or a JSON export), as real cases carry.
fn case_extras(rng: &mut Rng, ctx: &Ctx, outline: &mut Outline) {
    if rng.chance(35) {
        let table = if rng.chance(50) {
            ledger_table(rng, ctx)
        } else {
            figures_table(rng, ctx)
        };
        outline.blocks(MEASURES).push(table);
    }
    if rng.chance(25) {
        let block = if rng.chance(50) {
            notice_block(rng, ctx)
        } else {
            json_block(rng, ctx)
        };
        outline.blocks(MEASURES).push(block);
    }
}

fn ledger_table(rng: &mut Rng, ctx: &Ctx) -> String {
    let mut out = String::from(
        "| 序号 | 问题表现 | 整改措施 | 责任人 | 完成时限 |\n| --- | --- | --- | --- | --- |\n",
    );
    let deadline = Date::from_ymd(ctx.year, 1, 1);
    for row in 1..=rng.range(3, 5) {
        let line = fill("{problem} | {measure} | {role} | ", rng, ctx);
        let due = deadline.plus_days(rng.range(30, 330)).iso();
        writeln!(out, "| {row} | {line}{due} |").expect("String write");
    }
    out.pop();
    out
}

fn figures_table(rng: &mut Rng, ctx: &Ctx) -> String {
    let mut out = String::from(
        "| 年度 | 党员人数 | 组织生活参会率 | 整改完成率 |\n| ---: | ---: | ---: | ---: |\n",
    );
    let mut members = rng.range(10, 60);
    for year in ctx.year - 2..=ctx.year {
        let (attendance, done) = (rng.range(70, 99), rng.range(60, 100));
        writeln!(out, "| {year} | {members} | {attendance}% | {done}% |").expect("String write");
        members += rng.range(0, 3);
    }
    out.pop();
    out
}

fn notice_block(rng: &mut Rng, ctx: &Ctx) -> String {
    let day = Date::from_ymd(ctx.year, 1, 1).plus_days(rng.range(10, 350));
    let hour = rng.range(8, 16);
    let venue = rng.word(vocab::VENUES);
    let acts: Vec<&str> = rng
        .sample(ctx.topic.acts.len(), 2)
        .into_iter()
        .map(|i| ctx.topic.acts[i])
        .collect();
    format!(
        "会议通知格式如下：\n\n```text\n会议通知\n各位党员：\n    定于{}{hour}:30在{venue}召开{}，议题如下：\n    一、{}\n    二、{}\n    请按时参加，因故不能参加的请提前向支部书记请假。\n{}\n```",
        day.chinese(),
        ctx.meeting,
        acts[0],
        acts[1],
        ctx.org
    )
}

fn json_block(rng: &mut Rng, ctx: &Ctx) -> String {
    let members = rng.range(10, 60);
    let attended = members - rng.range(0, members / 4);
    let problems: Vec<String> = rng
        .sample(ctx.topic.problems.len(), 2)
        .into_iter()
        .map(|i| format!("\"{}\"", ctx.topic.problems[i]))
        .collect();
    format!(
        "支部上报的统计数据如下：\n\n```json\n{{\n  \"branch\": \"{}\",\n  \"year\": {},\n  \"members\": {members},\n  \"attended\": {attended},\n  \"problems\": [{}],\n  \"rectified\": {}\n}}\n```",
        ctx.org,
        ctx.year,
        problems.join(", "),
        rng.chance(70)
    )
}

/// 1–4 other pages to cite: one from the same section, one regulation when
/// any exists (cases usually cite rules), the rest anywhere; never itself.
fn link_targets(rng: &mut Rng, site: &Site, page: &PagePlan) -> Vec<usize> {
    let all = site.pages.len();
    let same = site.sections[page.section].pages.clone();
    let mut candidates = vec![same.start + rng.below(same.len())];
    if !site.regulations.is_empty() {
        candidates.push(*rng.pick(&site.regulations));
    }
    for _ in 0..rng.range(1, 2) {
        candidates.push(rng.below(all));
    }
    let mut targets = Vec::new();
    for index in candidates {
        if index + 1 != page.number && !targets.contains(&index) {
            targets.push(index);
        }
    }
    targets
}

/// Cites up to two targets in passing, at the end of prose paragraphs of the
/// measures and lessons; every target is listed again under 相关材料.
fn cite_links(rng: &mut Rng, site: &Site, page: &PagePlan, links: &[usize], outline: &mut Outline) {
    for (&target, heading) in links.iter().zip([MEASURES, LESSONS]) {
        let target = &site.pages[target];
        let (before, after) = rng.pick(vocab::LINK_SENTENCES);
        let sentence = format!(
            "{before}[{}]({}){after}",
            target.title,
            relative_link(&page.path, &target.path)
        );
        let blocks = outline.blocks(heading);
        match blocks.iter_mut().rev().find(|block| is_prose(block)) {
            Some(block) => block.push_str(&sentence),
            None => blocks.push(sentence),
        }
    }
}

/// Headings, tables, alerts and code blocks must not get a sentence glued on.
fn is_prose(block: &str) -> bool {
    !(block.starts_with(['#', '|', '>']) || block.contains("```"))
}

fn related_list(site: &Site, page: &PagePlan, links: &[usize], out: &mut String) {
    if links.is_empty() {
        return;
    }
    out.push_str("## 相关材料\n\n");
    for &target in links {
        let target = &site.pages[target];
        writeln!(
            out,
            "- [{}]({})",
            target.title,
            relative_link(&page.path, &target.path)
        )
        .expect("String write");
    }
}

/// The link from the file at `from` to the file at `to`, both relative to
/// `content/`: climb out of `from`'s folders that `to` does not share, then
/// descend. `sec-01/a.md` → `sec-03/b.md` gives `../sec-03/b.md`.
fn relative_link(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from
        .split('/')
        .collect::<Vec<_>>()
        .split_last()
        .map_or(vec![], |(_, d)| d.to_vec());
    let to_parts: Vec<&str> = to.split('/').collect();
    let to_dirs = &to_parts[..to_parts.len() - 1];
    let shared = from_dirs
        .iter()
        .zip(to_dirs)
        .take_while(|(a, b)| a == b)
        .count();
    let mut link = "../".repeat(from_dirs.len() - shared);
    link.push_str(&to_parts[shared..].join("/"));
    link
}

// ---------------------------------------------------------------------------
// Traditional characters
// ---------------------------------------------------------------------------

/// Simplified → Traditional pairs (each two characters: simplified, then
/// traditional) for the characters of this generator's own vocabulary. It is
/// not a general converter: a character with several Traditional forms gets
/// the one our phrases need, and anything else passes unchanged.
const TRADITIONAL_PAIRS: &str = "\
与與专專业業东東两兩严嚴个個临臨为為举舉么麼乐樂习習乡鄉书書于於云雲产產仅僅从從\
们們价價众眾优優会會传傳体體储儲党黨关關兴興养養内內册冊写寫农農决決况況准準减減\
凭憑划劃则則创創办辦务務动動区區医醫华華协協单單占佔卫衛县縣参參发發台臺号號后後\
听聽启啟员員响響团團园園围圍图圖场場坚堅垒壘处處备備复復够夠头頭学學实實审審对對\
导導将將尽盡层層届屆岁歲岗崗岭嶺带帶帮幫干幹并並广廣库庫应應废廢开開异異张張弹彈\
强強归歸当當录錄征徵态態总總愿願战戰户戶执執扬揚护護报報担擔拟擬挥揮换換据據摆擺\
数數斗鬥断斷无無时時显顯暂暫术術机機权權条條来來极極构構枫楓标標栏欄档檔桥橋检檢\
楼樓毕畢气氣汇匯没沒洁潔测測涂塗渐漸温溫满滿滨濱点點热熱状狀环環现現电電畅暢疗療\
监監盖蓋盘盤础礎确確碍礙离離种種积積签簽简簡类類粮糧紧緊纠糾红紅约約级級纪紀纳納\
纷紛线線组組细細织織绍紹经經结結绕繞给給统統续續维維综綜编編缴繳网網职職联聯脱脫\
节節范範荐薦营營虚虛虽雖衔銜补補见見观觀规規视視览覽觉覺计計订訂认認讨討让讓训訓\
议議记記讲講论論设設访訪证證评評识識诉訴词詞试試诚誠话話该該详詳语語误誤说說请請\
诺諾读讀课課谁誰调調谈談谋謀负負财財责責账賬质質费費资資赶趕践踐踪蹤车車转轉轮輪\
软軟轻輕较較输輸边邊达達过過运運还還这這进進连連迹跡适適选選遗遺酝醞酿釀采採释釋\
针針钟鐘销銷锋鋒键鍵镇鎮长長门門问問间間阅閱队隊阵陣阶階际際险險随隨难難页頁项項\
顺順顾顧预預领領题題风風馈饋验驗齐齊龄齡";

/// Words whose characters convert differently by context (系 is 係 in 关系
/// but 繫 in 联系), replaced before the character pass.
const TRADITIONAL_WORDS: &[(&str, &str)] = &[
    ("关系", "關係"),
    ("联系", "聯繫"),
    ("汇报", "彙報"),
    ("汇编", "彙編"),
    ("汇总", "彙總"),
    ("复制", "複製"),
    ("反复", "反覆"),
];

fn to_traditional(text: &str) -> String {
    let mut text = text.to_string();
    for (simplified, traditional) in TRADITIONAL_WORDS {
        if text.contains(simplified) {
            text = text.replace(simplified, traditional);
        }
    }
    let table = traditional_table();
    let convert = |c: char| match table.binary_search_by_key(&c, |&(simplified, _)| simplified) {
        Ok(index) => table[index].1,
        Err(_) => c,
    };
    text.chars().map(convert).collect()
}

/// [`TRADITIONAL_PAIRS`] as a sorted table, built once.
fn traditional_table() -> &'static [(char, char)] {
    static TABLE: std::sync::OnceLock<Vec<(char, char)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let chars: Vec<char> = TRADITIONAL_PAIRS
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let mut pairs: Vec<(char, char)> = chars.chunks(2).map(|pair| (pair[0], pair[1])).collect();
        pairs.sort_unstable();
        pairs
    })
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

/// Bytes of Markdown written for one flavour (the first one written).
#[derive(Default)]
struct Stats {
    markdown_bytes: usize,
    page_bytes: usize,
}

impl Stats {
    fn summary(&self, site: &Site, args: &Args, started: Instant) -> String {
        let count = |kind| site.pages.iter().filter(|p| p.kind == kind).count();
        format!(
            "gen_corpus: {} pages ({} regulations, {} checklists, {} cases) in {} sections; \
             {} bytes of Markdown per flavour, {} bytes per page on average; {:.2} s -> {}",
            site.pages.len(),
            count(Kind::Regulation),
            count(Kind::Checklist),
            count(Kind::Case),
            site.sections.len(),
            self.markdown_bytes,
            self.page_bytes / site.pages.len().max(1),
            started.elapsed().as_secs_f64(),
            args.out.display()
        )
    }
}

/// Writes every requested flavour. Each page is generated once and rendered
/// per flavour, so both sites carry the same text.
fn write_site(site: &Site, args: &Args) -> Result<Stats, String> {
    ensure_empty(&args.out)?;
    let roots: Vec<(Flavour, PathBuf)> = args
        .flavour
        .targets()
        .iter()
        .map(|&(flavour, sub)| (flavour, args.out.join(sub)))
        .collect();
    let mut stats = Stats::default();
    for (i, (flavour, root)) in roots.iter().enumerate() {
        let bytes = write_skeleton(site, *flavour, root)?;
        if i == 0 {
            stats.markdown_bytes += bytes;
        }
    }
    for page in &site.pages {
        let doc = generate_page(site, page);
        for (i, (flavour, root)) in roots.iter().enumerate() {
            let markdown = render(&doc.fields, &doc.body, *flavour);
            write_file(&root.join("content").join(&page.path), &markdown)?;
            if i == 0 {
                stats.markdown_bytes += markdown.len();
                stats.page_bytes += markdown.len();
            }
        }
    }
    Ok(stats)
}

/// Refuses to write into a folder with files in it: stale pages from an
/// earlier, larger run would silently join the benchmark.
fn ensure_empty(dir: &Path) -> Result<(), String> {
    let has_entries = match fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_some(),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => false,
        Err(error) => return Err(format!("cannot read {}: {error}", dir.display())),
    };
    if has_entries {
        return Err(format!(
            "{} is not empty; remove it or choose another --out",
            dir.display()
        ));
    }
    Ok(())
}

fn write_file(path: &Path, contents: &str) -> Result<(), String> {
    fs::write(path, contents).map_err(|error| format!("cannot write {}: {error}", path.display()))
}

fn create_dir(path: &Path) -> Result<(), String> {
    fs::create_dir_all(path).map_err(|error| format!("cannot create {}: {error}", path.display()))
}

/// Writes the configuration, the layouts (Hugo) and every `_index.md`;
/// returns the bytes of Markdown written.
fn write_skeleton(site: &Site, flavour: Flavour, root: &Path) -> Result<usize, String> {
    let content = root.join("content");
    for section in &site.sections {
        create_dir(&content.join(&section.dir))?;
    }
    match flavour {
        Flavour::Zhiku => write_file(&root.join("site.toml"), &zhiku_config(site))?,
        _ => write_hugo_files(site, root)?,
    }
    let mut indexes = vec![(content.join("_index.md"), home_index(site))];
    for (i, section) in site.sections.iter().enumerate() {
        indexes.push((
            content.join(&section.dir).join("_index.md"),
            section_index(site, i),
        ));
    }
    let mut bytes = 0;
    for (path, (fields, body)) in indexes {
        let markdown = render(&fields, &body, flavour);
        bytes += markdown.len();
        write_file(&path, &markdown)?;
    }
    Ok(bytes)
}

const SITE_TITLE: &str = "党支部工作培训知识库";

fn site_description(site: &Site) -> String {
    format!(
        "基准测试用合成语料：{}篇，随机种子{}。收录制度规定、工作清单和典型案例，内容为虚构。",
        site.pages.len(),
        site.seed
    )
}

fn zhiku_config(site: &Site) -> String {
    format!(
        "title = {}\ndescription = {}\nlanguage = \"zh-CN\"\n",
        quote(SITE_TITLE),
        quote(&site_description(site))
    )
}

fn home_index(site: &Site) -> (Vec<Field>, String) {
    let fields = vec![
        field("title", text(SITE_TITLE)),
        field("description", text(site_description(site))),
    ];
    let body = "本知库汇集党支部日常工作中常用的制度规定、会议工作清单和基层典型案例，\
                供支部书记、支部委员和党务工作者学习查阅。各栏目按内容类型分列，\
                页面之间相互引用，便于对照学习。\n"
        .to_string();
    (fields, body)
}

/// A section's `_index.md`: its title, weight, the default kind of its pages
/// and a short introduction naming its topics.
fn section_index(site: &Site, index: usize) -> (Vec<Field>, String) {
    let spec = site.sections[index].spec;
    // Streams below u64::MAX (the plan's) and far above any page number.
    let mut rng = Rng::derive(site.seed, u64::MAX - 1 - index as u64);
    let (what, layout) = match spec.kind {
        Kind::Regulation => (
            "党支部工作方面的制度规定",
            "各项制度按发布机关和施行日期编排，已修订、已废止和征求意见稿在页首注明。",
        ),
        Kind::Checklist => (
            "党支部常用会议和活动的工作清单",
            "各清单按会前、会中、会后列出事项，可在页面上逐项勾选。",
        ),
        Kind::Case => (
            "基层党支部工作中的典型案例",
            "各案例按基本情况、存在的问题、主要做法、取得成效、经验启示的顺序编写，文末列出相关材料。",
        ),
    };
    let pages = site.sections[index].pages.len();
    let fields = vec![
        field("title", text(spec.title)),
        field("description", text(format!("收录{what}，共{pages}篇。"))),
        field("weight", Value::Int(index + 1)),
        field("page_kind", text(spec.kind.name())),
    ];
    let body = format!(
        "本栏目收录{what}，主要涉及{}等方面。阅读时可结合本支部实际，{}。\n\n{layout}\n",
        spec.topics.join("、"),
        rng.word(vocab::GOALS)
    );
    (fields, body)
}

// -- front matter -------------------------------------------------------------

/// Keys Hugo understands at the top level; everything else is zhiku's own
/// and goes under `params:` in the Hugo flavour.
const HUGO_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "weight",
    "tags",
    "summary",
    "draft",
];

/// A page as Markdown with YAML front matter for the given flavour.
fn render(fields: &[Field], body: &str, flavour: Flavour) -> String {
    let mut out = String::with_capacity(body.len() + 512);
    out.push_str("---\n");
    let hugo = flavour == Flavour::Hugo;
    for field in fields
        .iter()
        .filter(|f| !hugo || HUGO_KEYS.contains(&f.key))
    {
        write_field(&mut out, "", field);
    }
    if hugo && fields.iter().any(|f| !HUGO_KEYS.contains(&f.key)) {
        out.push_str("params:\n");
        for field in fields.iter().filter(|f| !HUGO_KEYS.contains(&f.key)) {
            write_field(&mut out, "  ", field);
        }
    }
    out.push_str("---\n\n");
    out.push_str(body);
    out
}

fn write_field(out: &mut String, indent: &str, field: &Field) {
    let key = field.key;
    let written = match &field.value {
        Value::Str(value) => writeln!(out, "{indent}{key}: {}", quote(value)),
        Value::Date(date) => writeln!(out, "{indent}{key}: {}", date.iso()),
        Value::Int(value) => writeln!(out, "{indent}{key}: {value}"),
        Value::List(items) => writeln!(out, "{indent}{key}:").and_then(|()| {
            items
                .iter()
                .try_for_each(|item| writeln!(out, "{indent}  - {}", quote(item)))
        }),
    };
    written.expect("String write");
}

/// A double-quoted string, valid both as YAML and as TOML basic string.
fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

// -- Hugo ---------------------------------------------------------------------

fn write_hugo_files(site: &Site, root: &Path) -> Result<(), String> {
    let config = format!(
        "baseURL = \"/\"\n\
         title = {}\n\
         # Hugo 0.158 renamed `languageCode` to `locale`.\n\
         locale = \"zh-CN\"\n\
         # Word counts and automatic summaries treat Chinese text as words.\n\
         hasCJKLanguage = true\n\
         relativeURLs = true\n\
         disableKinds = [\"taxonomy\", \"term\", \"rss\", \"sitemap\", \"robotsTXT\", \"404\"]\n\
         \n\
         [params]\n\
         description = {}\n\
         \n\
         [markup.goldmark.renderer]\n\
         unsafe = false\n",
        quote(SITE_TITLE),
        quote(&site_description(site))
    );
    write_file(&root.join("hugo.toml"), &config)?;
    let layouts = root.join("layouts");
    create_dir(&layouts.join("_default").join("_markup"))?;
    for (path, contents) in HUGO_LAYOUTS {
        write_file(&layouts.join(path), contents)?;
    }
    Ok(())
}

/// Minimal layouts, no theme: title, content, and a list of child pages.
const HUGO_LAYOUTS: &[(&str, &str)] = &[
    (
        "_default/baseof.html",
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{{ .Title }} · {{ .Site.Title }}</title>\n</head>\n<body>\n\
         {{ block \"main\" . }}{{ end }}\n</body>\n</html>\n",
    ),
    (
        "_default/single.html",
        "{{ define \"main\" }}\n<article>\n<h1>{{ .Title }}</h1>\n{{ .Content }}\n</article>\n{{ end }}\n",
    ),
    (
        "_default/list.html",
        "{{ define \"main\" }}\n<h1>{{ .Title }}</h1>\n{{ .Content }}\n<ul>\n\
         {{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>\n{{ end }}\
         </ul>\n{{ end }}\n",
    ),
    (
        "index.html",
        "{{ define \"main\" }}\n<h1>{{ .Site.Title }}</h1>\n{{ .Content }}\n<ul>\n\
         {{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>\n{{ end }}\
         </ul>\n{{ end }}\n",
    ),
    // Links between pages point at the .md files, as in the zhiku flavour;
    // this hook passes them through untouched so both sites do the same work.
    (
        "_default/_markup/render-link.html",
        // Resolves `.md` links to the target page, as zhiku does, so that
        // both generators do the same work (and fail on a broken link).
        "{{- $href := .Destination -}}\n\
         {{- $u := urls.Parse .Destination -}}\n\
         {{- if and (not $u.IsAbs) (strings.HasSuffix $u.Path \".md\") -}}\n\
         {{- with .PageInner.GetPage $u.Path -}}{{- $href = .RelPermalink -}}\
         {{- else -}}{{- errorf \"broken link %q\" $u.Path -}}{{- end -}}\n\
         {{- end -}}\n\
         <a href=\"{{ $href | safeURL }}\"{{ with .Title }} title=\"{{ . }}\"{{ end }}>{{ .Text }}</a>\n\
         {{- /* keep the template from adding whitespace after the link */ -}}\n",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Args, CliError> {
        parse_args(list.iter().map(|s| s.to_string()))
    }

    #[test]
    fn can_parse_arguments() {
        let parsed = args(&[
            "--pages",
            "10",
            "--seed=7",
            "--out",
            "x",
            "--flavour",
            "hugo",
        ])
        .unwrap();
        assert_eq!(
            (parsed.pages, parsed.seed, parsed.flavour),
            (10, 7, Flavour::Hugo)
        );
        assert_eq!(
            args(&["--pages", "1", "--seed", "0", "--out", "x"])
                .unwrap()
                .flavour,
            Flavour::Both
        );
        assert_eq!(args(&["--out", "x", "--help"]).unwrap_err(), CliError::Help);
    }

    #[test]
    fn rejects_bad_arguments() {
        for bad in [
            &["--seed", "1", "--out", "x"][..],
            &["--pages", "0", "--seed", "1", "--out", "x"],
            &["--pages", "-3", "--seed", "1", "--out", "x"],
            &[
                "--pages",
                "3",
                "--seed",
                "1",
                "--out",
                "x",
                "--flavour",
                "jekyll",
            ],
            &["--pages", "3", "--seed", "1", "--out"],
            &[
                "--pages",
                "3",
                "--seed",
                "1",
                "--out",
                "x",
                "--verbose",
                "1",
            ],
        ] {
            assert!(matches!(args(bad), Err(CliError::Usage(_))), "{bad:?}");
        }
    }

    #[test]
    fn can_write_chinese_numerals() {
        for (n, text) in [
            (1, "一"),
            (10, "十"),
            (15, "十五"),
            (20, "二十"),
            (21, "二十一"),
            (60, "六十"),
            (100, "一百"),
            (101, "一百零一"),
            (110, "一百一十"),
            (120, "一百二十"),
            (1001, "一千零一"),
            (1010, "一千零一十"),
            (2305, "二千三百零五"),
        ] {
            assert_eq!(chinese_number(n), text);
        }
    }

    #[test]
    fn dates_round_trip() {
        for (y, m, d) in [(1970, 1, 1), (2000, 2, 29), (2024, 12, 31), (2016, 3, 1)] {
            assert_eq!(Date::from_ymd(y, m, d).ymd(), (y, m, d));
        }
        assert_eq!(Date::from_ymd(2024, 2, 28).plus_days(1).iso(), "2024-02-29");
        assert_eq!(Date::from_ymd(2021, 3, 1).chinese(), "2021年3月1日");
    }

    #[test]
    fn can_link_between_folders() {
        assert_eq!(relative_link("sec-01/a.md", "sec-01/b.md"), "b.md");
        assert_eq!(
            relative_link("sec-01/a.md", "sec-03/b.md"),
            "../sec-03/b.md"
        );
        assert_eq!(relative_link("a.md", "sec-03/b.md"), "sec-03/b.md");
        assert_eq!(relative_link("x/y/a.md", "x/z/b.md"), "../z/b.md");
    }

    #[test]
    fn apportion_keeps_the_total() {
        assert_eq!(apportion(10, &[1, 1, 1]), vec![4, 3, 3]);
        assert_eq!(apportion(0, &[2, 5]), vec![0, 0]);
        assert_eq!(apportion(7, &[3, 4]).iter().sum::<usize>(), 7);
    }

    /// Every template, filled for every topic, leaves no `{slot}` behind.
    #[test]
    fn every_template_fills() {
        use vocab::*;
        let pools: &[&[&str]] = &[
            REG_ARTICLES,
            REG_SHORT,
            REG_FOLLOW,
            REG_ENUM_LEAD,
            BACKGROUND,
            PROBLEM_DETAILS,
            MEASURE_TEXT,
            RESULT_TEXT,
            LESSONS,
            BEFORE_ITEMS,
            DURING_ITEMS,
            AFTER_ITEMS,
            CHECKLIST_NOTES,
            CHECKLIST_ANSWERS,
            RESULTS,
            GOALS,
        ];
        let mut rng = Rng::derive(1, 1);
        for topic in TOPICS {
            let ctx = Ctx {
                topic,
                org: "某党支部",
                meeting: topic.meetings[0].0,
                frequency: topic.meetings[0].1,
                year: 2020,
                doctype: "办法",
                scope: SCOPES[0],
            };
            for template in pools.iter().flat_map(|pool| pool.iter()) {
                let text = fill(template, &mut rng, &ctx);
                assert!(!text.contains(['{', '}']), "{template} -> {text}");
            }
        }
    }

    #[test]
    fn sections_name_known_topics_and_topics_known_tags() {
        for spec in SECTIONS {
            spec.topics.iter().for_each(|name| _ = topic_named(name));
        }
        for topic in vocab::TOPICS {
            assert!(vocab::TAGS.contains(&topic.tag), "{}", topic.tag);
        }
    }

    #[test]
    fn shares_follow_the_kinds() {
        let site = plan_site(1000, 3);
        let count = |kind| site.pages.iter().filter(|p| p.kind == kind).count();
        assert_eq!(
            (
                count(Kind::Regulation),
                count(Kind::Checklist),
                count(Kind::Case)
            ),
            (200, 300, 500)
        );
        let titles: std::collections::BTreeSet<_> = site.pages.iter().map(|p| &p.title).collect();
        assert_eq!(titles.len(), 1000, "titles are unique");
    }

    /// A page depends only on the seed and its number, not on what was
    /// generated before it.
    #[test]
    fn pages_do_not_depend_on_order() {
        let site = plan_site(60, 9);
        let forward: Vec<String> = site
            .pages
            .iter()
            .map(|p| generate_page(&site, p).body)
            .collect();
        let mut backward: Vec<String> = site
            .pages
            .iter()
            .rev()
            .map(|p| generate_page(&site, p).body)
            .collect();
        backward.reverse();
        assert_eq!(forward, backward);
    }

    #[test]
    fn front_matter_uses_known_keys() {
        const KNOWN: &[&str] = &[
            "title",
            "date",
            "weight",
            "draft",
            "tags",
            "summary",
            "slug",
            "kind",
            "issuer",
            "issued",
            "effective",
            "status",
            "meeting",
            "frequency",
            "participants",
            "duration",
            "organisation",
            "problems",
        ];
        let site = plan_site(200, 4);
        for page in &site.pages {
            for field in generate_page(&site, page).fields {
                assert!(KNOWN.contains(&field.key), "{}", field.key);
            }
        }
    }

    #[test]
    fn links_point_at_existing_pages() {
        let site = plan_site(300, 5);
        let paths: std::collections::BTreeSet<&str> =
            site.pages.iter().map(|p| p.path.as_str()).collect();
        let mut seen = 0;
        for page in site.pages.iter().filter(|p| p.kind == Kind::Case) {
            let body = generate_page(&site, page).body;
            for (_, rest) in body.match_indices("](").map(|(i, _)| body.split_at(i + 2)) {
                let link = &rest[..rest.find(')').unwrap()];
                let dir = page.path.rsplit_once('/').unwrap().0;
                let target = match link.strip_prefix("../") {
                    Some(other) => other.to_string(),
                    None => format!("{dir}/{link}"),
                };
                assert!(
                    !link.contains('#') && paths.contains(target.as_str()),
                    "{link}"
                );
                seen += 1;
            }
        }
        assert!(seen > 300);
    }

    #[test]
    fn tiny_sites_generate() {
        for pages in 1..25 {
            let site = plan_site(pages, pages as u64);
            for page in &site.pages {
                generate_page(&site, page);
            }
        }
    }

    #[test]
    fn converts_to_traditional() {
        assert_eq!(
            to_traditional("党员联系人和组织关系"),
            "黨員聯繫人和組織關係"
        );
        assert_eq!(to_traditional("第十条　会前准备"), "第十條　會前準備");
        let chars: Vec<char> = TRADITIONAL_PAIRS
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert_eq!(chars.len() % 2, 0);
        let keys: std::collections::BTreeSet<char> = chars.iter().step_by(2).copied().collect();
        assert_eq!(keys.len(), chars.len() / 2, "each character is mapped once");
    }

    #[test]
    fn hugo_front_matter_nests_zhiku_keys() {
        let fields = vec![
            field("title", text("标题\"引号\"")),
            field("kind", text("case")),
            field("tags", Value::List(vec!["三会一课".into()])),
        ];
        let zhiku = render(&fields, "正文\n", Flavour::Zhiku);
        assert_eq!(
            zhiku,
            "---\ntitle: \"标题\\\"引号\\\"\"\nkind: \"case\"\ntags:\n  - \"三会一课\"\n---\n\n正文\n"
        );
        let hugo = render(&fields, "正文\n", Flavour::Hugo);
        assert!(
            hugo.contains("tags:\n  - \"三会一课\"\nparams:\n  kind: \"case\"\n---"),
            "{hugo}"
        );
    }
}
