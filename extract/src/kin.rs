//! Kin words: every form a relation word takes in a note or a conversation (singular, plural,
//! diminutive, abbreviation) and the relation it names, in one table. The people, age and
//! household extractors all read it, so a form added here ("meisjes", "pleegkinderen") is
//! understood everywhere at once.

/// What a kin word says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kin {
    /// The relation, in its singular base form ("dochter" for "dochtertjes").
    pub relation: &'static str,
    /// The word names more than one person ("dochters", "kinderen", "tweeling").
    pub several: bool,
    /// Someone who lives with the client when they are the client's (a child, a partner).
    pub household: bool,
    /// A child: an age alone, without a name or a possessive, reads as someone at home.
    pub child: bool,
}

const ONE: u8 = 0;
const SEVERAL: u8 = 1;
const HOUSEHOLD: u8 = 2;
const CHILD: u8 = 4 | HOUSEHOLD;

/// `(form, relation, flags)`.
const WORDS: &[(&str, &str, u8)] = &[
    ("zoon", "zoon", CHILD),
    ("zoontje", "zoon", CHILD),
    ("zonen", "zoon", CHILD | SEVERAL),
    ("zoons", "zoon", CHILD | SEVERAL),
    ("zoontjes", "zoon", CHILD | SEVERAL),
    ("dochter", "dochter", CHILD),
    ("dochtertje", "dochter", CHILD),
    ("dochters", "dochter", CHILD | SEVERAL),
    ("dochtertjes", "dochter", CHILD | SEVERAL),
    ("jongen", "zoon", CHILD),
    ("jongetje", "zoon", CHILD),
    ("jongens", "zoon", CHILD | SEVERAL),
    ("jongetjes", "zoon", CHILD | SEVERAL),
    ("meisje", "dochter", CHILD),
    ("meisjes", "dochter", CHILD | SEVERAL),
    ("kind", "kind", CHILD),
    ("kindje", "kind", CHILD),
    ("kinderen", "kind", CHILD | SEVERAL),
    ("kindjes", "kind", CHILD | SEVERAL),
    ("kdn", "kind", CHILD | SEVERAL),
    ("kids", "kind", CHILD | SEVERAL),
    ("kleintjes", "kind", CHILD | SEVERAL),
    ("peuter", "kind", CHILD),
    ("peuters", "kind", CHILD | SEVERAL),
    ("kleuter", "kind", CHILD),
    ("kleuters", "kind", CHILD | SEVERAL),
    ("tweeling", "kind", CHILD | SEVERAL),
    ("baby", "baby", CHILD),
    ("baby'tje", "baby", CHILD),
    ("kleinzoon", "kleinzoon", CHILD),
    ("kleinzonen", "kleinzoon", CHILD | SEVERAL),
    ("kleindochter", "kleindochter", CHILD),
    ("kleindochters", "kleindochter", CHILD | SEVERAL),
    ("kleinkind", "kleinkind", CHILD),
    ("kleinkinderen", "kleinkind", CHILD | SEVERAL),
    ("pleegzoon", "pleegzoon", CHILD),
    ("pleegdochter", "pleegdochter", CHILD),
    ("pleegkind", "pleegkind", CHILD),
    ("pleegkinderen", "pleegkind", CHILD | SEVERAL),
    ("stiefzoon", "stiefzoon", CHILD),
    ("stiefdochter", "stiefdochter", CHILD),
    ("stiefkind", "stiefkind", CHILD),
    ("stiefkinderen", "stiefkind", CHILD | SEVERAL),
    ("partner", "partner", HOUSEHOLD),
    ("man", "man", HOUSEHOLD),
    ("vrouw", "vrouw", HOUSEHOLD),
    ("echtgenoot", "echtgenoot", HOUSEHOLD),
    ("echtgenote", "echtgenote", HOUSEHOLD),
    ("moeder", "moeder", ONE),
    ("vader", "vader", ONE),
    ("mama", "mama", ONE),
    ("papa", "papa", ONE),
    ("ouders", "ouder", SEVERAL),
    ("vriend", "vriend", ONE),
    ("vriendin", "vriendin", ONE),
    ("broer", "broer", ONE),
    ("broers", "broer", SEVERAL),
    ("zus", "zus", ONE),
    ("zussen", "zus", SEVERAL),
    ("zuster", "zuster", ONE),
    ("oma", "oma", ONE),
    ("opa", "opa", ONE),
    ("grootmoeder", "grootmoeder", ONE),
    ("grootvader", "grootvader", ONE),
    ("ex", "ex", ONE),
    ("ex-partner", "ex-partner", ONE),
    ("ex-man", "ex-man", ONE),
    ("ex-vrouw", "ex-vrouw", ONE),
    ("schoonmoeder", "schoonmoeder", ONE),
    ("schoonvader", "schoonvader", ONE),
    ("stiefvader", "stiefvader", ONE),
    ("stiefmoeder", "stiefmoeder", ONE),
    ("tante", "tante", ONE),
    ("oom", "oom", ONE),
    ("neef", "neef", ONE),
    ("nicht", "nicht", ONE),
];

/// What `word` (lower case) says as a kin word, if it is one.
pub fn kin(word: &str) -> Option<Kin> {
    WORDS
        .iter()
        .find(|(form, ..)| *form == word)
        .map(|&(_, relation, flags)| Kin {
            relation,
            several: flags & SEVERAL != 0,
            household: flags & HOUSEHOLD != 0,
            child: flags & CHILD == CHILD,
        })
}

/// The relation `word` names when it names one person ("dochtertje" → "dochter").
pub fn one(word: &str) -> Option<&'static str> {
    kin(word).filter(|k| !k.several).map(|k| k.relation)
}

/// The relation `word` names in its base form when it names one person, else `word` itself:
/// what the people finder records as a relation.
pub fn base(word: &str) -> &str {
    one(word).unwrap_or(word)
}

/// Whether relation `relation` (a base form) makes someone part of the client's household.
pub fn is_household(relation: &str) -> bool {
    kin(relation).is_some_and(|k| k.household)
}
