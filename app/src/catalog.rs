//! The report templates: the versions shipped with the app, plus newer versions the relay
//! publishes (`/api/v1/templates`), fetched once per session, checked
//! ([`templates::update::accept`]) and kept in IndexedDB for offline use. Reports record the
//! id, version and hash they were made with, so a new version never changes an existing report.
//!
//! Templates arrive as JSON, already checked from their TOML files: the shipped ones by the
//! build (`build.rs`), newer ones by the relay (`checked_url`). The app has no TOML parser.

use std::cell::RefCell;
use std::sync::OnceLock;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use templates::Template;
use templates::update::{self, Catalogue, Listing, UpdateError};

use crate::relay_api;
use crate::storage;

/// Where fetched template files are kept (not personal data; stored as they were served).
const META_KEY: &str = "templates";

/// A fetched template, as stored: its listing and the checked template's JSON. Entries an
/// earlier version stored (the TOML text) do not read as this; the next refresh with the relay
/// fetches their checked form again.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Fetched {
    listing: Listing,
    checked: String,
}

/// The shipped templates, checked at build time.
const BUILTIN_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/builtin-templates.json"));

fn builtin() -> &'static [Template] {
    static CATALOG: OnceLock<Vec<Template>> = OnceLock::new();
    CATALOG.get_or_init(|| serde_json::from_str(BUILTIN_JSON).unwrap_or_default())
}

/// Reads a fetched template and checks it against its listing; a Dutch line when it is not used.
fn accept(listing: &Listing, checked: &str) -> Result<Template, String> {
    let key = listing.key();
    let template: Template = serde_json::from_str(checked)
        .map_err(|e| format!("{key}: het sjabloon is onleesbaar ({e})"))?;
    update::accept(&templates(), listing, template).map_err(|e| match e {
        UpdateError::HashMismatch(_) => {
            format!("{key}: het past niet bij de gepubliceerde versie (andere SHA-256)")
        }
        UpdateError::Mislabelled { found, .. } => format!("{key}: de relay gaf {found}"),
        UpdateError::Changed(_) => format!(
            "{key}: deze versie bestaat hier al met een andere inhoud, en een gepubliceerde \
             versie verandert nooit"
        ),
        other => format!("{key}: {other}"),
    })
}

thread_local! {
    /// Versions added in this page's lifetime (leaked: a handful of small values at most).
    static FETCHED: RefCell<Vec<&'static Template>> = const { RefCell::new(Vec::new()) };
    /// What the last refresh did, for the settings page.
    static STATUS: RefCell<Option<RwSignal<Option<String>>>> = const { RefCell::new(None) };
}

/// Every template version known: shipped and fetched, by id then version.
pub fn templates() -> Vec<&'static Template> {
    let mut all: Vec<&'static Template> = builtin().iter().collect();
    FETCHED.with_borrow(|f| all.extend(f.iter().copied()));
    domain::order::sort_by(&mut all, |a, b| (&a.id, a.version).cmp(&(&b.id, b.version)));
    all
}

/// The newest version of every template (what a new report is offered).
pub fn latest() -> Vec<&'static Template> {
    update::latest(&templates())
}

/// A template by `id@version`.
pub fn template(key: &str) -> Option<&'static Template> {
    templates().into_iter().find(|t| t.key() == key)
}

fn add(template: Template) {
    if template_known(&template) {
        return;
    }
    let leaked: &'static Template = Box::leak(Box::new(template));
    FETCHED.with_borrow_mut(|f| f.push(leaked));
}

fn template_known(t: &Template) -> bool {
    templates()
        .iter()
        .any(|k| k.id == t.id && k.version == t.version)
}

/// A signal with a line about the last template refresh (for the settings page).
pub fn status() -> RwSignal<Option<String>> {
    STATUS.with_borrow_mut(|s| *s.get_or_insert_with(|| RwSignal::new(None)))
}

/// Loads the stored versions, then asks the relay for new ones. Offline, the stored ones are
/// used; a file that fails its checks is skipped and named in [`status`].
pub async fn refresh() {
    let mut stored: Vec<Fetched> = match storage::read_meta(META_KEY).await {
        Ok(Some(bytes)) => serde_json::from_slice(&bytes).unwrap_or_default(),
        _ => Vec::new(),
    };
    for f in &stored {
        if let Ok(t) = accept(&f.listing, &f.checked) {
            add(t);
        }
    }
    let said = match relay_api::call::<Catalogue>(
        "GET",
        "/api/v1/templates",
        None,
        None::<&()>,
        &[],
    )
    .await
    {
        Err(e) => format!("Sjablonen niet bijgewerkt: {e}."),
        Ok(catalogue) => {
            let known = templates();
            let wanted: Vec<Listing> = update::missing(&known, &catalogue.templates)
                .into_iter()
                .cloned()
                .collect();
            let (mut added, mut problems) = (Vec::new(), Vec::new());
            for listing in wanted {
                let checked = match relay_api::fetch_text(&listing.checked_url).await {
                    Ok(checked) => checked,
                    Err(e) => {
                        problems.push(format!("{}: {e}", listing.key()));
                        continue;
                    }
                };
                match accept(&listing, &checked) {
                    Ok(t) => {
                        added.push(format!("{} versie {}", t.title, t.version));
                        add(t);
                        stored.push(Fetched { listing, checked });
                    }
                    Err(problem) => problems.push(problem),
                }
            }
            if !added.is_empty()
                && let Ok(json) = serde_json::to_vec(&stored)
                && let Err(e) = storage::write_meta(META_KEY, &json).await
            {
                problems.push(format!("niet bewaard op dit toestel: {e}"));
            }
            let mut line = if added.is_empty() {
                "Sjablonen zijn bijgewerkt: geen nieuwe versies.".to_owned()
            } else {
                format!("Nieuwe sjabloonversies: {}.", added.join(", "))
            };
            if !problems.is_empty() {
                line.push_str(&format!(" Niet gebruikt: {}.", problems.join("; ")));
            }
            line
        }
    };
    status().set(Some(said));
}
