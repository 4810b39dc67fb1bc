//! Report templates for Zorgvuldig.
//!
//! A template is a data file, one per published version, never edited afterwards: a change is a
//! new file with a higher version, a date, an owner and a reason ([`Template`]). Each section
//! says how it may be drafted ([`Drafting`]): from extracted facts through predefined Dutch
//! sentence patterns, from verbatim excerpts of the conversation, or only by the worker (the
//! analysis and the proposal are never drafted: the product makes no decisions about a client).
//!
//! - [`parse`]: reads and checks one file; every problem is reported with file and line.
//! - [`check_files`]: checks a set of files, including duplicate id/version across files.
//! - [`builtin`]: the templates shipped with the app.
//!
//! Those three read TOML and need the `source` feature (on by default). Without it the crate
//! holds the model, drafting and rendering only: the browser app reads templates already
//! checked, as JSON ([`Template`] is `serde`; a pattern is checked again as it is read).
//! - [`fill`]: drafting a template from a conversation's segments and facts.
//! - [`sentences`]: the Dutch sentence of each fact frame, per audience.
//! - [`overview`]: a dossier across contacts: open actions, facts that changed.
//! - [`update`]: new versions from the relay, checked before use.
//! - [`render`]: a plain-text rendering of a template's structure (what the snapshot tests pin).
//!
//! The file format is described in `templates/FORMAT.md`.

#[cfg(feature = "source")]
mod builtin;
#[cfg(feature = "source")]
pub mod evaluation;
pub mod fill;
mod model;
pub mod overview;
#[cfg(feature = "source")]
mod parse;
mod pattern;
mod render;
pub mod sentences;
pub mod update;

#[cfg(feature = "source")]
pub use builtin::{BUILTIN_FILES, builtin};
pub use model::{Audience, Drafting, Field, FieldKind, Section, Template};
#[cfg(feature = "source")]
pub use parse::{CheckError, check_files, parse};
pub use pattern::{Pattern, PatternError};
pub use render::render;
