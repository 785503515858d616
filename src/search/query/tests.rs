use super::*;

fn vectors() -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search/queries.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn site_synonyms(v: &serde_json::Value) -> Synonyms {
    let groups: Vec<Vec<String>> = serde_json::from_value(v["synonyms"].clone()).unwrap();
    Synonyms::new(&groups)
}

#[test]
fn agrees_with_the_shared_vectors() {
    let v = vectors();
    let synonyms = site_synonyms(&v);
    let list = v["vectors"].as_array().unwrap();
    assert!(list.len() >= 30);
    for case in list {
        let input = case["input"].as_str().unwrap();
        let want: Vec<String> = serde_json::from_value(case["terms"].clone()).unwrap();
        assert_eq!(
            parse(input, &synonyms).describe(),
            want,
            "terms of {input:?}"
        );
    }
}

fn terms(q: &str) -> Vec<String> {
    parse(q, &Synonyms::built_in()).describe()
}

#[test]
fn spaces_of_either_width_separate_terms() {
    assert_eq!(terms("换届选举 候选人"), terms("换届选举\u{3000}候选人"));
    assert_eq!(terms("换届选举 候选人").len(), 2);
}

#[test]
fn citations_read_every_way_members_write_them() {
    for q in [
        "第31条",
        "第 31 条",
        "31条",
        "第三十一条",
        "第三十一條",
        "第３１条",
    ] {
        let t = terms(q);
        assert_eq!(t.len(), 1, "{q}");
        assert!(
            t[0].starts_with("a: 第31条 | 第三 三十 十一 一条"),
            "{q}: {t:?}"
        );
    }
    assert!(terms("第5条之一")[0].starts_with("a: 第5条之1 | 第五 五条 条之 之一"));
    // A title in front is a term of its own.
    let t = terms("党章第31条");
    assert_eq!(t.len(), 2);
    assert!(t[0].starts_with("w: 党章"));
    // Not citations: no 条, or a Chinese numeral without 第.
    assert!(terms("第一次")[0].starts_with("w: "));
    assert!(terms("十条意见")[0].starts_with("w: "));
}

#[test]
fn question_words_never_become_terms() {
    assert_eq!(
        terms("支部委员会多长时间开一次会")
            .iter()
            .map(|t| t.split(' ').nth(1).unwrap().to_string())
            .collect::<Vec<_>>(),
        ["支部", "开一"]
    );
    for q in ["党费怎么交", "发展党员有哪些程序", "如何召开组织生活会"] {
        for filler in ["怎么", "哪些", "如何"] {
            let first: String = filler.chars().take(1).collect();
            let second: String = filler.chars().skip(1).collect();
            assert!(
                !terms(q)
                    .iter()
                    .any(|t| t.contains(&format!("{first}{second}"))),
                "{q}: {:?}",
                terms(q)
            );
        }
    }
    // A word that contains a joiner stays whole; a query of nothing but a
    // question word stays searchable.
    assert_eq!(terms("目的"), ["w: 目的"]);
    assert_eq!(terms("什么"), ["w: 什么"]);
}

#[test]
fn phrases_stay_together_and_match_exactly() {
    assert_eq!(terms("“组织生活会”"), ["p: 组织 织生 生活 活会"]);
    assert_eq!(terms("\"app\""), ["p: app"]);
}

#[test]
fn synonyms_add_forms_both_ways() {
    assert!(terms("纪委")[0].contains("| 纪律 律检 检查 查委 委员 员会"));
    assert!(terms("纪律检查委员会")[0].contains("| 纪委"));
    assert!(terms("政协")[0].contains("政治 治协 协商 商会 会议"));
    let site = Synonyms::new(&[vec!["入党".into(), "发展党员".into()]]);
    assert!(parse("入党", &site).describe()[0].contains("发展 展党 党员"));
    // At most MAX_FORMS forms.
    assert!(parse("两委", &site).terms[0].forms.len() <= MAX_FORMS);
}

#[test]
fn only_the_last_word_is_a_prefix() {
    assert_eq!(terms("APP 2018"), ["w: app", "w: 2018*"]);
    assert_eq!(terms("ap"), ["w: ap*"]);
}
