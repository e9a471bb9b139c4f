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
pub mod url;

use std::path::PathBuf;

use crate::content::Site;
use crate::diagnostic::Diagnostic;

pub use pages::{PAGE_SIZE, page_file, render, render_fragment, render_reports};

/// What a file's content is: bytes made here, or a file to copy (attachments).
pub enum Data {
    Bytes(Vec<u8>),
    Copy(PathBuf),
}

/// Where rendered files go: a folder on disk or memory (for `serve`).
pub trait Sink: Sync {
    fn put(&self, path: &str, data: Data) -> std::io::Result<()>;

    /// Opens `path` to be written in pieces, then [`Piecewise::finish`]ed: the site-wide files
    /// (open data, search index) grow with the whole site, and a folder on disk takes them as
    /// they are made instead of holding them whole. By default the pieces are collected in
    /// memory and handed to [`Sink::put`] at the end.
    fn open(&self, _path: &str) -> std::io::Result<Piecewise> {
        Ok(Piecewise::Memory(Vec::new()))
    }

    /// Told after each batch of a whole-site render how many more reports are done, for a
    /// progress display (`build` in a terminal). By default nothing happens.
    fn reports_rendered(&self, _count: usize) {}
}

/// A file being written in pieces; see [`Sink::open`].
pub enum Piecewise {
    Memory(Vec<u8>),
    File(std::io::BufWriter<std::fs::File>),
}

impl std::io::Write for Piecewise {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Piecewise::Memory(v) => v.write(buf),
            Piecewise::File(f) => f.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            Piecewise::Memory(v) => v.write_all(buf),
            Piecewise::File(f) => f.write_all(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Piecewise::Memory(_) => Ok(()),
            Piecewise::File(f) => f.flush(),
        }
    }
}

impl Piecewise {
    /// Completes the file `path` of `sink`.
    pub fn finish(self, sink: &dyn Sink, path: &str) -> std::io::Result<()> {
        match self {
            Piecewise::Memory(bytes) => sink.put(path, Data::Bytes(bytes)),
            Piecewise::File(f) => f.into_inner().map(drop).map_err(|e| e.into_error()),
        }
    }
}

pub struct RenderInput<'a> {
    pub site: &'a Site,
    /// Findings silenced by `acknowledged`, with their notes and figures: the page marks the
    /// figures.
    pub silenced: &'a [crate::validate::Silenced],
    pub theme: &'a theme::Theme,
    /// Overrides the site's `base_url` (`build --base-url`).
    pub base_url: Option<String>,
    /// Attachments: path below `content/` → file on disk.
    pub attachments: &'a std::collections::BTreeMap<String, PathBuf>,
}

/// Escapes text for HTML and XML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// Appends `s` escaped for HTML and XML (as Tera's autoescape does) to `out`.
pub fn escape_into(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escaped = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // The escaped bytes are ASCII, so `i` is a character boundary.
        out.push_str(&s[start..i]);
        out.push_str(escaped);
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// Why rendering stopped.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("模板有错误：{}", .0.message)]
    Template(Box<Diagnostic>),
    #[error("无法生成 {0}：{1}")]
    Io(String, #[source] std::io::Error),
}
