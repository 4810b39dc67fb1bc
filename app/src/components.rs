//! Reusable pieces of the screens, one component per module.

pub mod add_sentence;
pub mod consent_panel;
pub mod data_panel;
pub mod disclosure_block;
pub mod dossier_data;
pub mod dossier_form;
pub mod dossier_overview;
pub mod error_line;
pub mod export_bar;
pub mod new_passphrase;
pub mod new_report;
pub mod record_panel;
pub mod relisten_list;
pub mod sentence_item;
pub mod share_panel;
pub mod speech_model;
pub mod sync_panel;
pub mod top_bar;
pub mod transcript_view;
pub mod unreadable_notice;
pub mod update_notice;
pub mod voice_names;
pub mod voice_profile;
