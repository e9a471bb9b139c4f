//! The search index: titles and prose of every published report, loaded by a `<script>` tag
//! (fetch would fail on `file://`) and searched in the browser by character bigrams, which
//! works for Chinese without word segmentation.

use serde::Serialize;

#[derive(Serialize)]
pub struct Doc {
    /// Title.
    pub t: String,
    /// Link relative to the site root.
    pub u: String,
    pub y: i32,
    /// Unit name.
    pub n: String,
    /// Plain text.
    pub x: String,
}

pub fn index_js(docs: &[Doc]) -> Vec<u8> {
    let json =
        serde_json::to_string(&serde_json::json!({ "docs": docs })).expect("serialise index");
    format!("window.NIANBAO_SEARCH = {json};\n").into_bytes()
}
