//! Writing a rendered site: into memory for `serve`, or onto disk atomically.
//!
//! On disk the site is rendered into a temporary sibling folder and renamed over the output
//! folder only when everything succeeded, so a failed build leaves the previous output exactly
//! as it was. A folder nianbao did not create (no marker file) is never replaced without
//! `--force`.

mod disk;
mod memory;

pub use disk::{BuildTarget, MARKER, OutputError};
pub use memory::{Files, MemorySink};
