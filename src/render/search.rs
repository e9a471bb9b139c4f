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

/// The index file is `PREFIX`, the documents as JSON separated by commas, then `SUFFIX`; it is
/// written piece by piece as reports are rendered.
pub const PREFIX: &str = "window.NIANBAO_SEARCH = {\"docs\":[";
pub const SUFFIX: &str = "]};\n";

/// One document as it appears in the index.
pub fn doc_json(doc: &Doc) -> Vec<u8> {
    serde_json::to_vec(doc).expect("serialise index")
}

/// The whole index file at once.
pub fn index_js(docs: &[Doc]) -> Vec<u8> {
    let mut out = PREFIX.as_bytes().to_vec();
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend(doc_json(d));
    }
    out.extend_from_slice(SUFFIX.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_is_the_json_of_all_documents() {
        let docs = [
            Doc {
                t: "标题\"一\"".into(),
                u: "a/2024/index.html".into(),
                y: 2024,
                n: "单位".into(),
                x: "正文\n第二段".into(),
            },
            Doc {
                t: "二".into(),
                u: "b/2023/index.html".into(),
                y: 2023,
                n: "乙".into(),
                x: String::new(),
            },
        ];
        for docs in [&docs[..0], &docs[..1], &docs[..]] {
            let whole = serde_json::to_string(&serde_json::json!({ "docs": docs })).unwrap();
            assert_eq!(
                String::from_utf8(index_js(docs)).unwrap(),
                format!("window.NIANBAO_SEARCH = {whole};\n")
            );
        }
    }
}
