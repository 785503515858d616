//! A page's rendered HTML: in memory, or kept in the build cache on disk
//! and read back when a template first needs it.
//!
//! A site's HTML is the largest thing a build holds (64 MB for 10,000
//! pages), and most stages never look at it: only rendering does, and a
//! rebuild renders few pages. With the cache on disk, the HTML of a page
//! that did not change is not read at all, and a first build lets it go
//! once it is saved, so that the search stage runs without it.

use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

/// Where HTML kept on disk comes from.
pub trait Spilled: Send + Sync + fmt::Debug {
    /// The HTML (from the cache file, or — when that fails its check — by
    /// rendering the source file again).
    fn read(&self) -> String;
}

/// A page's HTML, read on first use when it is on disk.
#[derive(Clone, Default)]
pub struct Html {
    text: OnceLock<String>,
    disk: Option<Arc<dyn Spilled>>,
}

impl Html {
    /// HTML in memory.
    pub fn new(text: String) -> Html {
        Html {
            text: OnceLock::from(text),
            disk: None,
        }
    }

    /// HTML on disk, read when first needed.
    pub fn on_disk(disk: Arc<dyn Spilled>) -> Html {
        Html {
            text: OnceLock::new(),
            disk: Some(disk),
        }
    }

    /// Whether the text is in memory (rendered, or read back already).
    pub fn in_memory(&self) -> bool {
        self.text.get().is_some()
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        self.text
            .get_or_init(|| self.disk.as_ref().map(|d| d.read()).unwrap_or_default())
    }
}

impl Deref for Html {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Html {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Html {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.text.get(), &self.disk) {
            (Some(text), _) => fmt::Debug::fmt(text, f),
            (None, Some(disk)) => write!(f, "Html({disk:?})"),
            (None, None) => f.write_str("\"\""),
        }
    }
}

impl PartialEq for Html {
    fn eq(&self, other: &Html) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Html {}

/// The cache on disk keeps the HTML in files of its own (see `sources`):
/// in the serialised page it is nothing, and comes back empty.
impl serde::Serialize for Html {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_unit()
    }
}

impl<'de> serde::Deserialize<'de> for Html {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Html, D::Error> {
        <()>::deserialize(d)?;
        Ok(Html::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[derive(Debug)]
    struct Counting(AtomicUsize);

    impl Spilled for Counting {
        fn read(&self) -> String {
            self.0.fetch_add(1, Ordering::Relaxed);
            "<p>第一条</p>".into()
        }
    }

    #[test]
    fn html_on_disk_is_read_once_when_first_used() {
        let disk = Arc::new(Counting(AtomicUsize::new(0)));
        let html = Html::on_disk(disk.clone());
        assert!(!html.in_memory());
        assert_eq!(disk.0.load(Ordering::Relaxed), 0);
        assert!(html.contains("第一条"));
        assert_eq!(&*html, "<p>第一条</p>");
        assert_eq!(disk.0.load(Ordering::Relaxed), 1);
        assert!(html.in_memory());
        assert_eq!(html, Html::new("<p>第一条</p>".into()));
    }
}
