//! New template versions from the relay: the listing `GET /api/v1/templates` serves, and the
//! checks a fetched template must pass before the app uses it.
//!
//! The relay checks every file it serves ([`crate::check_files`]) and serves each version twice:
//! the TOML file itself (`url`) and the checked template as JSON (`checked_url`), which is what
//! the app reads, so the app carries no TOML parser. A published version never changes, so a
//! template is accepted only when it carries the SHA-256 the listing names (the hash of its
//! file) and is the id and version the listing says; reading it from JSON checks its patterns
//! again ([`crate::Field`]). A version the app already has under another hash is refused: that
//! is a changed published version, which the app never silently swaps in (reports record the
//! hash they were made with).

use serde::{Deserialize, Serialize};

use crate::Template;

/// One template version in the relay's listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    /// Template id.
    pub id: String,
    /// Version.
    pub version: u32,
    /// Title.
    pub title: String,
    /// Publication date.
    pub published: String,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// Where to fetch the file (TOML).
    pub url: String,
    /// Where to fetch the checked template (JSON), what the app reads.
    pub checked_url: String,
}

/// The body of `GET /api/v1/templates`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    /// Every version the relay serves.
    pub templates: Vec<Listing>,
}

/// Why a fetched template is not used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UpdateError {
    /// The template is not made from the file the listing names.
    #[error("{0}: the template does not carry its listed SHA-256")]
    HashMismatch(String),
    /// The template is another id or version than the listing says.
    #[error("{listed}: the file is {found}")]
    Mislabelled {
        /// As listed.
        listed: String,
        /// As found in the file.
        found: String,
    },
    /// A version the app already has, with other content.
    #[error("{0}: already known with other content; a published version never changes")]
    Changed(String),
}

impl Listing {
    /// `id@version`.
    pub fn key(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }
}

/// The listed versions not among `known`, in listing order.
pub fn missing<'a>(known: &[&Template], listed: &'a [Listing]) -> Vec<&'a Listing> {
    listed
        .iter()
        .filter(|l| !known.iter().any(|t| t.id == l.id && t.version == l.version))
        .collect()
}

/// Checks a fetched template (read from `checked_url`) against its listing and the versions
/// already `known`.
///
/// # Errors
/// An [`UpdateError`] naming the version and the problem.
pub fn accept(
    known: &[&Template],
    listing: &Listing,
    template: Template,
) -> Result<Template, UpdateError> {
    let key = listing.key();
    if template.sha256 != listing.sha256 {
        return Err(UpdateError::HashMismatch(key));
    }
    if template.id != listing.id || template.version != listing.version {
        return Err(UpdateError::Mislabelled {
            listed: key,
            found: template.key(),
        });
    }
    if let Some(have) = known
        .iter()
        .find(|t| t.id == template.id && t.version == template.version)
        && have.sha256 != template.sha256
    {
        return Err(UpdateError::Changed(key));
    }
    Ok(template)
}

/// The newest version of every template id, ordered by id.
pub fn latest<'a>(all: &[&'a Template]) -> Vec<&'a Template> {
    let mut newest: Vec<&Template> = Vec::new();
    for t in all {
        match newest.iter_mut().find(|n| n.id == t.id) {
            Some(n) if n.version < t.version => *n = t,
            Some(_) => {}
            None => newest.push(t),
        }
    }
    extract::order::sort_by(&mut newest, |a, b| a.id.cmp(&b.id));
    newest
}

#[cfg(test)]
#[cfg(feature = "source")]
mod tests {
    use super::*;
    use crate::BUILTIN_FILES;
    use sha2::{Digest, Sha256};

    fn listing_for(text: &str, id: &str, version: u32) -> Listing {
        Listing {
            id: id.into(),
            version,
            title: "t".into(),
            published: "2026-12-01".into(),
            sha256: hex::encode(Sha256::digest(text.as_bytes())),
            url: format!("/api/v1/templates/{id}/{version}"),
            checked_url: format!("/api/v1/templates/{id}/{version}/checked"),
        }
    }

    /// The file checked as the relay does, then read back from JSON as the app does.
    fn served(text: &str, id: &str, version: u32) -> Template {
        let checked = crate::parse(&format!("{id}.v{version}.toml"), text).unwrap();
        serde_json::from_str(&serde_json::to_string(&checked).unwrap()).unwrap()
    }

    fn sociaal_v3() -> String {
        let (_, v2) = BUILTIN_FILES
            .iter()
            .find(|(name, _)| *name == "sociaal-verslag.v2.toml")
            .unwrap();
        v2.replacen("version = 2", "version = 3", 1)
    }

    #[test]
    fn a_new_version_is_accepted_and_becomes_the_latest() {
        let builtin = crate::builtin().unwrap();
        let known: Vec<&Template> = builtin.iter().collect();
        let text = sociaal_v3();
        let listing = listing_for(&text, "sociaal-verslag", 3);
        let listed = [listing.clone()];
        assert_eq!(missing(&known, &listed).len(), 1);
        let v3 = accept(&known, &listing, served(&text, "sociaal-verslag", 3)).unwrap();
        assert_eq!(v3.version, 3);
        let mut all = known.clone();
        all.push(&v3);
        let newest = latest(&all);
        assert!(newest.iter().any(|t| t.key() == "sociaal-verslag@3"));
        assert!(!newest.iter().any(|t| t.key() == "sociaal-verslag@2"));
        let ids: std::collections::BTreeSet<&str> = known.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(newest.len(), ids.len());
    }

    #[test]
    fn other_files_labels_and_changed_versions_are_refused() {
        let builtin = crate::builtin().unwrap();
        let known: Vec<&Template> = builtin.iter().collect();
        let text = sociaal_v3();
        let template = served(&text, "sociaal-verslag", 3);
        let tampered = listing_for(&format!("{text}\n# tampered"), "sociaal-verslag", 3);
        assert_eq!(
            accept(&known, &tampered, template.clone()),
            Err(UpdateError::HashMismatch("sociaal-verslag@3".into()))
        );
        let mut listing = listing_for(&text, "sociaal-verslag", 3);
        listing.version = 4;
        assert!(matches!(
            accept(&known, &listing, template),
            Err(UpdateError::Mislabelled { .. })
        ));
        let changed = sociaal_v3().replacen("version = 3", "version = 1", 1) + "\n";
        let listing = listing_for(&changed, "sociaal-verslag", 1);
        assert_eq!(
            accept(&known, &listing, served(&changed, "sociaal-verslag", 1)),
            Err(UpdateError::Changed("sociaal-verslag@1".into()))
        );
    }
}
