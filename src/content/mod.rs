//! The content model and the parsing of content files. No I/O happens here: the loader reads
//! files and hands their text in, so every stage can be tested on strings.

pub mod body;
pub mod cell;
pub mod format;
pub mod frontmatter;
pub mod layout;
pub mod model;
pub mod parse;
pub mod schema;
pub mod writer;
pub mod yaml;

pub use model::{Date, Report, Site, SiteConfig, Unit, UnitKind};

/// The closest of `candidates` to a misspelt `word`, for "did you mean" hints.
pub fn suggest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
