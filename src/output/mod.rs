//! Writing a rendered site: into memory for `serve`, or onto disk atomically.
//!
//! On disk the site is rendered into a temporary sibling folder and renamed over the output
//! folder only when everything succeeded, so a failed build leaves the previous output exactly
//! as it was. A folder nianbao did not create (no marker file) is never replaced without
//! `--force`, and files in the output that nianbao did not write are kept.

mod disk;
mod interrupt;
mod keep;
mod memory;
mod reuse;
mod stale;

pub use disk::{BuildTarget, MARKER, OutputError};
pub use interrupt::{EXIT_INTERRUPTED, clean_up_on_interrupt};
pub use memory::{Files, MemorySink};
