//! `zhiku init`: a site skeleton that builds at once — site.toml, a home
//! page, and one section of each kind with one page in it.

use std::path::Path;

use anyhow::{Result, bail};

use crate::diagnostics::Refused;
use crate::tr;

/// The files of a new site, relative to its folder. `{title}` and
/// `{site_id}` are filled in.
const SKELETON: &[(&str, &str)] = &[
    (
        "site.toml",
        concat!(
            "title = \"{title}\"\ndescription = \"党支部学习资料库\"\nlanguage = \"zh-CN\"\nsite_id = \"{site_id}\"\n",
            "\n# 让本站成为你们自己的（去掉行首的 # 即可启用）：\n",
            "# base_url = \"https://example.org/\"   # 发布地址：规范链接、分享预览、订阅\n",
            "# logo = \"logo.png\"                   # static/ 下的图片：页头标志、手机桌面图标\n",
            "# short_title = \"学习库\"               # 手机桌面图标下的名字\n",
            "# footer = \"某某党支部编印 · 联系电话：…\" # 每页页脚（Markdown）\n",
            "#\n# [[menu]]                            # 栏目导航顶部的常用链接\n",
            "# title = \"会议清单\"\n# url = \"checklists/\"\n",
            "\n[markdown]\nallow_html = false\n",
        ),
    ),
    (
        "content/_index.md",
        "---\n# 首页的标题取自 site.toml 的 title；要另起一个，在这里写 title: 标题\n---\n\n这里汇集本支部的制度规定、会议清单和案例分析。\n从左侧栏目进入，或用上方的搜索框查找。\n\n- [制度规定](regulations/_index.md)\n- [会议清单](checklists/_index.md)\n- [案例分析](cases/_index.md)\n",
    ),
    (
        "content/regulations/_index.md",
        "---\ntitle: 制度规定\npage_kind: regulation\n---\n\n本栏目收录支部学习使用的制度文本。\n",
    ),
    (
        "content/regulations/shili-guiding.md",
        "---\ntitle: 示例工作规定\nstatus: current\nissued: 2024-01-01\neffective: 2024-02-01\n---\n\n## 第一章 总则\n\n**第一条** 为规范本支部的日常工作，制定本规定。\n\n**第二条** 本规定适用于本支部全体党员。\n",
    ),
    (
        "content/checklists/_index.md",
        "---\ntitle: 会议清单\npage_kind: checklist\n---\n\n开会前后逐项核对。\n",
    ),
    (
        "content/checklists/zhibu-dahui.md",
        "---\ntitle: 支部党员大会清单\nmeeting: 支部党员大会\nfrequency: 每季度至少一次\n---\n\n## 会前\n\n- [ ] 确定议题并报上级党组织\n- [ ] 提前通知全体党员\n\n## 会中\n\n- [ ] 清点到会人数\n- [ ] 逐项讨论议题并表决\n\n## 会后\n\n- [ ] 整理会议记录\n- [ ] 落实会议决定\n",
    ),
    (
        "content/cases/_index.md",
        "---\ntitle: 案例分析\npage_kind: case\nsort_by: date\n---\n\n从实际问题中学习。\n",
    ),
    (
        "content/cases/shili-anli.md",
        "---\ntitle: 示例案例：会议记录不完整\ndate: 2024-03-01\norganisation: 某支部（示例）\nproblems: [三会一课落实不严格]\n---\n\n## 背景\n\n某支部的会议记录只写了时间和地点，没有记录讨论过程。\n\n## 整改\n\n对照[示例工作规定](../regulations/shili-guiding.md)，补齐记录要素。\n",
    ),
];

/// Creates a new site in `dir`, which must not exist or be empty.
pub fn init(dir: &Path) -> Result<Vec<String>> {
    if crate::fs::exists(dir) && !crate::fs::read_dir_sorted(dir)?.is_empty() {
        bail!(Refused(tr!("cli.init_not_empty", dir = dir.display())));
    }
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    let title = if name.is_empty() {
        "知库".to_string()
    } else {
        name.clone()
    };
    let mut site_id = crate::slug::slugify(&name);
    if site_id.is_empty() {
        site_id = "zhiku-site".into();
    }
    let mut created = Vec::new();
    for (path, text) in SKELETON {
        let text = text
            .replace("{title}", &yaml_safe(&title))
            .replace("{site_id}", &site_id);
        crate::fs::write_new(&dir.join(path), text.as_bytes())?;
        created.push((*path).to_string());
    }
    Ok(created)
}

/// A folder name used as a title must not break the YAML or TOML it is
/// put into.
fn yaml_safe(title: &str) -> String {
    title
        .chars()
        .filter(|c| !matches!(c, '"' | '\\' | ':' | '#' | '\n'))
        .collect()
}
