//! What every page shows around its content: the site, the navigation
//! tree, breadcrumbs.

use super::*;

impl<'a> Site<'a> {
    /// The site as templates see it: what the configuration says, with the
    /// links and switches of the page being rendered.
    pub(super) fn site_view(
        &self,
        from: &str,
        base_url: Option<&'a str>,
        taxonomies: Vec<LinkView<'a>>,
        search: bool,
    ) -> SiteView<'a> {
        let config = self.config;
        SiteView {
            id: &config.site_id,
            title: &config.title,
            description: &config.description,
            language: &config.language,
            base_url,
            taxonomies,
            search,
            logo: config.logo.as_ref().map(|(path, _)| self.url(from, path)),
            logo_permalink: config
                .logo
                .as_ref()
                .zip(base_url)
                .map(|((path, _), base)| format!("{base}{path}")),
            touch_icon: config
                .logo
                .as_ref()
                .filter(|(path, _)| path.to_ascii_lowercase().ends_with(".png"))
                .map(|(path, _)| self.url(from, path)),
            short_title: config.short_title.as_deref().unwrap_or(&config.title),
            footer: self.footer(from),
            menu: self.menu(from),
            feed: base_url
                .filter(|_| self.in_file.is_none())
                .map(|_| relative_url(from, feed::FEED)),
            extra: &config.extra,
        }
    }

    /// What every template gets: the site, the way to the root, navigation.
    pub(super) fn common(
        &self,
        from: &str,
        current_section: usize,
        current_page: Option<usize>,
    ) -> Context {
        let mut ctx = Context::new();
        let taxonomies = self
            .taxonomies
            .iter()
            .map(|t| LinkView {
                title: self.taxonomy_title(t),
                url: self.url(from, &t.out_file()),
            })
            .collect();
        let search = self.config.search.enabled;
        let base_url = self.config.base_url.as_deref();
        let site = self.site_view(from, base_url, taxonomies, search);
        ctx.insert("site", &site);
        ctx.insert(
            "config",
            &ConfigView {
                title: &self.config.title,
                description: &self.config.description,
                language: &self.config.language,
                base_url,
                extra: &self.config.extra,
            },
        );
        // Where the file is, from the site root, and its address on the
        // web when the site has one (canonical links, share previews).
        ctx.insert("path", from);
        ctx.insert(
            "permalink",
            &base_url
                .filter(|_| self.in_file.is_none())
                .map(|b| format!("{b}{from}")),
        );
        ctx.insert("root", &"../".repeat(from.matches('/').count()));
        ctx.insert("nav", &self.nav(from, current_section, current_page));
        ctx.insert("prev", &None::<()>);
        ctx.insert("next", &None::<()>);
        ctx
    }

    pub(super) fn nav(
        &self,
        from: &str,
        current_section: usize,
        current_page: Option<usize>,
    ) -> Vec<NavItem<'a>> {
        let mut items = Vec::new();
        let root = &self.graph.sections[0];
        for &s in &root.subsections {
            self.nav_section(from, s, 0, current_section, current_page, &mut items);
        }
        self.nav_pages(from, root, 0, current_page, &mut items);
        items
    }

    pub(super) fn nav_section(
        &self,
        from: &str,
        s: usize,
        depth: usize,
        current_section: usize,
        current_page: Option<usize>,
        items: &mut Vec<NavItem<'a>>,
    ) {
        let section = &self.graph.sections[s];
        items.push(NavItem {
            title: &section.meta.title,
            url: self.url(from, &section.out_file()),
            depth,
            current: s == current_section && current_page.is_none(),
            is_page: false,
        });
        if s == current_section && section.pages.len() <= NAV_PAGES_LIMIT {
            self.nav_pages(from, section, depth + 1, current_page, items);
        }
        for &sub in &section.subsections {
            self.nav_section(from, sub, depth + 1, current_section, current_page, items);
        }
    }

    pub(super) fn nav_pages(
        &self,
        from: &str,
        section: &Section,
        depth: usize,
        current_page: Option<usize>,
        items: &mut Vec<NavItem<'a>>,
    ) {
        for &p in section.pages.iter().take(NAV_PAGES_LIMIT) {
            let page = &self.graph.pages[p];
            items.push(NavItem {
                title: &page.meta.title,
                url: self.url(from, &page.out_file()),
                depth,
                current: current_page == Some(p),
                is_page: true,
            });
        }
    }

    pub(super) fn breadcrumbs(&self, from: &str, mut section: Option<usize>) -> Vec<LinkView<'a>> {
        let mut crumbs = Vec::new();
        while let Some(s) = section {
            let sec = &self.graph.sections[s];
            let title = if s == 0 {
                self.ui().text("site.home")
            } else {
                sec.meta.title.as_str()
            };
            crumbs.push(LinkView {
                title,
                url: self.url(from, &sec.out_file()),
            });
            section = sec.parent;
        }
        crumbs.reverse();
        crumbs
    }

    pub(super) fn page_link(&self, from: &str, p: usize) -> LinkView<'a> {
        let page = &self.graph.pages[p];
        LinkView {
            title: &page.meta.title,
            url: self.url(from, &page.out_file()),
        }
    }
}
