//! What is being served: the last good site, and why the latest build failed if it did.
//!
//! A [`Snapshot`] never changes; a rebuild publishes a new one. Requests take the current one
//! and keep it for their whole answer, so a page and the files it links to are from one build.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, RwLock};

pub use crate::output::Files;

use super::overlay::Failure;
use super::sse::{Hub, Tokens};

pub struct Snapshot {
    /// The last site built without errors; `None` until the first good build.
    pub files: Option<Arc<Files>>,
    /// Findings of the latest build, when it failed.
    pub failure: Option<Arc<Failure>>,
    /// Hash of the theme's static files: a changed stylesheet reloads every page.
    pub assets: u64,
    /// Counts publications.
    pub version: u64,
}

/// The file a page's look depends on besides itself, e.g. the search index of the search page.
fn companion(page: &str) -> Option<&'static str> {
    (page == "search/index.html").then_some("search/index.js")
}

/// Hash of the static files (`static/…`) of a site.
pub fn assets_hash(files: &Files) -> u64 {
    let mut keys: Vec<&Arc<str>> = files.keys().filter(|k| k.starts_with("static/")).collect();
    keys.sort();
    let mut h = DefaultHasher::new();
    for k in keys {
        k.hash(&mut h);
        files[k].hash(&mut h);
    }
    h.finish()
}

impl Tokens for Snapshot {
    fn token(&self, page: Option<&str>) -> String {
        Snapshot::token(self, page)
    }
}

impl Snapshot {
    /// What a page looks like in this snapshot, as a short string: it changes exactly when the
    /// page would look different after a reload. `page` is the served file (`a/2024/index.html`,
    /// `404.html`, or `""` for the page shown while there is no site); `None` stands for a
    /// listener that wants every publication.
    pub fn token(&self, page: Option<&str>) -> String {
        let Some(page) = page else {
            return format!("v{}", self.version);
        };
        let mut h = DefaultHasher::new();
        self.failure.as_ref().map(|f| f.id).hash(&mut h);
        match &self.files {
            None => 0u8.hash(&mut h),
            Some(files) => {
                1u8.hash(&mut h);
                if !page.is_empty() {
                    self.assets.hash(&mut h);
                    // A page that is gone now shows the 404 page on reload.
                    match files.get(page) {
                        Some(b) => b.hash(&mut h),
                        None => files.get("404.html").hash(&mut h),
                    }
                    if let Some(c) = companion(page) {
                        files.get(c).hash(&mut h);
                    }
                }
            }
        }
        format!("{:016x}", h.finish())
    }
}

/// The current snapshot and everyone listening for a new one.
pub struct Shared {
    current: RwLock<Arc<Snapshot>>,
    pub hub: Hub,
}

impl Shared {
    pub fn new(first: Snapshot) -> Shared {
        Shared {
            current: RwLock::new(Arc::new(first)),
            hub: Hub::default(),
        }
    }

    pub fn current(&self) -> Arc<Snapshot> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Replaces the snapshot and tells every page that looks different now to reload.
    pub fn publish(&self, files: Option<Arc<Files>>, failure: Option<Arc<Failure>>) {
        let next = {
            let mut cur = self.current.write().unwrap_or_else(|e| e.into_inner());
            let assets = match &files {
                Some(f) if !cur.files.as_ref().is_some_and(|c| Arc::ptr_eq(c, f)) => assets_hash(f),
                _ => cur.assets,
            };
            let next = Arc::new(Snapshot {
                files,
                failure,
                assets,
                version: cur.version + 1,
            });
            *cur = next.clone();
            next
        };
        self.hub.notify(&*next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> Arc<Files> {
        Arc::new(
            pairs
                .iter()
                .map(|(k, v)| (Arc::from(*k), Arc::new(v.as_bytes().to_vec())))
                .collect(),
        )
    }

    #[test]
    fn a_page_token_changes_only_with_the_page() {
        let a = Snapshot {
            files: Some(files(&[("a/index.html", "1"), ("b/index.html", "x")])),
            failure: None,
            assets: 1,
            version: 1,
        };
        let b = Snapshot {
            files: Some(files(&[("a/index.html", "2"), ("b/index.html", "x")])),
            failure: None,
            assets: 1,
            version: 2,
        };
        assert_ne!(a.token(Some("a/index.html")), b.token(Some("a/index.html")));
        assert_eq!(a.token(Some("b/index.html")), b.token(Some("b/index.html")));
        assert_ne!(a.token(None), b.token(None));
        let c = Snapshot { assets: 2, ..b };
        assert_ne!(c.token(Some("b/index.html")), a.token(Some("b/index.html")));
    }
}
