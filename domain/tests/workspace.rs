//! The workspace life cycle through a simulated store: what the app does, without a browser.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::unwrap_used)]

use domain::Timestamp;
use domain::consent::{ConsentChoice, ConsentError};
use domain::contact::ContactKind;
use domain::crypto::{Envelope, KdfParams, Keyring, KeyringError};
use domain::record::{RecordError, Store};
use domain::workspace::{Workspace, WorkspaceError};

mod common;

use common::{FakeDb, PASS, draft};

#[test]
fn workspace_survives_a_reopen_and_stores_no_plaintext() {
    let (keyring, key) = Keyring::create(PASS, KdfParams::default()).unwrap();
    let (mut ws, bad) = Workspace::open(key, Vec::new());
    assert!(bad.is_empty());
    let mut db = FakeDb::default();

    let change = ws
        .stage_new_dossier(draft("Céline Janssens"), Timestamp(1_000))
        .unwrap();
    db.write(&change.writes);
    let dossier = change.target;
    ws.apply(change);

    let change = ws
        .stage_new_contact(
            dossier,
            ContactKind::Gesprek,
            ConsentChoice::Refused,
            Timestamp(2_000),
        )
        .unwrap();
    let key_writes =
        |c: &domain::workspace::Change| c.writes.iter().filter(|w| w.store == Store::Keys).count();
    assert_eq!(
        key_writes(&change),
        0,
        "a refused contact gets no contact key"
    );
    db.write(&change.writes);
    let refused = change.target;
    ws.apply(change);

    let change = ws
        .stage_contact_note(
            refused,
            "Huurachterstal van drie maanden.".into(),
            Timestamp(3_000),
        )
        .unwrap();
    db.write(&change.writes);
    ws.apply(change);

    let change = ws
        .stage_new_contact(
            dossier,
            ContactKind::Huisbezoek,
            ConsentChoice::Given,
            Timestamp(4_000),
        )
        .unwrap();
    assert_eq!(
        key_writes(&change),
        1,
        "a consented contact gets a wrapped contact key"
    );
    db.write(&change.writes);
    let given = change.target;
    ws.apply(change);

    for secret in [
        "Janssens",
        "Huurachterstal",
        "D-2026-0417",
        // Whole phrases: a short secret ("CAW", "1988") turns up by chance in the hex and
        // base64 of random ids and ciphertexts.
        "door het CAW",
        "1988-02-29",
        PASS,
    ] {
        assert!(!db.contains_text(secret), "{secret} is stored in the clear");
    }

    // Reload: unlock the stored keyring and decrypt everything.
    let stored: Keyring = serde_json::from_str(&serde_json::to_string(&keyring).unwrap()).unwrap();
    let (again, bad) = Workspace::open(stored.unlock(PASS).unwrap(), db.entries());
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(again.dossiers("").len(), 1);
    assert_eq!(again.dossier(dossier), ws.dossier(dossier));
    assert_eq!(again.contacts_of(dossier).len(), 2);
    assert_eq!(again.contacts_of(dossier)[0].id, given, "newest first");
    assert_eq!(
        again.contact(refused).unwrap().note,
        "Huurachterstal van drie maanden."
    );
    assert!(again.has_contact_key(given));
    assert!(!again.has_contact_key(refused));

    // The consent gate holds after a reload.
    assert!(again.contact(given).unwrap().processing_permit().is_ok());
    assert_eq!(
        again.contact(refused).unwrap().processing_permit(),
        Err(ConsentError::Refused { contact: refused })
    );
}

#[test]
fn wrong_passphrase_reads_nothing() {
    let (keyring, _) = Keyring::create(PASS, KdfParams::default()).unwrap();
    assert!(matches!(
        keyring.unlock("zonnige woensdag in Gent"),
        Err(KeyringError::WrongPassphrase)
    ));
}

#[test]
fn versions_increase_with_every_save() {
    let (_, key) = Keyring::create(PASS, KdfParams::default()).unwrap();
    let (mut ws, _) = Workspace::open(key, Vec::new());
    let mut db = FakeDb::default();
    let change = ws.stage_new_dossier(draft("A"), Timestamp(1)).unwrap();
    let id = change.target;
    db.write(&change.writes);
    ws.apply(change);
    for (i, name) in ["B", "C"].into_iter().enumerate() {
        let change = ws
            .stage_dossier_update(id, draft(name), Timestamp(2 + i as i64))
            .unwrap();
        db.write(&change.writes);
        ws.apply(change);
    }
    let bytes = &db.0[&("records", id.to_string())];
    assert_eq!(Envelope::parse(bytes).unwrap().version, 3);
    let d = ws.dossier(id).unwrap();
    assert_eq!((d.name.as_str(), d.created_at), ("C", Timestamp(1)));
}

#[test]
fn a_change_that_was_not_persisted_changes_nothing() {
    let (_, key) = Keyring::create(PASS, KdfParams::default()).unwrap();
    let (ws, _) = Workspace::open(key, Vec::new());
    let change = ws
        .stage_new_dossier(draft("Niet bewaard"), Timestamp(1))
        .unwrap();
    drop(change); // the storage transaction failed
    assert!(ws.dossiers("").is_empty());
}

#[test]
fn invalid_input_is_refused_before_anything_is_sealed() {
    let (_, key) = Keyring::create(PASS, KdfParams::default()).unwrap();
    let (ws, _) = Workspace::open(key, Vec::new());
    assert!(matches!(
        ws.stage_new_dossier(draft("   "), Timestamp(1)),
        Err(WorkspaceError::Dossier(_))
    ));
    let unknown = domain::RecordId::random().unwrap();
    assert!(matches!(
        ws.stage_new_contact(
            unknown,
            ContactKind::Gesprek,
            ConsentChoice::Given,
            Timestamp(1)
        ),
        Err(WorkspaceError::DossierNotFound)
    ));
}

#[test]
fn damaged_and_swapped_records_are_reported_and_the_rest_loads() {
    let (keyring, key) = Keyring::create(PASS, KdfParams::default()).unwrap();
    let (mut ws, _) = Workspace::open(key, Vec::new());
    let mut db = FakeDb::default();
    let mut ids = Vec::new();
    for name in ["Eerste", "Tweede"] {
        let change = ws.stage_new_dossier(draft(name), Timestamp(1)).unwrap();
        ids.push(change.target);
        db.write(&change.writes);
        ws.apply(change);
    }
    // Truncate one record, copy the other under a new id (a swap attempt), add garbage.
    let first = ("records", ids[0].to_string());
    let cut = db.0[&first][..20].to_vec();
    db.0.insert(first, cut);
    let copied = db.0[&("records", ids[1].to_string())].clone();
    let swapped = "ffffffffffffffffffffffffffffffff".to_owned();
    db.0.insert(("records", swapped.clone()), copied);
    db.0.insert(("records", "not-an-id".into()), b"ZV".to_vec());

    let (again, bad) = Workspace::open(keyring.unlock(PASS).unwrap(), db.entries());
    assert_eq!(again.dossiers("").len(), 1, "the intact record still loads");
    assert_eq!(again.dossiers("")[0].id, ids[1]);
    assert_eq!(bad.len(), 3, "{bad:?}");
    let error_of = |key: &str| bad.iter().find(|u| u.key == key).map(|u| u.error.clone());
    assert!(matches!(
        error_of(&ids[0].to_string()),
        Some(RecordError::Envelope(_))
    ));
    assert!(matches!(
        error_of(&swapped),
        Some(RecordError::Envelope(
            domain::crypto::EnvelopeError::Decrypt
        ))
    ));
    assert!(matches!(
        error_of("not-an-id"),
        Some(RecordError::Format(_))
    ));
}

mod reports {
    use super::*;
    use domain::consent::ConsentError;
    use domain::crypto::KeyRef;
    use domain::report::{
        AiUse, Proposal, Report, ReportError, ReportSection, Source, TemplateRef,
    };
    use domain::transcript::Transcript;

    fn report_for(
        contact: &domain::contact::Contact,
        proposals: Vec<Proposal>,
        ai: AiUse,
    ) -> Report {
        Report::new(
            domain::RecordId::random().unwrap(),
            contact.id,
            contact.dossier,
            TemplateRef {
                id: "sociaal-verslag".into(),
                version: 1,
                sha256: "00".into(),
                title: "Sociaal verslag".into(),
            },
            vec![ReportSection {
                id: "schulden".into(),
                title: "Schulden".into(),
                worker_only: false,
            }],
            proposals,
            ai,
            Timestamp(10),
        )
        .unwrap()
    }

    /// A workspace with one dossier, a "ja" and a "nee" contact.
    fn setup() -> (
        Keyring,
        Workspace,
        FakeDb,
        domain::RecordId,
        domain::RecordId,
    ) {
        let (keyring, key) = Keyring::create(PASS, KdfParams::default()).unwrap();
        let (mut ws, _) = Workspace::open(key, Vec::new());
        let mut db = FakeDb::default();
        let change = ws.stage_new_dossier(draft("Céline"), Timestamp(1)).unwrap();
        let dossier = change.target;
        db.write(&change.writes);
        ws.apply(change);
        let mut ids = Vec::new();
        for choice in [ConsentChoice::Given, ConsentChoice::Refused] {
            let change = ws
                .stage_new_contact(dossier, ContactKind::Gesprek, choice, Timestamp(2))
                .unwrap();
            ids.push(change.target);
            db.write(&change.writes);
            ws.apply(change);
        }
        (keyring, ws, db, ids[0], ids[1])
    }

    #[test]
    fn transcripts_need_consent_and_are_sealed_with_the_contact_key() {
        let (keyring, mut ws, mut db, ja, nee) = setup();
        let permit = ws.contact(ja).unwrap().processing_permit().unwrap();
        let t = Transcript::from_notes(
            domain::RecordId::random().unwrap(),
            nee,
            "Huurachterstal.",
            Timestamp(3),
        );
        assert!(matches!(
            ws.stage_transcript(&permit, t),
            Err(WorkspaceError::Consent(ConsentError::OtherContact { .. }))
        ));
        let t = Transcript::from_notes(
            domain::RecordId::random().unwrap(),
            ja,
            "Huurachterstal van 3 maanden.",
            Timestamp(3),
        );
        let change = ws.stage_transcript(&permit, t.clone()).unwrap();
        db.write(&change.writes);
        ws.apply(change);
        let bytes = &db.0[&("records", t.id.to_string())];
        assert_eq!(Envelope::parse(bytes).unwrap().key, KeyRef::Contact(ja));
        assert!(!db.contains_text("Huurachterstal"));

        // A report citing it, validated; then the contact key is destroyed (shredding).
        let mut report = report_for(
            ws.contact(ja).unwrap(),
            vec![Proposal {
                check: None,
                section: "schulden".into(),
                text: "Vermelde duur: 3 maanden.".into(),
                sources: vec![Source {
                    transcript: t.id,
                    segment: 1,
                }],
            }],
            AiUse {
                drafting: Some("extract".into()),
                ..AiUse::default()
            },
        );
        report.accept(1, Timestamp(4)).unwrap();
        report.validate("An", Timestamp(5)).unwrap();
        let change = ws.stage_new_report(Some(&permit), report.clone()).unwrap();
        db.write(&change.writes);
        ws.apply(change);
        db.0.remove(&("keys", ja.to_string()));

        let (again, bad) = Workspace::open(keyring.unlock(PASS).unwrap(), db.entries());
        assert!(
            again.transcript(t.id).is_none(),
            "shredded transcript must not open"
        );
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].error, RecordError::KeyUnavailable);
        assert_eq!(
            again.report(report.id),
            Some(&report),
            "the validated report stays"
        );
    }

    #[test]
    fn recordings_are_sealed_with_the_contact_key_corrected_with_history_and_shredded() {
        use domain::consent::Channel;
        use domain::transcript::AudioInfo;
        let (_, mut ws, mut db, ja, nee) = setup();
        let permit = ws.contact(ja).unwrap().processing_permit().unwrap();
        let wav = b"RIFF....WAVEfmt stemmen van het gesprek".to_vec();
        let t = Transcript::recorded(
            domain::RecordId::random().unwrap(),
            ja,
            "whisper-base-nl 1",
            [(0, 2000, "De huur is zevenhonderd euro.".to_owned())],
            Some(AudioInfo {
                sample_rate: 16_000,
                duration_ms: 2000,
                bytes: wav.len() as u64,
            }),
            Timestamp(3),
        );
        // No recording on a "nee" contact, not even with another contact's permit.
        let mut other = t.clone();
        other.contact = nee;
        assert!(matches!(
            ws.stage_recording(&permit, other, &wav),
            Err(WorkspaceError::Consent(ConsentError::OtherContact { .. }))
        ));
        let change = ws.stage_recording(&permit, t.clone(), &wav).unwrap();
        assert!(change.writes.iter().any(|w| w.store == Store::Audio));
        db.write(&change.writes);
        ws.apply(change);
        assert!(
            !db.contains_text("stemmen van het gesprek"),
            "audio is sealed"
        );
        let sealed = db.0.get(&("audio", t.id.to_string())).unwrap().clone();
        assert_eq!(ws.open_audio(t.id, &sealed).unwrap(), wav);
        let mut flipped = sealed.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(matches!(
            ws.open_audio(t.id, &flipped),
            Err(RecordError::Envelope(_))
        ));

        // A correction keeps the model's text.
        let change = ws
            .stage_segment_correction(&permit, t.id, 1, "De huur is 750 euro.", Timestamp(4))
            .unwrap();
        db.write(&change.writes);
        ws.apply(change);
        let corrected = ws.transcript(t.id).unwrap();
        assert_eq!(corrected.segments[0].text, "De huur is 750 euro.");
        assert_eq!(corrected.original(1), Some("De huur is zevenhonderd euro."));
        assert!(matches!(
            ws.stage_segment_correction(&permit, t.id, 7, "x", Timestamp(5)),
            Err(WorkspaceError::Transcript(_))
        ));

        // Revocation deletes transcript and audio, and the key: nothing opens any more.
        let change = ws
            .stage_revocation(ja, Channel::Mondeling, Timestamp(9))
            .unwrap();
        db.write(&change.writes);
        ws.apply(change);
        assert!(!db.0.contains_key(&("audio", t.id.to_string())));
        assert!(ws.transcript(t.id).is_none());
        assert_eq!(
            ws.open_audio(t.id, &sealed),
            Err(RecordError::KeyUnavailable)
        );
    }

    #[test]
    fn ai_reports_need_a_permit_and_hand_written_ones_do_not() {
        let (_, ws, _, ja, nee) = setup();
        let drafted = || {
            report_for(
                ws.contact(ja).unwrap(),
                vec![Proposal {
                    check: None,
                    section: "schulden".into(),
                    text: "Bedrag: € 5.".into(),
                    sources: vec![Source {
                        transcript: domain::RecordId::from_bytes([1; 16]),
                        segment: 1,
                    }],
                }],
                AiUse {
                    drafting: Some("extract".into()),
                    ..AiUse::default()
                },
            )
        };
        assert!(matches!(
            ws.stage_new_report(None, drafted()),
            Err(WorkspaceError::Consent(ConsentError::PermitMissing { .. }))
        ));
        let permit = ws.contact(ja).unwrap().processing_permit().unwrap();
        assert!(ws.stage_new_report(Some(&permit), drafted()).is_ok());
        // The alternative path: a "nee" contact gets the same report, written by hand.
        let by_hand = report_for(ws.contact(nee).unwrap(), vec![], AiUse::default());
        assert!(ws.stage_new_report(None, by_hand).is_ok());
        // A permit from the "ja" contact does not open AI for the "nee" contact.
        let mut sneaky = report_for(ws.contact(nee).unwrap(), vec![], AiUse::default());
        sneaky.ai.drafting = Some("extract".into());
        assert!(matches!(
            ws.stage_new_report(Some(&permit), sneaky),
            Err(WorkspaceError::Consent(ConsentError::OtherContact { .. }))
        ));
    }

    #[test]
    fn revocation_shreds_transcripts_flags_drafts_and_keeps_validated_reports() {
        use domain::consent::Channel;
        let (keyring, mut ws, mut db, ja, nee) = setup();
        let permit = ws.contact(ja).unwrap().processing_permit().unwrap();
        let t = Transcript::from_notes(
            domain::RecordId::random().unwrap(),
            ja,
            "Huurachterstal van 3 maanden. De huur is 650 euro.",
            Timestamp(3),
        );
        let change = ws.stage_transcript(&permit, t.clone()).unwrap();
        db.write(&change.writes);
        ws.apply(change);
        let proposal = |segment: u32| Proposal {
            check: None,
            section: "schulden".into(),
            text: format!("Zin uit bron {segment}."),
            sources: vec![Source {
                transcript: t.id,
                segment,
            }],
        };
        let ai = AiUse {
            drafting: Some("extract".into()),
            ..AiUse::default()
        };
        let mut validated = report_for(ws.contact(ja).unwrap(), vec![proposal(1)], ai.clone());
        validated.accept(1, Timestamp(4)).unwrap();
        validated.validate("An", Timestamp(5)).unwrap();
        let draft = report_for(ws.contact(ja).unwrap(), vec![proposal(2)], ai);
        for r in [validated.clone(), draft.clone()] {
            let change = ws.stage_new_report(Some(&permit), r).unwrap();
            db.write(&change.writes);
            ws.apply(change);
        }

        let change = ws
            .stage_revocation(ja, Channel::Telefonisch, Timestamp(50))
            .unwrap();
        db.write(&change.writes);
        ws.apply(change);

        // Recording and AI stop at once.
        assert_eq!(
            ws.contact(ja).unwrap().processing_permit(),
            Err(ConsentError::Revoked { contact: ja })
        );
        assert!(ws.transcript(t.id).is_none());
        assert!(!ws.has_contact_key(ja));
        // The validated report keeps its text and says the sources were removed.
        let kept = ws.report(validated.id).unwrap();
        assert_eq!(kept.sentences, validated.sentences);
        assert_eq!(kept.sources_removed_at, Some(Timestamp(50)));
        assert!(
            kept.disclosure(|t| t.millis().to_string())
                .lines
                .iter()
                .any(|l| l.contains("verwijderd na intrekking"))
        );
        // The draft's sentence is flagged and back in review; it cannot be accepted as is.
        let mut flagged = ws.report(draft.id).unwrap().clone();
        let s = &flagged.sentences[0];
        assert!(s.source_removed && s.sources.is_empty() && s.mark.is_none());
        // The text drawn from the destroyed transcript went with it, also from the history.
        assert!(s.text.is_empty() && s.history.is_empty());
        assert_eq!(s.proposal.as_deref(), Some(""));
        assert_eq!(
            flagged.accept(1, Timestamp(60)),
            Err(ReportError::SourceRemoved(1))
        );
        flagged
            .edit(1, "Door de werker herschreven.", Timestamp(60))
            .unwrap();
        assert_eq!(
            flagged.sentences[0].mark,
            Some(domain::report::Mark::Written)
        );
        // The receipt says what stopped, what was deleted and what was kept.
        let receipt = ws
            .contact(ja)
            .unwrap()
            .revoked
            .as_ref()
            .unwrap()
            .receipt(|t| t.millis().to_string());
        let text = receipt.join("\n");
        assert!(text.contains("ingetrokken op 50 (telefonisch)"), "{text}");
        assert!(text.contains("(aantal uitschrijvingen: 1)"), "{text}");
        assert!(
            text.contains("Bewaard: Sociaal verslag, versie 1"),
            "{text}"
        );
        // In storage: no key, no transcript; everything else still opens.
        assert!(!db.0.contains_key(&("keys", ja.to_string())));
        assert!(!db.0.contains_key(&("records", t.id.to_string())));
        let (again, bad) = Workspace::open(keyring.unlock(PASS).unwrap(), db.entries());
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(
            again.report(validated.id).unwrap().sources_removed_at,
            Some(Timestamp(50))
        );
        assert!(again.contact(ja).unwrap().revoked.is_some());
        // Nothing to revoke twice, or on a "nee" contact.
        assert!(matches!(
            ws.stage_revocation(ja, Channel::Mondeling, Timestamp(70)),
            Err(WorkspaceError::Consent(ConsentError::Revoked { .. }))
        ));
        assert!(matches!(
            ws.stage_revocation(nee, Channel::Mondeling, Timestamp(70)),
            Err(WorkspaceError::Consent(ConsentError::Refused { .. }))
        ));
    }

    #[test]
    fn a_validated_report_is_never_overwritten() {
        let (_, mut ws, _, _, nee) = setup();
        let mut report = report_for(ws.contact(nee).unwrap(), vec![], AiUse::default());
        report
            .write("schulden", "Geen schulden vermeld.", Timestamp(3))
            .unwrap();
        report.validate("An", Timestamp(4)).unwrap();
        let change = ws.stage_new_report(None, report.clone()).unwrap();
        ws.apply(change);
        let mut tampered = report.clone();
        tampered.validated = None;
        tampered.sentences[0].text = "Iets anders.".into();
        assert!(matches!(
            ws.stage_report_update(tampered),
            Err(WorkspaceError::Report(ReportError::Validated))
        ));
        assert_eq!(ws.report(report.id), Some(&report));
    }
}

#[test]
fn handled_actions_survive_dossier_edits() {
    let (_, key) = Keyring::create(PASS, KdfParams::default()).unwrap();
    let (mut ws, _) = Workspace::open(key, Vec::new());
    let change = ws.stage_new_dossier(draft("A"), Timestamp(1)).unwrap();
    let id = change.target;
    ws.apply(change);
    let change = ws
        .stage_action_done(id, "t1#3", true, Timestamp(2))
        .unwrap();
    ws.apply(change);
    let change = ws
        .stage_dossier_update(id, draft("B"), Timestamp(3))
        .unwrap();
    ws.apply(change);
    assert_eq!(ws.dossier(id).unwrap().done_actions, ["t1#3"]);
    let change = ws
        .stage_action_done(id, "t1#3", false, Timestamp(4))
        .unwrap();
    ws.apply(change);
    assert!(ws.dossier(id).unwrap().done_actions.is_empty());
}

#[test]
fn the_audit_log_records_every_step_append_only() {
    use domain::audit::AuditKind;
    use domain::consent::Channel;
    let (keyring, key) = Keyring::create(PASS, KdfParams::default()).unwrap();
    let (mut ws, _) = Workspace::open(key, Vec::new());
    ws.set_device("toestel-a");
    let mut db = FakeDb::default();
    let mut run = |ws: &mut Workspace, change: domain::workspace::Change| {
        db.write(&change.writes);
        let id = change.target;
        ws.apply(change);
        id
    };
    let change = ws.stage_new_dossier(draft("A"), Timestamp(1)).unwrap();
    let dossier = run(&mut ws, change);
    let change = ws
        .stage_new_contact(
            dossier,
            ContactKind::Gesprek,
            ConsentChoice::Given,
            Timestamp(2),
        )
        .unwrap();
    let contact = run(&mut ws, change);
    let export = AuditKind::ReportExported {
        report: dossier,
        format: "pdf".into(),
    };
    let change = ws.stage_audit(dossier, export, Timestamp(3)).unwrap();
    run(&mut ws, change);
    let change = ws
        .stage_revocation(contact, Channel::Email, Timestamp(4))
        .unwrap();
    run(&mut ws, change);

    let log: Vec<String> = ws
        .audit_of(dossier)
        .iter()
        .map(|e| e.kind.describe())
        .collect();
    assert_eq!(
        log,
        [
            "Toestemming ingetrokken (per e-mail); 0 uitschrijving(en) verwijderd",
            "Verslag geëxporteerd (pdf)",
            "Contact gestart; toestemming gegeven",
            "Dossier aangemaakt",
        ]
    );
    assert!(ws.audit_of(dossier).iter().all(|e| e.device == "toestel-a"));
    // Encrypted like everything, and it survives a reopen.
    assert!(!db.contains_text("toestel-a"));
    let (again, bad) = Workspace::open(keyring.unlock(PASS).unwrap(), db.entries());
    assert!(bad.is_empty());
    assert_eq!(again.audit_of(dossier).len(), 4);
}
