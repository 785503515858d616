use super::*;

fn config(title: &str, description: &str) -> Config {
    let toml = format!(
        "title = {}\ndescription = {}\nlanguage = \"zh-CN\"\nsite_id = \"t\"\n",
        toml_string(title),
        toml_string(description)
    );
    Config::parse(std::path::Path::new("site"), &toml).unwrap()
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

#[test]
fn manifest_names_the_site_with_relative_urls() {
    let json: serde_json::Value =
        serde_json::from_str(&manifest(&config("知库示例", "学习资料"), None)).unwrap();
    assert_eq!(json["name"], "知库示例");
    assert_eq!(json["short_name"], "知库示例");
    assert_eq!(json["description"], "学习资料");
    assert_eq!(json["lang"], "zh-CN");
    assert_eq!(json["start_url"], "./index.html");
    assert_eq!(json["scope"], "./");
    assert_eq!(json["display"], "standalone");
    assert_eq!(json["theme_color"], THEME_COLOR);
    assert_eq!(json["background_color"], BACKGROUND_COLOR);
    let icons = json["icons"].as_array().unwrap();
    let srcs: Vec<&str> = icons.iter().map(|i| i["src"].as_str().unwrap()).collect();
    assert_eq!(
        srcs,
        [
            "assets/icon.svg",
            "assets/icon-192.png",
            "assets/icon-512.png",
            "assets/icon-maskable-512.png"
        ]
    );
    for icon in icons {
        let src = icon["src"].as_str().unwrap();
        assert!(!src.starts_with('/') && !src.contains(':'), "{src}");
    }
    assert_eq!(icons[1]["sizes"], "192x192");
    assert_eq!(icons[3]["purpose"], "maskable");
}

#[test]
fn manifest_leaves_out_an_empty_description() {
    let json: serde_json::Value = serde_json::from_str(&manifest(&config("站", ""), None)).unwrap();
    assert!(json.get("description").is_none(), "{json}");
}

#[test]
fn short_names_fit_under_an_icon() {
    assert_eq!(short_name("知库示例"), "知库示例");
    assert_eq!(short_name("  知库  "), "知库");
    // Six Chinese characters fit; a seventh does not.
    assert_eq!(short_name("某某街道党工委"), "某某街道党工");
    assert_eq!(short_name("知库 · 某某街道党工委学习资料"), "知库");
    assert_eq!(short_name("党建资料库（某某街道）"), "党建资料库");
    assert_eq!(short_name("Party study library"), "Party study");
    assert_eq!(short_name("Handbook"), "Handbook");
}

#[test]
fn svg_icon_shows_the_titles_first_character_as_text() {
    let svg = icon_svg("知库示例");
    assert!(svg.contains(">知</text>"), "{svg}");
    assert!(svg.contains(THEME_COLOR));
    assert!(svg.contains("PingFang SC"), "system fonts only");
    assert!(!svg.contains("@font-face") && !svg.contains("href"));
    assert!(icon_svg("<b>").contains(">&lt;</text>"));
}

#[test]
fn theme_colours_match_the_stylesheet() {
    let css = include_str!("../../themes/default/static/assets/zhiku.css");
    assert!(css.contains(&format!("--accent: {THEME_COLOR};")));
    assert!(css.contains(&format!("--bg: {BACKGROUND_COLOR};")));
    let hex = format!(
        "#{:02x}{:02x}{:02x}",
        COLOR_RGB[0], COLOR_RGB[1], COLOR_RGB[2]
    );
    assert_eq!(hex, THEME_COLOR);
}

#[test]
fn png_icons_are_pngs_of_their_size() {
    for (path, bytes) in png_icons() {
        let size = PNG_ICONS.iter().find(|i| i.0 == *path).unwrap().1;
        assert_eq!(bytes[..8], png::SIGNATURE, "{path}");
        // IHDR is the first chunk: width and height right after its type.
        assert_eq!(&bytes[12..16], b"IHDR");
        assert_eq!(u32::from_be_bytes(bytes[16..20].try_into().unwrap()), size);
        assert_eq!(u32::from_be_bytes(bytes[20..24].try_into().unwrap()), size);
        assert!(bytes.len() < 40_000, "{path}: {} bytes", bytes.len());
    }
}

#[test]
fn a_large_enough_logo_becomes_the_apps_icon_and_short_title_its_name() {
    let toml =
        "title = \"某某街道党工委学习资料库\"\nshort_title = \"学习库\"\nlogo = \"logo.png\"\n";
    let config = Config::parse(std::path::Path::new("site"), toml).unwrap();
    let big = png::encode_rgba(256, 256, &vec![0; 256 * 256 * 4]);
    let json: serde_json::Value = serde_json::from_str(&manifest(&config, Some(&big))).unwrap();
    assert_eq!(json["short_name"], "学习库");
    assert_eq!(json["icons"][0]["src"], "logo.png");
    assert_eq!(json["icons"][0]["sizes"], "256x256");
    assert_eq!(json["icons"].as_array().unwrap().len(), 1);
    // Too small for a home screen: zhiku's drawn icons stay.
    let small = png::encode_rgba(64, 64, &vec![0; 64 * 64 * 4]);
    let json: serde_json::Value = serde_json::from_str(&manifest(&config, Some(&small))).unwrap();
    assert_eq!(json["icons"][0]["src"], ICON_SVG);
    assert_eq!(logo_icon_sizes("a.svg", b"<svg/>").as_deref(), Some("any"));
    assert_eq!(logo_icon_sizes("a.jpg", b"\xff\xd8"), None);
}
