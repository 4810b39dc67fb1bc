//! Data rights and exit on this device: export to the open format, import, deleting a dossier
//! and deleting everything (here and on the relay). The rules are in the domain
//! ([`domain::archive`], `Workspace::export_archive`, `stage_import`, `stage_dossier_deletion`);
//! this module moves the bytes.

use std::cell::RefCell;
use std::collections::BTreeMap;

use domain::RecordId;
use domain::archive::{Archive, ArchiveError, Scope};
use domain::audit::AuditKind;
use domain::record::Store;
use domain::workspace::{ImportError, ImportSummary, WorkspaceError};

use crate::clock;
use crate::download;
use crate::relay_api;
use crate::session::Session;
use crate::storage;
use crate::sync_client;

/// The largest archive the app unpacks (the browser holds it in memory).
pub const MAX_IMPORT_BYTES: u64 = 1 << 30;

fn text(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Builds an export of `scope`, saves it as a zip download and logs it per dossier.
///
/// # Errors
/// A message for the worker.
pub async fn export(session: Session, scope: Scope) -> Result<String, String> {
    let ids = session
        .with_untracked(|ws| ws.recordings_in(scope))
        .ok_or("de werkruimte is vergrendeld")?
        .map_err(|e| crate::messages::workspace_error(&e))?;
    let mut audio = BTreeMap::new();
    for id in ids {
        if let Some(bytes) = storage::read(Store::Audio, &id.to_string())
            .await
            .map_err(text)?
        {
            audio.insert(id, bytes);
        }
    }
    let made = RefCell::new(None::<Archive>);
    session
        .save(|ws| {
            let (archive, change) = ws.export_archive(scope, &audio, clock::now())?;
            made.replace(Some(archive));
            Ok(change)
        })
        .await
        .map_err(text)?;
    let archive = made.take().ok_or("de export werd niet gemaakt")?;
    let files = archive.files().map_err(text)?;
    let entries: Vec<export::zip::Entry<'_>> = files
        .iter()
        .map(|(name, data)| export::zip::Entry { name, data })
        .collect();
    let zip = export::zip::write(&entries).map_err(text)?;
    let day = clock::iso_day(clock::now());
    let name = match scope {
        Scope::Workspace => format!("zorgvuldig-export-{day}.zip"),
        Scope::Dossier { dossier } => {
            let short: String = dossier.to_string().chars().take(8).collect();
            format!("zorgvuldig-dossier-{short}-{day}.zip")
        }
    };
    download::download(&name, "application/zip", &zip)?;
    let c = archive.manifest.counts;
    let mut said = format!(
        "Export bewaard als {name}: {} dossier(s), {} contact(en), {} verslag(en), {} uitschrijving(en), {} opname(s).",
        c.dossiers, c.contacts, c.reports, c.transcripts, c.recordings
    );
    if !archive.manifest.unreadable_recordings.is_empty() {
        said.push_str(&format!(
            " {} beschadigde opname(s) konden niet mee.",
            archive.manifest.unreadable_recordings.len()
        ));
    }
    Ok(said)
}

/// A Dutch sentence for an archive that cannot be read.
pub fn archive_error(err: &ArchiveError) -> String {
    match err {
        ArchiveError::NoManifest | ArchiveError::NotAnExport(_) => {
            "Dit bestand is geen export van Zorgvuldig.".into()
        }
        ArchiveError::NewerSchema(v) => format!(
            "Deze export is gemaakt met een nieuwere versie van Zorgvuldig (schema {v}). Werk de app bij en probeer opnieuw."
        ),
        ArchiveError::Incomplete { .. } => {
            "De export is onvolledig: er ontbreken bestanden. Er is niets geïmporteerd.".into()
        }
        other => format!("De export is beschadigd ({other}). Er is niets geïmporteerd."),
    }
}

/// Reads a zip export and adds what is not on this device yet.
///
/// # Errors
/// A message for the worker; nothing is imported then.
pub async fn import(session: Session, bytes: Vec<u8>) -> Result<ImportSummary, String> {
    let files = export::zip::read(&bytes, MAX_IMPORT_BYTES).map_err(|e| match e {
        export::zip::ReadError::TooLarge(_) => {
            "Deze export is groter dan 1 GiB en kan in de browser niet worden ingelezen.".to_owned()
        }
        export::zip::ReadError::NotZip => {
            "Dit bestand is geen zip-archief, of het is afgebroken. Er is niets geïmporteerd."
                .to_owned()
        }
        other => format!("Het archief is beschadigd ({other}). Er is niets geïmporteerd."),
    })?;
    let archive = Archive::from_files(files.into_iter().map(|f| (f.name, f.data)))
        .map_err(|e| archive_error(&e))?;
    let summary = RefCell::new(ImportSummary::default());
    session
        .save(|ws| {
            let (change, s) = ws.stage_import(&archive, clock::now())?;
            summary.replace(s);
            Ok(change)
        })
        .await
        .map_err(|e| match e {
            crate::session::SaveError::Invalid(WorkspaceError::Import(
                ImportError::MissingReference { .. },
            )) => "De export verwijst naar gegevens die er niet in zitten en ook niet op dit \
                   toestel staan. Er is niets geïmporteerd."
                .to_owned(),
            other => other.to_string(),
        })?;
    Ok(summary.take())
}

/// In words, what an import did.
pub fn describe(s: &ImportSummary) -> String {
    let mut out = format!(
        "Geïmporteerd: {} gegeven(s) toegevoegd, {} opname(s); {} waren er al.",
        s.added, s.recordings, s.unchanged
    );
    if s.kept_here > 0 {
        out.push_str(&format!(
            " {} gegeven(s) verschillen van wat op dit toestel staat: de versie van dit toestel is behouden.",
            s.kept_here
        ));
    }
    if s.refused_after_revocation > 0 {
        out.push_str(&format!(
            " {} uitschrijving(en) of opname(s) niet teruggezet: de toestemming is geweigerd of ingetrokken.",
            s.refused_after_revocation
        ));
    }
    out
}

/// Deletes a dossier: first its live share links on the relay, then everything of it here,
/// then (with sync on) the deletion goes to the relay and the other devices.
///
/// # Errors
/// A message for the worker; when a share link cannot be revoked nothing is deleted.
pub async fn delete_dossier(session: Session, dossier: RecordId) -> Result<String, String> {
    let shares: Vec<String> = session
        .with_untracked(|ws| {
            domain::audit::live_shares(&ws.audit_of(dossier))
                .into_iter()
                .filter_map(|e| match &e.kind {
                    AuditKind::ReportShared { share, .. }
                    | AuditKind::ReceiptShared { share, .. } => Some(share.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let sync = sync_client::load(session).await?;
    if !shares.is_empty() {
        let token =
            sync.credential.as_ref().map(|c| c.token.clone()).ok_or(
                "Er zijn gedeelde links, maar dit toestel is niet met de server verbonden.",
            )?;
        for share in &shares {
            let path = format!("/api/v1/shares/{share}");
            match relay_api::delete(&path, &token).await {
                Ok(_) => {}
                // Already gone on the relay (expired and cleaned, or revoked elsewhere).
                Err(relay_api::RelayError::Api { status: 404, .. }) => {}
                Err(e) => {
                    return Err(format!(
                        "De gedeelde links konden niet worden ingetrokken ({e}). Er is niets verwijderd; probeer opnieuw wanneer je online bent."
                    ));
                }
            }
        }
    }
    session
        .save(|ws| ws.stage_dossier_deletion(dossier, clock::now()))
        .await
        .map_err(text)?;
    let mut said = "Het dossier is verwijderd van dit toestel.".to_owned();
    if sync.credential.is_some() {
        match crate::background_sync::sync_once(session).await {
            Ok(_) => said.push_str(" De verwijdering is ook naar de server en je andere toestellen gestuurd."),
            Err(e) => said.push_str(&format!(
                " De server is nog niet bijgewerkt ({e}); dat gebeurt bij de volgende synchronisatie."
            )),
        }
    }
    Ok(said)
}

/// Deletes everything: the account on the relay (every linked device loses sync, every share
/// link stops), then this device's database. The page then starts over.
///
/// # Errors
/// A message for the worker; when the relay cannot be reached nothing is deleted.
pub async fn delete_everything(session: Session) -> Result<(), String> {
    let sync = sync_client::load(session).await.unwrap_or_default();
    if let Some(credential) = &sync.credential {
        match relay_api::delete("/api/v1/account", &credential.token).await {
            Ok(_) => {}
            // This device was already unlinked, or the account is gone.
            Err(relay_api::RelayError::Api { status: 401, .. }) => {}
            Err(e) => {
                return Err(format!(
                    "De gegevens op de server konden niet worden verwijderd ({e}). Er is niets verwijderd; probeer opnieuw wanneer je online bent."
                ));
            }
        }
    }
    session.lock();
    storage::delete_everything().await.map_err(|e| {
        format!("De gegevens op dit toestel konden niet worden verwijderd ({e}). Sluit andere tabbladen met Zorgvuldig en probeer opnieuw.")
    })?;
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_href("/");
    }
    Ok(())
}
