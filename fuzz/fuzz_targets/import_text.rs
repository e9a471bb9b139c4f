//! `nianbao import` of a text file (copied from a portal page or extracted from a PDF): the
//! bytes are decoded as the CLI decodes them, then read into a report. Inputs that look like
//! HTML go to the `import_html` target instead. Any panic, overflow, hang or runaway allocation
//! is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao::import::{self, Options};

fuzz_target!(|data: &[u8]| {
    let Ok((text, _)) = import::decode(data, "fuzz.txt") else {
        return;
    };
    let _ = import::text::items(&text);
    if import::is_html(&text) {
        return;
    }
    let opts = Options {
        year: 2024,
        file: "fuzz.txt".into(),
        unit_name: None,
        published: None,
    };
    let _ = import::import(&text, &opts);
});
