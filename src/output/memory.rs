//! The memory target, for `serve`: the whole site as a map from path to bytes.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::render::{Data, Sink};

#[derive(Default)]
pub struct MemorySink {
    files: Mutex<HashMap<String, Vec<u8>>>,
}

impl MemorySink {
    pub fn into_files(self) -> HashMap<String, Vec<u8>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemorySink {
    fn put(&self, path: &str, data: Data) -> std::io::Result<()> {
        let bytes = match data {
            Data::Bytes(b) => b,
            Data::Copy(src) => std::fs::read(src)?,
        };
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), bytes);
        Ok(())
    }
}
