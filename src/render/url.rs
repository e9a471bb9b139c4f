//! Paths below the site root as they appear in links: each segment percent-encoded, so a unit
//! folder named with a space, `#`, `?`, `%` or Chinese characters is reached by its link (a raw
//! `#` or `?` would cut the path, a raw `%` would be decoded) and the sitemap holds valid URLs.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use std::borrow::Cow;

/// Bytes encoded in a path segment: the WHATWG path percent-encode set, `%` (so it is taken
/// literally) and `/`-free ASCII that is unsafe in URLs. `/` separates segments and stays.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

/// `path` (a folder or file below the site root, `/`-separated) as a link.
pub fn encode(path: &str) -> Cow<'_, str> {
    utf8_percent_encode(path, SEGMENT).into()
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn unsafe_characters_are_encoded_and_slashes_kept() {
        assert_eq!(encode("huaian/2024/"), "huaian/2024/");
        assert_eq!(
            encode("a b/q?x#y/a%20b/花/index.html"),
            "a%20b/q%3Fx%23y/a%2520b/%E8%8A%B1/index.html"
        );
    }
}
