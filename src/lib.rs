//! nianbao (年报): checks, builds and serves the 政府信息公开工作年度报告 of a region.
//!
//! The pipeline, one module per stage: [`content`] (model, no I/O) → [`load`] (reads `content/`)
//! → [`validate`] (every rule, all findings at once) → render → output → serve → [`cli`].

pub mod build;
pub mod check;
pub mod cli;
pub mod content;
#[doc(hidden)]
pub mod corpus;
pub mod diagnostic;
pub mod export;
pub mod import;
pub mod load;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod validate;

pub use diagnostic::{Diagnostic, Severity};
