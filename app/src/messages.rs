//! Dutch messages for domain errors.

use domain::contact::ContactError;
use domain::crypto::KeyringError;
use domain::dossier::DossierError;
use domain::preferences::PreferencesError;
use domain::workspace::WorkspaceError;

/// A workspace error in words for the worker.
pub fn workspace_error(err: &WorkspaceError) -> String {
    match err {
        WorkspaceError::DossierNotFound => "Dit dossier bestaat niet (meer).".into(),
        WorkspaceError::ContactNotFound => "Dit contact bestaat niet (meer).".into(),
        WorkspaceError::Dossier(e) => dossier_error(e),
        WorkspaceError::Contact(ContactError::NoteTooLong) => {
            "Het verslag is te lang (hoogstens 100 000 tekens).".into()
        }
        WorkspaceError::Preferences(PreferencesError::AutoLockOutOfRange(_)) => {
            "Kies een vergrendeltijd tussen 1 en 120 minuten.".into()
        }
        WorkspaceError::Report(e) => report_error(e),
        WorkspaceError::Consent(_) => {
            "Zonder toestemming van de cliënt voor dit contact is AI-ondersteuning niet beschikbaar.".into()
        }
        WorkspaceError::ReportNotFound => "Dit verslag bestaat niet (meer).".into(),
        WorkspaceError::NotRelistened(n) => format!(
            "Valideren kan nog niet: beluister eerst {} onder \"Herbeluisteren\", en verbeter of bevestig {}.",
            if *n == 1 { "het onzeker gehoorde stuk".to_owned() } else { format!("de {n} onzeker gehoorde stukken") },
            if *n == 1 { "het" } else { "ze" },
        ),
        WorkspaceError::TranscriptNotFound => {
            "Er is (nog) geen transcript of notitie om van te vertrekken.".into()
        }
        WorkspaceError::Transcript(e) => {
            let text = e.to_string();
            let mut chars = text.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>() + ".")
                .unwrap_or_default()
        }
        other => format!("Versleutelen is mislukt ({other})."),
    }
}

fn dossier_error(err: &DossierError) -> String {
    match err {
        DossierError::NameMissing => "Vul de naam van de cliënt in.".into(),
        DossierError::TooLong { field, max } => {
            let veld = match *field {
                "name" => "De naam",
                "reference" => "Het dossiernummer",
                _ => "De notities",
            };
            format!("{veld} mag hoogstens {max} tekens hebben.")
        }
        DossierError::BadBirthDate => {
            "Geef de geboortedatum als een bestaande datum (jjjj-mm-dd).".into()
        }
        other => other.to_string(),
    }
}

/// A keyring error in words for the worker.
pub fn keyring_error(err: &KeyringError) -> String {
    match err {
        KeyringError::WrongPassphrase => {
            "Onjuiste wachtzin. Er is niets gewijzigd; probeer het opnieuw.".into()
        }
        KeyringError::PassphraseTooShort => format!(
            "Kies een wachtzin van minstens {} tekens.",
            domain::crypto::keyring::MIN_PASSPHRASE_CHARS
        ),
        KeyringError::Kdf(detail) => format!(
            "De wachtzin kon op dit toestel niet verwerkt worden. Er is niets gewijzigd. \
             Sluit andere tabbladen en probeer opnieuw. (technisch: {detail})"
        ),
        other => format!("Ontgrendelen is mislukt: {other}"),
    }
}

/// A report error in words for the worker.
pub fn report_error(err: &domain::report::ReportError) -> String {
    use domain::report::ReportError;
    match err {
        ReportError::Validated => {
            "Dit verslag is gevalideerd en kan niet meer wijzigen. Maak een correctie.".into()
        }
        ReportError::Unreviewed(ids) => format!(
            "Valideren kan nog niet: {} voorstel(len) zijn nog niet nagelezen. Aanvaard, wijzig of verwijder ze eerst.",
            ids.len()
        ),
        ReportError::NoValidator => "Vul de naam in van wie valideert.".into(),
        ReportError::SourceRemoved(_) => "De bron van deze zin werd verwijderd toen de cliënt de toestemming introk. Schrijf de zin zelf opnieuw (Wijzigen) of verwijder hem.".into(),
        ReportError::BadText => format!(
            "Een zin moet tussen 1 en {} tekens hebben.",
            domain::report::MAX_SENTENCE_CHARS
        ),
        other => other.to_string(),
    }
}
