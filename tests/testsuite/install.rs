//! The installable site (issue 8): every build has a web app manifest,
//! its icons and the service worker at the root, linked relatively from
//! every page, and listed for the offline copy.

use crate::site_test::SiteTest;

#[test]
fn can_install_the_domain_fixture() {
    let site = SiteTest::fixture("domain");
    site.build()
        .unwrap_or_else(|f| panic!("{:#?}", f.diagnostics));
    for file in [
        "manifest.webmanifest",
        "sw.js",
        "assets/offline.js",
        "assets/icon.svg",
        "assets/icon-192.png",
        "assets/icon-512.png",
        "assets/icon-maskable-512.png",
        "assets/apple-touch-icon.png",
    ] {
        assert!(site.exists(&format!("public/{file}")), "{file} missing");
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&site.read("public/manifest.webmanifest")).unwrap();
    assert_eq!(manifest["name"], "领域测试站");
    assert_eq!(manifest["start_url"], "./index.html");
    assert_eq!(manifest["scope"], "./");
    for icon in manifest["icons"].as_array().unwrap() {
        let src = icon["src"].as_str().unwrap();
        assert!(site.exists(&format!("public/{src}")), "icon {src} missing");
    }
    assert!(site.read("public/assets/icon.svg").contains(">领</text>"));
    for (page, root) in [
        ("public/index.html", ""),
        ("public/regulations/new/index.html", "../../"),
    ] {
        site.check_file(page, |html| {
            for link in [
                format!("<link rel=\"manifest\" href=\"{root}manifest.webmanifest\">"),
                format!(
                    "<link rel=\"apple-touch-icon\" href=\"{root}assets/apple-touch-icon.png\">"
                ),
                "<meta name=\"theme-color\" content=\"#a8231b\">".to_string(),
            ] {
                assert!(html.contains(&link), "{page}: no {link}");
            }
        });
    }
    // The offline list has them all, so a saved copy installs offline too.
    let list = site.read("public/offline.json");
    for file in ["manifest.webmanifest", "assets/icon-192.png", "sw.js"] {
        assert!(list.contains(&format!("[\"{file}\",")), "{file} not listed");
    }
}

#[test]
fn a_sites_own_manifest_and_icons_win() {
    let site = SiteTest::minimal()
        .file("static/manifest.webmanifest", "{\"name\": \"自己的\"}\n")
        .file("static/assets/icon-192.png", "not really a png");
    site.build().unwrap();
    assert_eq!(
        site.read("public/manifest.webmanifest"),
        "{\"name\": \"自己的\"}\n"
    );
    assert_eq!(site.read("public/assets/icon-192.png"), "not really a png");
    assert!(site.exists("public/assets/icon-512.png"));
}
