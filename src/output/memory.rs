//! The memory target, for `serve` and tests: the whole site as a map from path to bytes.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::render::{Data, Sink};

/// A built site: path below the site root (`a/2024/index.html`) → bytes.
///
/// Keys and bytes are shared, so `serve`'s copy of a 20,000-file site with one report's files
/// replaced costs no allocation per file (with `String` keys, copying the map and dropping the
/// old one took most of the fast path's time at 5,000 reports).
pub type Files = HashMap<Arc<str>, Arc<Vec<u8>>>;

/// Collects rendered files. A sink made with [`MemorySink::cancellable`] refuses further files
/// once its flag is set, which stops rendering: `serve` drops a build a newer edit superseded.
#[derive(Default)]
pub struct MemorySink<'a> {
    files: Mutex<Files>,
    cancel: Option<&'a AtomicBool>,
}

impl<'a> MemorySink<'a> {
    pub fn cancellable(cancel: &'a AtomicBool) -> MemorySink<'a> {
        MemorySink {
            files: Mutex::default(),
            cancel: Some(cancel),
        }
    }

    pub fn into_files(self) -> Files {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemorySink<'_> {
    fn put(&self, path: &str, data: Data) -> std::io::Result<()> {
        if self.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::Interrupted,
                "superseded by a newer edit",
            ));
        }
        let bytes = match data {
            Data::Bytes(b) => b,
            Data::Copy(src) => std::fs::read(src)?,
        };
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(Arc::from(path), Arc::new(bytes));
        Ok(())
    }
}
