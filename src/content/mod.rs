//! Source content: discovering files, splitting and parsing front matter,
//! and the typed page and section headers.

pub mod discover;
pub mod front_matter;
pub mod page;

pub use discover::{SourceFile, SourceKind, discover};
pub use front_matter::Date;
pub use page::{Kind, PageMeta, SectionMeta, SortBy, Status};
