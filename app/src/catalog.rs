//! The report templates shipped with the app, parsed once.

use std::sync::OnceLock;

use templates::Template;

/// Every shipped template version (checked by the test suite; empty if one ever failed to parse).
pub fn templates() -> &'static [Template] {
    static CATALOG: OnceLock<Vec<Template>> = OnceLock::new();
    CATALOG.get_or_init(|| templates::builtin().unwrap_or_default())
}

/// A template by `id@version`.
pub fn template(key: &str) -> Option<&'static Template> {
    templates().iter().find(|t| t.key() == key)
}
