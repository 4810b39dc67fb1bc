//! The open export format: a workspace, or one dossier, as plain JSON files and WAV recordings.
//!
//! An export is the worker's (and the municipality's) way out: it must be readable without
//! Zorgvuldig. It is a zip archive (the container lives in the `export` crate) holding
//!
//! | path                    | content                                                      |
//! | ----------------------- | ------------------------------------------------------------ |
//! | `manifest.json`         | [`Manifest`]: format name, schema version, scope, counts     |
//! | `LEESMIJ.txt`           | a short description of the layout, in Dutch                  |
//! | `preferences.json`      | worker preferences (whole-workspace exports only)            |
//! | `dossiers/{id}.json`    | one [`Dossier`](crate::dossier::Dossier) each                |
//! | `contacts/{id}.json`    | one [`Contact`](crate::contact::Contact) each                |
//! | `reports/{id}.json`     | one [`Report`](crate::report::Report) each, drafts included  |
//! | `transcripts/{id}.json` | one [`Transcript`](crate::transcript::Transcript) each       |
//! | `audit/{id}.json`       | one [`AuditEvent`](crate::audit::AuditEvent) each            |
//! | `audio/{id}.wav`        | the recording of transcript `{id}`, 16-bit PCM WAV           |
//!
//! Every JSON record file is `{"version": n, "record": {"type": "...", ...}}`: the version it
//! was stored as and the record in the same serde form the encrypted store uses. Ids are 32
//! lowercase hex digits; timestamps are milliseconds since the Unix epoch. The files are not
//! encrypted: an export is meant to leave the product, and the app says so before it saves one.
//!
//! Reading ([`Archive::from_files`]) is strict: an unknown schema version, a file outside the
//! layout, a record in the wrong folder or under another id, or counts that disagree with the
//! manifest refuse the whole archive, so a damaged or partial export never half-imports.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::record::Record;
use crate::{RecordId, Timestamp};

/// The `format` every manifest carries.
pub const FORMAT: &str = "zorgvuldig-export";

/// The schema version this build writes, and the newest it reads.
pub const SCHEMA_VERSION: u32 = 1;

/// What an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Scope {
    /// Everything in the workspace.
    Workspace,
    /// One dossier with its contacts, reports, transcripts, recordings and audit log.
    Dossier {
        /// The dossier.
        dossier: RecordId,
    },
}

/// How many files of each kind an archive holds; checked on import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    /// Dossiers.
    pub dossiers: u32,
    /// Contacts.
    pub contacts: u32,
    /// Reports.
    pub reports: u32,
    /// Transcripts.
    pub transcripts: u32,
    /// Audit events.
    pub audit_events: u32,
    /// Recordings.
    pub recordings: u32,
    /// Preferences (0 or 1).
    pub preferences: u32,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`SCHEMA_VERSION`] at the time of writing.
    pub schema_version: u32,
    /// When the export was made.
    pub exported_at: Timestamp,
    /// The device that made it (its random id).
    pub device: String,
    /// What it holds.
    pub scope: Scope,
    /// Files per kind.
    pub counts: Counts,
    /// Transcripts whose recording could not be read when exporting (damaged on the device).
    #[serde(default)]
    pub unreadable_recordings: Vec<RecordId>,
}

/// One record as it is written to its JSON file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredRecord {
    /// The version it was stored as on the exporting device.
    pub version: u64,
    /// The record.
    pub record: Record,
}

/// An export, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archive {
    /// The manifest.
    pub manifest: Manifest,
    /// Every record, in a stable order (by folder, then id).
    pub records: Vec<StoredRecord>,
    /// Recordings (WAV bytes) by transcript id.
    pub recordings: BTreeMap<RecordId, Vec<u8>>,
}

/// Why an archive cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ArchiveError {
    /// No `manifest.json`.
    #[error("the archive has no manifest.json: it is not a Zorgvuldig export")]
    NoManifest,
    /// The manifest does not name this format.
    #[error("the archive is not a Zorgvuldig export (format {0:?})")]
    NotAnExport(String),
    /// Written by a newer schema than this build reads.
    #[error(
        "the export uses schema version {0}; this version of Zorgvuldig reads up to {SCHEMA_VERSION}"
    )]
    NewerSchema(u32),
    /// A file does not parse, or its record is not what its path says.
    #[error("{path}: {reason}")]
    BadFile {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A file outside the documented layout.
    #[error("{0}: not part of the export layout")]
    UnknownFile(String),
    /// The files present do not match the manifest's counts: the archive is incomplete.
    #[error("the archive holds {found} {kind}, the manifest says {expected}: it is incomplete")]
    Incomplete {
        /// Which kind.
        kind: &'static str,
        /// Files found.
        found: u32,
        /// Files the manifest lists.
        expected: u32,
    },
    /// A record cannot be serialised (never for records this build made).
    #[error("a record cannot be written: {0}")]
    Write(String),
}

/// The folder a record's file goes in.
fn folder(record: &Record) -> &'static str {
    match record {
        Record::Dossier(_) => "dossiers",
        Record::Contact(_) => "contacts",
        Record::Preferences(_) => "",
        Record::Report(_) => "reports",
        Record::Transcript(_) => "transcripts",
        Record::Audit(_) => "audit",
    }
}

fn path_of(record: &Record) -> String {
    match record {
        Record::Preferences(_) => "preferences.json".to_owned(),
        other => format!("{}/{}.json", folder(other), other.id()),
    }
}

const README: &str = "Export uit Zorgvuldig\n\
=====================\n\
\n\
Dit archief is NIET versleuteld. Bewaar het alleen op een plaats die je organisatie daarvoor\n\
goedkeurt.\n\
\n\
manifest.json          formaat, schemaversie, wat erin zit en hoeveel\n\
preferences.json       instellingen (alleen bij een export van alles)\n\
dossiers/{id}.json     cliëntdossiers\n\
contacts/{id}.json     contacten, met de toestemming (ja/nee en het moment)\n\
reports/{id}.json      verslagen, ontwerpen en gevalideerde\n\
transcripts/{id}.json  uitschrijvingen van opgenomen gesprekken\n\
audit/{id}.json        het logboek per dossier\n\
audio/{id}.wav         opnames, per uitschrijving\n\
\n\
Elk JSON-bestand is {\"version\": n, \"record\": {...}}. Tijden zijn milliseconden sinds\n\
1970-01-01 UTC. Het formaat staat beschreven in docs/export-format.md van Zorgvuldig.\n";

impl Archive {
    /// The files of the archive, in a stable order: manifest first, recordings last.
    ///
    /// # Errors
    /// [`ArchiveError::Write`] if a record cannot be serialised.
    pub fn files(&self) -> Result<Vec<(String, Vec<u8>)>, ArchiveError> {
        let mut out = vec![
            ("manifest.json".to_owned(), pretty(&self.manifest)?),
            ("LEESMIJ.txt".to_owned(), README.as_bytes().to_vec()),
        ];
        for stored in &self.records {
            out.push((path_of(&stored.record), pretty(stored)?));
        }
        for (id, wav) in &self.recordings {
            out.push((format!("audio/{id}.wav"), wav.clone()));
        }
        Ok(out)
    }

    /// Reads an archive from its files, checking everything the module doc lists.
    ///
    /// # Errors
    /// The first [`ArchiveError`] found; nothing is partially returned.
    pub fn from_files(
        files: impl IntoIterator<Item = (String, Vec<u8>)>,
    ) -> Result<Self, ArchiveError> {
        let mut manifest = None;
        let mut records = Vec::new();
        let mut recordings = BTreeMap::new();
        for (path, bytes) in files {
            let bad = |reason: String| ArchiveError::BadFile {
                path: path.clone(),
                reason,
            };
            if path == "manifest.json" {
                let m: Manifest = serde_json::from_slice(&bytes).map_err(|e| bad(e.to_string()))?;
                manifest = Some(m);
                continue;
            }
            if path == "LEESMIJ.txt" || is_os_litter(&path) {
                continue;
            }
            if let Some(id) = path
                .strip_prefix("audio/")
                .and_then(|rest| rest.strip_suffix(".wav"))
            {
                let id: RecordId = id.parse().map_err(|_| bad("not a record id".into()))?;
                recordings.insert(id, bytes);
                continue;
            }
            let known = path == "preferences.json"
                || [
                    "dossiers/",
                    "contacts/",
                    "reports/",
                    "transcripts/",
                    "audit/",
                ]
                .iter()
                .any(|dir| {
                    path.strip_prefix(dir)
                        .is_some_and(|rest| rest.ends_with(".json") && !rest.contains('/'))
                });
            if !known {
                return Err(ArchiveError::UnknownFile(path));
            }
            let stored: StoredRecord =
                serde_json::from_slice(&bytes).map_err(|e| bad(e.to_string()))?;
            if path_of(&stored.record) != path {
                return Err(bad(
                    "the record inside belongs to another folder or id".into()
                ));
            }
            if stored.version == 0 {
                return Err(bad("version 0 was never stored".into()));
            }
            records.push(stored);
        }
        let manifest = manifest.ok_or(ArchiveError::NoManifest)?;
        if manifest.format != FORMAT {
            return Err(ArchiveError::NotAnExport(manifest.format));
        }
        if manifest.schema_version > SCHEMA_VERSION || manifest.schema_version == 0 {
            return Err(ArchiveError::NewerSchema(manifest.schema_version));
        }
        extract::order::sort_by(&mut records, |a, b| {
            (folder(&a.record), a.record.id()).cmp(&(folder(&b.record), b.record.id()))
        });
        let archive = Self {
            manifest,
            records,
            recordings,
        };
        archive.check_counts()?;
        Ok(archive)
    }

    /// Counts of what the archive holds.
    pub fn count(records: &[StoredRecord], recordings: usize) -> Counts {
        let mut c = Counts {
            recordings: u32::try_from(recordings).unwrap_or(u32::MAX),
            ..Counts::default()
        };
        for r in records {
            let slot = match r.record {
                Record::Dossier(_) => &mut c.dossiers,
                Record::Contact(_) => &mut c.contacts,
                Record::Preferences(_) => &mut c.preferences,
                Record::Report(_) => &mut c.reports,
                Record::Transcript(_) => &mut c.transcripts,
                Record::Audit(_) => &mut c.audit_events,
            };
            *slot += 1;
        }
        c
    }

    fn check_counts(&self) -> Result<(), ArchiveError> {
        let found = Self::count(&self.records, self.recordings.len());
        let expected = self.manifest.counts;
        let pairs = [
            ("dossiers", found.dossiers, expected.dossiers),
            ("contacts", found.contacts, expected.contacts),
            ("reports", found.reports, expected.reports),
            ("transcripts", found.transcripts, expected.transcripts),
            ("audit events", found.audit_events, expected.audit_events),
            ("recordings", found.recordings, expected.recordings),
            ("preferences", found.preferences, expected.preferences),
        ];
        for (kind, found, expected) in pairs {
            if found != expected {
                return Err(ArchiveError::Incomplete {
                    kind,
                    found,
                    expected,
                });
            }
        }
        Ok(())
    }
}

/// Files that archive tools add by themselves (macOS Finder, Windows Explorer).
fn is_os_litter(path: &str) -> bool {
    path.starts_with("__MACOSX/")
        || path
            .rsplit('/')
            .next()
            .is_some_and(|name| name == ".DS_Store" || name == "Thumbs.db" || name == "desktop.ini")
}

/// Pretty JSON, newline-terminated.
fn pretty<T: Serialize>(value: &T) -> Result<Vec<u8>, ArchiveError> {
    let compact = serde_json::to_vec(value).map_err(|e| ArchiveError::Write(e.to_string()))?;
    let mut out = crate::pretty_json::indent(&compact);
    out.push(b'\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preferences::Preferences;

    fn sample() -> Archive {
        let records = vec![StoredRecord {
            version: 2,
            record: Record::Preferences(Preferences::default()),
        }];
        let mut recordings = BTreeMap::new();
        recordings.insert(RecordId::from_bytes([7; 16]), b"RIFF....".to_vec());
        Archive {
            manifest: Manifest {
                format: FORMAT.into(),
                schema_version: SCHEMA_VERSION,
                exported_at: Timestamp(1),
                device: "toestel".into(),
                scope: Scope::Workspace,
                counts: Archive::count(&records, recordings.len()),
                unreadable_recordings: Vec::new(),
            },
            records,
            recordings,
        }
    }

    #[test]
    fn files_read_back_to_the_same_archive() {
        let archive = sample();
        let files = archive.files().unwrap();
        assert_eq!(files[0].0, "manifest.json");
        assert_eq!(Archive::from_files(files).unwrap(), archive);
    }

    #[test]
    fn a_missing_file_makes_the_archive_incomplete() {
        let mut files = sample().files().unwrap();
        files.retain(|(p, _)| !p.starts_with("audio/"));
        assert!(matches!(
            Archive::from_files(files),
            Err(ArchiveError::Incomplete {
                kind: "recordings",
                ..
            })
        ));
    }

    #[test]
    fn newer_schemas_foreign_files_and_moved_records_are_refused() {
        let mut archive = sample();
        archive.manifest.schema_version = SCHEMA_VERSION + 1;
        assert_eq!(
            Archive::from_files(archive.files().unwrap()),
            Err(ArchiveError::NewerSchema(SCHEMA_VERSION + 1))
        );

        let mut files = sample().files().unwrap();
        files.push(("extra/notes.txt".into(), b"x".to_vec()));
        assert!(matches!(
            Archive::from_files(files),
            Err(ArchiveError::UnknownFile(_))
        ));

        let mut files = sample().files().unwrap();
        let prefs = files
            .iter()
            .position(|(p, _)| p == "preferences.json")
            .unwrap();
        files[prefs].0 = format!("dossiers/{}.json", RecordId::from_bytes([1; 16]));
        assert!(matches!(
            Archive::from_files(files),
            Err(ArchiveError::BadFile { .. })
        ));

        let mut files = sample().files().unwrap();
        files.retain(|(p, _)| p != "manifest.json");
        assert_eq!(Archive::from_files(files), Err(ArchiveError::NoManifest));

        let mut files = sample().files().unwrap();
        files[0].1.truncate(10);
        assert!(matches!(
            Archive::from_files(files),
            Err(ArchiveError::BadFile { .. })
        ));
    }

    #[test]
    fn litter_from_archive_tools_is_ignored() {
        let mut files = sample().files().unwrap();
        files.push(("__MACOSX/._manifest.json".into(), vec![0; 4]));
        files.push(("dossiers/.DS_Store".into(), vec![0; 4]));
        assert_eq!(Archive::from_files(files).unwrap(), sample());
    }
}
