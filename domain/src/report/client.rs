//! The report as its client reads it: plain Dutch (B1), no internal words (template ids,
//! "AI-voorstel(len)", extractor versions), and who read and approved it.

use super::Report;
use crate::Timestamp;

impl Report {
    /// The AI-use disclosure for the client, in plain Dutch; `moment` formats timestamps.
    pub fn client_disclosure(&self, moment: impl Fn(Timestamp) -> String) -> Vec<String> {
        let mut lines = Vec::new();
        let (accepted, changed, written, _) = self.counts();
        let any_ai = self.ai.recording
            || self.ai.transcription_model.is_some()
            || self.ai.drafting.is_some();
        if any_ai {
            lines.push(
                "Uw maatschappelijk werker gebruikte bij dit verslag AI-ondersteuning: een \
                 computerprogramma. U gaf daar toestemming voor."
                    .to_owned(),
            );
            if self.ai.recording {
                lines.push(
                    "Het gesprek werd opgenomen op de computer van uw maatschappelijk werker. De \
                     opname bleef op die computer."
                        .to_owned(),
                );
            }
            if self.ai.transcription_model.is_some() {
                lines.push(
                    "Het programma schreef op, wat er in het gesprek gezegd werd.".to_owned(),
                );
            }
            if self.ai.drafting.is_some() {
                lines.push(
                    "Het programma stelde zinnen voor uit het gesprek. Het besliste niets."
                        .to_owned(),
                );
            }
            lines.push(format!(
                "Uw maatschappelijk werker las elke zin na. Voorgesteld en zo gelaten: {}. \
                 Aangepast: {}. Zelf geschreven: {}.",
                sentences(accepted),
                sentences(changed),
                sentences(written)
            ));
        } else {
            lines.push(
                "Uw maatschappelijk werker schreef dit verslag zelf. Er was geen opname en geen \
                 computerprogramma."
                    .to_owned(),
            );
        }
        if let Some(at) = self.sources_removed_at {
            lines.push(format!(
                "U trok uw toestemming in. De opname en de uitgeschreven tekst zijn gewist ({}).",
                moment(at)
            ));
        }
        lines.push(match &self.validated {
            Some(v) => format!(
                "{} las het verslag na en keurde het goed op {}.",
                v.by,
                moment(v.at)
            ),
            None => "Dit is nog een ontwerp. Niemand keurde het al goed.".to_owned(),
        });
        lines
    }
}

/// "1 zin", "3 zinnen".
fn sentences(n: usize) -> String {
    if n == 1 {
        "1 zin".to_owned()
    } else {
        format!("{n} zinnen")
    }
}
