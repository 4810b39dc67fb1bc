//! Reusable pieces of the screens, one component per module.

pub mod dossier_form;
pub mod error_line;
pub mod top_bar;
pub mod unreadable_notice;
