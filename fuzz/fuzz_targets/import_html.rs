//! `nianbao import` of a portal page (HTML): the bytes are decoded as the CLI decodes them (the
//! page's declared charset included), the page is parsed into lines and table rows, and read
//! into a report when it looks like HTML. Any panic, overflow, hang or runaway allocation is a
//! bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao::import::{self, Options};

fuzz_target!(|data: &[u8]| {
    let Ok((text, _)) = import::decode(data, "fuzz.html") else {
        return;
    };
    let _ = import::html::items(&text, "fuzz.html");
    if !import::is_html(&text) {
        return;
    }
    let opts = Options {
        year: 2020,
        file: "fuzz.html".into(),
        unit_name: None,
        published: None,
    };
    let _ = import::import(&text, &opts);
});
