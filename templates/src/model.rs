//! The checked template model. It reads and writes as JSON (`serde`): that is how the browser
//! app receives templates the relay or the build has already checked from their TOML files.

use serde::{Deserialize, Serialize};

use crate::pattern::{Pattern, PatternError};

/// Who reads the finished document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Colleagues, the BCSD, partner services.
    Professional,
    /// The client: plain language (B1).
    Client,
}

/// How a section may be drafted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Drafting {
    /// Filled patterns from extracted facts, and verbatim excerpts.
    Facts,
    /// Verbatim excerpts of what was said, in quotation marks, attributed.
    Excerpts,
    /// Only the worker writes here (analysis, proposal, decision). Never drafted.
    Worker,
}

/// The kind of value a field holds, which decides which extractor feeds it and which slots its
/// pattern may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Free text, written by the worker.
    Text,
    /// An amount of money.
    Money,
    /// A calendar date.
    Date,
    /// A length of time.
    Duration,
    /// A person's age.
    Age,
    /// A person named in relation to the client (partner, child, mother, …).
    Person,
    /// An organisation or service (CAW, VDAB, OCMW, …).
    Organisation,
    /// An agreed action with owner and due date.
    Action,
    /// A yes/no answer, set by the worker.
    YesNo,
    /// Verbatim excerpts.
    Excerpt,
}

impl FieldKind {
    /// The slots a pattern for this kind may use. Empty: the kind has no pattern.
    pub fn slots(self) -> &'static [&'static str] {
        match self {
            Self::Money => &["value", "period"],
            Self::Date | Self::Duration | Self::Organisation => &["value"],
            Self::Age => &["value", "who"],
            Self::Person => &["relation", "name"],
            Self::Action => &["owner", "action", "due"],
            Self::Text | Self::YesNo | Self::Excerpt => &[],
        }
    }

    /// Whether facts of this kind can be drafted (it has an extractor and a pattern).
    pub fn drafted(self) -> bool {
        self.fact_kind().is_some()
    }

    /// The kind of extracted fact that fills this field, for drafted kinds.
    pub fn fact_kind(self) -> Option<extract::FactKind> {
        use extract::FactKind;
        match self {
            Self::Money => Some(FactKind::Money),
            Self::Date => Some(FactKind::Date),
            Self::Duration => Some(FactKind::Duration),
            Self::Age => Some(FactKind::Age),
            Self::Person => Some(FactKind::Person),
            Self::Organisation => Some(FactKind::Organisation),
            Self::Action => Some(FactKind::Action),
            Self::Text | Self::YesNo | Self::Excerpt => None,
        }
    }

    /// Stable snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Money => "money",
            Self::Date => "date",
            Self::Duration => "duration",
            Self::Age => "age",
            Self::Person => "person",
            Self::Organisation => "organisation",
            Self::Action => "action",
            Self::YesNo => "yes_no",
            Self::Excerpt => "excerpt",
        }
    }
}

/// One field of a section. Read from JSON, its pattern is parsed again against its kind's slots,
/// so a pattern the kind cannot fill is refused there too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "FieldData")]
pub struct Field {
    /// Id, unique within the template.
    pub id: String,
    /// Label shown to the worker and in the document.
    pub label: String,
    /// Kind of value.
    pub kind: FieldKind,
    /// Words that must occur in the source utterance for a fact to fill this field (lowercase);
    /// empty: any fact of the kind in this section.
    pub cues: Vec<String>,
    /// The sentence pattern, for kinds that are drafted.
    pub pattern: Option<Pattern>,
}

/// A field as written in JSON, before its pattern is checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldData {
    id: String,
    label: String,
    kind: FieldKind,
    cues: Vec<String>,
    pattern: Option<String>,
}

impl TryFrom<FieldData> for Field {
    type Error = PatternError;

    fn try_from(data: FieldData) -> Result<Self, PatternError> {
        let pattern = data
            .pattern
            .map(|text| Pattern::parse(&text, data.kind.slots()))
            .transpose()?;
        Ok(Self {
            id: data.id,
            label: data.label,
            kind: data.kind,
            cues: data.cues,
            pattern,
        })
    }
}

/// One section of a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Id, unique within the template.
    pub id: String,
    /// Heading.
    pub title: String,
    /// Guidance for the worker.
    pub guidance: String,
    /// How the section may be drafted.
    pub drafting: Drafting,
    /// Terms that assign an utterance to this section (lowercase words or phrases).
    pub terms: Vec<String>,
    /// The fact frames drafted into this section (each kind in one section at most).
    pub frames: Vec<extract::FrameKind>,
    /// Fields.
    pub fields: Vec<Field>,
}

/// One published version of a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Stable id, e.g. `sociaal-verslag`.
    pub id: String,
    /// Version, from 1; a published version never changes.
    pub version: u32,
    /// Title of the document.
    pub title: String,
    /// Publication date, `YYYY-MM-DD`.
    pub published: String,
    /// Who owns this version.
    pub owner: String,
    /// Why this version exists.
    pub reason: String,
    /// Language tag, e.g. `nl-BE`.
    pub language: String,
    /// Who reads the document.
    pub audience: Audience,
    /// Sections in document order.
    pub sections: Vec<Section>,
    /// SHA-256 of the file's bytes, hex: identifies exactly what a report was made with.
    pub sha256: String,
}

impl Template {
    /// `id@version`.
    pub fn key(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }
}
