//! A plain-text rendering of a template's structure.

use std::fmt::Write;

use crate::model::{Audience, Drafting, Template};

/// Renders the template as the worker would see its empty form: metadata, sections, how each
/// is drafted, fields and their sentence patterns.
pub fn render(t: &Template) -> String {
    let mut out = String::new();
    let audience = match t.audience {
        Audience::Professional => "professionals",
        Audience::Client => "de cliënt (eenvoudige taal, B1)",
    };
    // Writing to a String cannot fail.
    let _ = writeln!(out, "# {} (versie {})", t.title, t.version);
    let _ = writeln!(
        out,
        "Sjabloon: {} · gepubliceerd {} · eigenaar: {}",
        t.id, t.published, t.owner
    );
    let _ = writeln!(out, "Reden: {}", t.reason);
    let _ = writeln!(out, "Taal: {} · voor {}", t.language, audience);
    for s in &t.sections {
        let how = match s.drafting {
            Drafting::Facts => "voorstel uit feiten en citaten",
            Drafting::Excerpts => "voorstel uit letterlijke citaten",
            Drafting::Worker => "alleen door de maatschappelijk werker",
        };
        let _ = writeln!(out, "\n## {} [{}]", s.title, how);
        if !s.guidance.is_empty() {
            let _ = writeln!(out, "{}", s.guidance);
        }
        if !s.terms.is_empty() {
            let _ = writeln!(out, "Herkend aan: {}", s.terms.join(", "));
        }
        for k in &s.frames {
            let _ = writeln!(
                out,
                "- {} (feitenkader {})",
                crate::sentences::label(*k),
                k.name()
            );
        }
        for f in &s.fields {
            let _ = write!(out, "- {} ({})", f.label, f.kind.name());
            if let Some(p) = &f.pattern {
                let _ = write!(out, ": \"{p}\"");
            }
            if !f.cues.is_empty() {
                let _ = write!(out, " — bij: {}", f.cues.join(", "));
            }
            out.push('\n');
        }
    }
    out
}
