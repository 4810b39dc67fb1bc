//! One module per screen.

pub mod consent_page;
pub mod contact_page;
pub mod dossier_page;
pub mod dossiers_page;
pub mod kpi_page;
pub mod report_page;
pub mod settings_page;
pub mod share_page;
pub mod unlock_page;
