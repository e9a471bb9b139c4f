//! Rendering: the loaded site and the theme in, files out. Pure apart from the sink it writes
//! to; pages render in parallel and go straight to the sink, so a 5,000-report build never holds
//! every page in memory.

pub mod chart;
pub mod context;
pub mod data;
pub mod feed;
pub mod figures;
pub mod markdown;
mod pages;
pub mod search;
pub mod table;
pub mod theme;

use std::path::PathBuf;

use crate::content::Site;
use crate::diagnostic::Diagnostic;

pub use pages::{render, render_reports};

/// What a file's content is: bytes made here, or a file to copy (attachments).
pub enum Data {
    Bytes(Vec<u8>),
    Copy(PathBuf),
}

/// Where rendered files go: a folder on disk or memory (for `serve`).
pub trait Sink: Sync {
    fn put(&self, path: &str, data: Data) -> std::io::Result<()>;
}

pub struct RenderInput<'a> {
    pub site: &'a Site,
    /// Findings silenced by `acknowledged`: the page marks their figures.
    pub silenced: &'a [Diagnostic],
    pub theme: &'a theme::Theme,
    /// Overrides the site's `base_url` (`build --base-url`).
    pub base_url: Option<String>,
    /// Attachments: path below `content/` → file on disk.
    pub attachments: &'a std::collections::BTreeMap<String, PathBuf>,
}

/// Escapes text for HTML and XML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Why rendering stopped.
#[derive(Debug)]
pub enum RenderError {
    Template(Box<Diagnostic>),
    Io(String, std::io::Error),
}
