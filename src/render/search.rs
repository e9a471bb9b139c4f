//! The search index: searched in the browser (themes/default/static/search.js) by character
//! bigrams, which works for Chinese without word segmentation, and split into many small
//! scripts so that a query loads only what it needs, even at 50,000 reports:
//!
//! - `search/index.js` (the manifest) sets `window.NIANBAO_SEARCH = {v, build, docs, shards}`.
//! - `search/BUILD/i/K.js`: the postings of every gram whose hash is K modulo `shards`.
//! - `search/BUILD/d/ID.js`: one report's document (title, link, year, unit, text), loaded only
//!   when it is shown as a result (title, meta line, snippet).
//!
//! Every shard calls `NIANBAO_SEARCH_SHARD(build, kind, key, data)`. Scripts, not `fetch`, since
//! fetch fails on `file://`; the build id is in the shard paths and in their content, so a
//! cached shard of an earlier build is never mixed with the new manifest.
//!
//! Documents are numbered by the old ranking's tie-break (newer year first, then title in
//! UTF-16 order, then report order), so the browser breaks ties by number without loading
//! titles. A gram is two adjacent characters (or one character, for one-character terms) of
//! the lower-cased title or text, neither of them a separator the browser splits queries on;
//! its posting for a document holds whether it is in the title and how many times it occurs
//! (title plus text, counted without overlap as `indexOf` does), which is all the ranking uses.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::LazyLock;

use serde::Serialize;

use super::{Data, RenderError, Sink};

/// The manifest, at a fixed path the search page loads.
pub const MANIFEST: &str = "search/index.js";

/// Bumped when the files' format changes; part of the build id.
const FORMAT: u32 = 2;

/// About the bytes of postings per shard: a query loads one shard per gram.
const SHARD_TARGET: usize = 16 * 1024;

/// At most this many posting shards (files).
const MAX_SHARDS: usize = 8192;

/// A report as the search shows it.
#[derive(Serialize, serde::Deserialize)]
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

/// What the index needs of a report before its text is made: its place in the ranking's
/// tie-break, and what its document is made of, for the build id.
pub struct Key<'a> {
    pub year: i32,
    pub title: String,
    pub link: String,
    pub unit: &'a str,
    /// The report's Markdown source.
    pub source: String,
}

/// One report's contribution, made where the report renders (in parallel).
pub struct Part {
    /// The document file's JSON.
    doc: Vec<u8>,
    /// Gram → posting value, see [`posting_value`].
    grams: Vec<(u64, u32)>,
}

impl Part {
    pub fn new(doc: &Doc) -> Part {
        let mut counts: HashMap<u64, (u32, u32)> = HashMap::new();
        count_grams(&doc.t, &mut counts, |c| &mut c.0);
        count_grams(&doc.x, &mut counts, |c| &mut c.1);
        let grams = counts
            .into_iter()
            .map(|(g, (title, text))| (g, posting_value(title, text)))
            .collect();
        Part {
            doc: serde_json::to_vec(doc).expect("serialise a document"),
            grams,
        }
    }
}

/// A posting's value: `(total - 1) * 2 + in_title`, total being the occurrences in title and
/// text (at least 1).
fn posting_value(title: u32, text: u32) -> u32 {
    (title + text - 1) * 2 + u32::from(title > 0)
}

/// Builds the index as reports are added in order; documents are written at once, postings
/// are kept compact (a few bytes each) and written by [`Writer::finish`].
pub struct Writer {
    build: String,
    /// Document number of the n-th report added.
    ids: Vec<u32>,
    added: usize,
    /// Gram → varint pairs (document number, posting value), in the order added.
    postings: HashMap<u64, Vec<u8>>,
}

impl Writer {
    /// `keys`: every report that will be [`add`](Writer::add)ed, in the same order.
    pub fn new<'a>(keys: impl IntoIterator<Item = Key<'a>>) -> Writer {
        let mut h = DefaultHasher::new();
        (FORMAT, env!("CARGO_PKG_VERSION")).hash(&mut h);
        let mut order: Vec<(i32, Vec<u16>, usize)> = Vec::new();
        for (i, k) in keys.into_iter().enumerate() {
            (k.year, &k.title, &k.link, k.unit, &k.source).hash(&mut h);
            order.push((k.year, k.title.encode_utf16().collect(), i));
        }
        // The old ranking's last keys: newer year first, then the title as JS `<` compares it.
        order.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then_with(|| a.1.cmp(&b.1))
                .then(a.2.cmp(&b.2))
        });
        let mut ids = vec![0; order.len()];
        for (id, (_, _, i)) in order.into_iter().enumerate() {
            ids[i] = id as u32;
        }
        Writer {
            build: format!("{:012x}", h.finish() >> 16),
            ids,
            added: 0,
            postings: HashMap::new(),
        }
    }

    fn shard(&self, kind: &str, key: usize, json: &[u8]) -> Vec<u8> {
        let mut out =
            format!("NIANBAO_SEARCH_SHARD(\"{}\",\"{kind}\",{key},", self.build).into_bytes();
        out.extend_from_slice(json);
        out.extend_from_slice(b");\n");
        out
    }

    /// Writes the next report's document and keeps its postings.
    pub fn add(&mut self, part: Part, sink: &dyn Sink) -> Result<(), RenderError> {
        let id = *self
            .ids
            .get(self.added)
            .expect("a search key for every report added");
        self.added += 1;
        let path = format!("search/{}/d/{id}.js", self.build);
        let bytes = self.shard("d", id as usize, &part.doc);
        sink.put(&path, Data::Bytes(bytes))
            .map_err(|e| RenderError::Io(path, e))?;
        for (gram, value) in part.grams {
            let list = self.postings.entry(gram).or_default();
            push_varint(list, id);
            push_varint(list, value);
        }
        Ok(())
    }

    /// Writes the posting shards and the manifest.
    pub fn finish(mut self, sink: &dyn Sink) -> Result<(), RenderError> {
        let postings = std::mem::take(&mut self.postings);
        let bytes: usize = postings.values().map(|p| p.len() + 8).sum();
        let shards = bytes.div_ceil(SHARD_TARGET).clamp(1, MAX_SHARDS);
        // Lists move into their shard (no copy); each shard is encoded, written and dropped in
        // turn, so the encoded text is never whole in memory.
        let mut buckets: Vec<Vec<(String, Vec<u8>)>> = vec![Vec::new(); shards];
        for (gram, list) in postings {
            let gram = gram_text(gram);
            buckets[shard_of(&gram, shards)].push((gram, list));
        }
        for (k, mut entries) in buckets.into_iter().enumerate() {
            entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            let mut json = b"{".to_vec();
            for (i, (gram, list)) in entries.iter().enumerate() {
                if i > 0 {
                    json.push(b',');
                }
                json.extend(serde_json::to_vec(gram).expect("serialise a gram"));
                json.push(b':');
                json.extend(
                    serde_json::to_vec(&encode_postings(list)).expect("serialise postings"),
                );
            }
            json.push(b'}');
            let path = format!("search/{}/i/{k}.js", self.build);
            sink.put(&path, Data::Bytes(self.shard("i", k, &json)))
                .map_err(|e| RenderError::Io(path, e))?;
        }
        let manifest = serde_json::json!({
            "v": FORMAT,
            "build": self.build,
            "docs": self.added,
            "shards": shards,
        });
        let text = format!("window.NIANBAO_SEARCH = {manifest};\n");
        sink.put(MANIFEST, Data::Bytes(text.into_bytes()))
            .map_err(|e| RenderError::Io(MANIFEST.to_string(), e))
    }
}

/// The whole index of `docs` at once (tests, small sites): as [`Writer`] gives it.
pub fn write_all(docs: &[Doc], sink: &dyn Sink) -> Result<(), RenderError> {
    let mut w = Writer::new(docs.iter().map(|d| Key {
        year: d.y,
        title: d.t.clone(),
        link: d.u.clone(),
        unit: &d.n,
        source: d.x.clone(),
    }));
    for d in docs {
        w.add(Part::new(d), sink)?;
    }
    w.finish(sink)
}

/// Characters the browser splits queries on (`/[\s\u3000\p{P}]+/u`), so never in a gram: JS
/// `\s` is Unicode's space separators plus a few controls, U+FEFF and the line terminators.
fn is_separator(c: char) -> bool {
    static BMP: LazyLock<Vec<u64>> = LazyLock::new(|| {
        let mut bits = vec![0u64; 1024];
        for cp in 0..0x1_0000u32 {
            if char::from_u32(cp).is_some_and(separator_by_class) {
                bits[cp as usize / 64] |= 1 << (cp % 64);
            }
        }
        bits
    });
    let cp = c as u32;
    if cp < 0x1_0000 {
        BMP[cp as usize / 64] & (1 << (cp % 64)) != 0
    } else {
        separator_by_class(c)
    }
}

fn separator_by_class(c: char) -> bool {
    static CLASS: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"^[\p{Zs}\t\n\x0B\x0C\r\u{2028}\u{2029}\u{FEFF}\u{3000}\p{P}]$")
            .expect("separator class")
    });
    CLASS.is_match(c.encode_utf8(&mut [0; 4]))
}

/// Lower-cases as the browser's `norm` does: only when that keeps the UTF-16 length.
fn norm(s: &str) -> std::borrow::Cow<'_, str> {
    let lower = s.to_lowercase();
    if lower.encode_utf16().count() == s.encode_utf16().count() {
        lower.into()
    } else {
        s.into()
    }
}

/// A gram as a number: two characters, or one and `u32::MAX`.
fn bigram(a: char, b: char) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

fn unigram(a: char) -> u64 {
    (u64::from(a) << 32) | u64::from(u32::MAX)
}

fn gram_text(g: u64) -> String {
    let a = char::from_u32((g >> 32) as u32).expect("a character");
    let mut s = a.to_string();
    if let Some(b) = char::from_u32(g as u32) {
        s.push(b);
    }
    s
}

/// Adds the grams of `s` to `counts`, into the field `slot` picks: every character, and every
/// two adjacent characters, counted without overlap (`aaa` holds `aa` once, as `indexOf` from
/// the end of the last hit finds it).
fn count_grams(
    s: &str,
    counts: &mut HashMap<u64, (u32, u32)>,
    slot: fn(&mut (u32, u32)) -> &mut u32,
) {
    let chars: Vec<char> = norm(s).chars().collect();
    let mut last_double: Option<usize> = None;
    for (i, &a) in chars.iter().enumerate() {
        if is_separator(a) {
            continue;
        }
        *slot(counts.entry(unigram(a)).or_default()) += 1;
        let Some(&b) = chars.get(i + 1) else { continue };
        if is_separator(b) {
            continue;
        }
        if a == b {
            if last_double.is_some_and(|j| j + 1 == i) {
                last_double = None;
                continue;
            }
            last_double = Some(i);
        }
        *slot(counts.entry(bigram(a, b)).or_default()) += 1;
    }
}

/// Digits of the postings text: 0–31 end a number, 32–63 carry 5 more bits.
const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

fn push_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn read_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let mut v = 0u32;
    let mut shift = 0;
    loop {
        let b = bytes[*at];
        *at += 1;
        v |= u32::from(b & 0x7f) << shift;
        if b < 0x80 {
            return v;
        }
        shift += 7;
    }
}

fn push_digits(out: &mut String, mut v: u32) {
    while v >= 32 {
        out.push(DIGITS[(32 + (v & 31)) as usize] as char);
        v >>= 5;
    }
    out.push(DIGITS[v as usize] as char);
}

/// A gram's postings as the browser reads them: per document, the gap to the previous
/// document number (minus one) and the posting value, in base-32 digits, by document number.
fn encode_postings(list: &[u8]) -> String {
    let mut pairs = Vec::new();
    let mut at = 0;
    while at < list.len() {
        let id = read_varint(list, &mut at);
        let value = read_varint(list, &mut at);
        pairs.push((id, value));
    }
    pairs.sort_unstable();
    let mut out = String::new();
    let mut next = 0;
    for (id, value) in pairs {
        push_digits(&mut out, id - next);
        push_digits(&mut out, value);
        next = id + 1;
    }
    out
}

/// The shard of a gram: a 32-bit FNV-1a over its code points with MurmurHash3's finaliser,
/// modulo the number of shards; search.js computes the same.
fn shard_of(gram: &str, shards: usize) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for c in gram.chars() {
        h = (h ^ c as u32).wrapping_mul(0x0100_0193);
    }
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h as usize % shards
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Files(Mutex<std::collections::BTreeMap<String, String>>);

    impl Sink for Files {
        fn put(&self, path: &str, data: Data) -> std::io::Result<()> {
            let Data::Bytes(b) = data else {
                panic!("bytes")
            };
            self.0
                .lock()
                .unwrap()
                .insert(path.to_string(), String::from_utf8(b).unwrap());
            Ok(())
        }
    }

    fn doc(t: &str, y: i32, x: &str) -> Doc {
        Doc {
            t: t.into(),
            u: format!("{t}/{y}/index.html"),
            y,
            n: "单位".into(),
            x: x.into(),
        }
    }

    fn decode(s: &str) -> Vec<(u32, u32)> {
        let mut nums = Vec::new();
        let (mut v, mut shift) = (0u32, 0);
        for c in s.bytes() {
            let d = DIGITS.iter().position(|&x| x == c).unwrap() as u32;
            v |= (d & 31) << shift;
            shift += 5;
            if d < 32 {
                nums.push(v);
                (v, shift) = (0, 0);
            }
        }
        let mut next = 0;
        nums.chunks(2)
            .map(|p| {
                let id = next + p[0];
                next = id + 1;
                (id, p[1])
            })
            .collect()
    }

    fn postings(files: &Files, gram: &str) -> Vec<(u32, u32)> {
        let files = files.0.lock().unwrap();
        let manifest = &files[MANIFEST];
        let json: serde_json::Value = serde_json::from_str(
            manifest
                .strip_prefix("window.NIANBAO_SEARCH = ")
                .unwrap()
                .trim_end()
                .strip_suffix(';')
                .unwrap(),
        )
        .unwrap();
        let build = json["build"].as_str().unwrap();
        let k = shard_of(gram, json["shards"].as_u64().unwrap() as usize);
        let shard = &files[&format!("search/{build}/i/{k}.js")];
        let prefix = format!("NIANBAO_SEARCH_SHARD(\"{build}\",\"i\",{k},");
        let body = shard
            .strip_prefix(&prefix)
            .unwrap()
            .strip_suffix(");\n")
            .unwrap();
        let map: HashMap<String, String> = serde_json::from_str(body).unwrap();
        map.get(gram).map(|s| decode(s)).unwrap_or_default()
    }

    #[test]
    fn documents_are_numbered_newest_year_first_then_by_title() {
        let docs = [
            doc("乙", 2023, ""),
            doc("甲", 2023, ""),
            doc("丙", 2024, ""),
            doc("甲", 2023, ""),
        ];
        let w = Writer::new(docs.iter().map(|d| Key {
            year: d.y,
            title: d.t.clone(),
            link: String::new(),
            unit: "",
            source: String::new(),
        }));
        // 丙 2024 first; then 乙 (U+4E59) before 甲 (U+7532); the two 甲 in report order.
        assert_eq!(w.ids, vec![1, 2, 0, 3]);
    }

    #[test]
    fn postings_hold_title_presence_and_counts_without_overlap() {
        let files = Files::default();
        let docs = [
            doc("行政复议专题", 2022, "无。"),
            doc("报告", 2024, "行政复议；行政复议、行政 复议 哈哈哈 PDF"),
        ];
        write_all(&docs, &files).unwrap();
        // Numbers: 2024 first.
        assert_eq!(postings(&files, "复议"), vec![(0, (3 - 1) * 2), (1, 1)]);
        assert_eq!(postings(&files, "政复"), vec![(0, 2), (1, 1)]);
        assert_eq!(
            postings(&files, "哈哈"),
            vec![(0, 0)],
            "哈哈哈 holds 哈哈 once"
        );
        assert_eq!(postings(&files, "哈"), vec![(0, 4)]);
        assert_eq!(postings(&files, "pd"), vec![(0, 0)], "lower-cased");
        assert_eq!(postings(&files, "政 "), vec![], "no gram with a space");
        assert_eq!(postings(&files, "议；"), vec![], "no gram with punctuation");
        assert_eq!(postings(&files, "题无"), vec![], "title and text are apart");
    }

    #[test]
    fn documents_carry_the_build_id_and_the_id_in_their_path() {
        let files = Files::default();
        write_all(&[doc("甲", 2024, "正文\"引号\"")], &files).unwrap();
        let files = files.0.lock().unwrap();
        let (path, text) = files.iter().find(|(p, _)| p.contains("/d/")).unwrap();
        let build = path.split('/').nth(1).unwrap();
        assert_eq!(build.len(), 12);
        assert_eq!(
            text,
            &format!(
                "NIANBAO_SEARCH_SHARD(\"{build}\",\"d\",0,{});\n",
                serde_json::to_string(&doc("甲", 2024, "正文\"引号\"")).unwrap()
            )
        );
    }

    #[test]
    fn the_build_id_changes_with_the_text_and_not_otherwise() {
        let id = |x: &str| {
            let files = Files::default();
            write_all(&[doc("甲", 2024, x)], &files).unwrap();
            let files = files.0.lock().unwrap();
            files.keys().find(|p| p.contains("/d/")).unwrap().clone()
        };
        assert_eq!(id("一"), id("一"));
        assert_ne!(id("一"), id("二"));
    }

    #[test]
    fn separators_are_those_of_the_browser_split() {
        for c in [
            ' ', '\u{3000}', '，', '。', '、', '“', '（', '-', '\u{FEFF}', '\n',
        ] {
            assert!(is_separator(c), "{c:?}");
        }
        for c in ['复', 'a', '1', '+', '＋', '\u{85}', '𠀀'] {
            assert!(!is_separator(c), "{c:?}");
        }
    }

    #[test]
    fn varints_round_trip() {
        let mut v = Vec::new();
        for n in [0, 1, 127, 128, 300, u32::MAX] {
            push_varint(&mut v, n);
        }
        let mut at = 0;
        let back: Vec<u32> = (0..6).map(|_| read_varint(&v, &mut at)).collect();
        assert_eq!(back, vec![0, 1, 127, 128, 300, u32::MAX]);
    }
}
