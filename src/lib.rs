//! nianbao (年报): checks, builds and serves the 政府信息公开工作年度报告 of a region.
//!
//! The pipeline, one module per stage: [`content`] (model, no I/O) → [`load`] (reads `content/`)
//! → [`validate`] (every rule, all findings at once) → render → output. [`site::LoadedSite`]
//! holds a site through these stages; [`check`], [`build`] and [`serve`] are compositions of it,
//! and [`cli`] calls them.

// An item is `pub` only where something outside the crate (the binary, tests, benches) can reach
// it; the rest says `pub(crate)`.
#![warn(unreachable_pub)]

pub mod build;
pub mod check;
pub mod cli;
pub mod content;
pub mod diagnostic;
pub mod export;
pub mod import;
pub mod load;
pub mod output;
pub mod render;
pub mod save;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod validate;

pub use diagnostic::{Diagnostic, Severity};

// The generated corpus is dev-only; the library's own tests use it too, and it names the
// library `nianbao` as the other targets that include it do.
#[cfg(test)]
extern crate self as nianbao;
#[cfg(test)]
#[path = "../tests/support/corpus.rs"]
#[allow(unreachable_pub)] // shared with the test crates, where its items must be `pub`
mod corpus;
