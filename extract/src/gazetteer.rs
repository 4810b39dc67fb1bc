//! Organisations and services a worker names, from a gazetteer that templates can extend.

use crate::fact::{Fact, FactValue, Segment};
use crate::scan::{fact, phrase_at};
use crate::token::{Token, tokenize};

/// Canonical name and the ways people say it (lowercase; matched as whole words).
const BUILTIN: &[(&str, &[&str])] = &[
    ("CAW", &["caw", "centrum algemeen welzijnswerk"]),
    ("VDAB", &["vdab"]),
    ("OCMW", &["ocmw"]),
    ("Sociaal Huis", &["sociaal huis"]),
    ("RVA", &["rva", "onem"]),
    ("mutualiteit", &["mutualiteit", "ziekenfonds"]),
    (
        "schuldbemiddeling",
        &[
            "schuldbemiddeling",
            "schuldbemiddelaar",
            "schuldhulpverlening",
        ],
    ),
    (
        "collectieve schuldenregeling",
        &["collectieve schuldenregeling"],
    ),
    ("budgetbeheer", &["budgetbeheer"]),
    ("budgetbegeleiding", &["budgetbegeleiding"]),
    ("Huis van het Kind", &["huis van het kind"]),
    ("CLB", &["clb"]),
    ("Kind en Gezin", &["kind en gezin"]),
    ("Opgroeien", &["opgroeien"]),
    ("sociaal verhuurkantoor", &["sociaal verhuurkantoor", "svk"]),
    (
        "sociale huisvestingsmaatschappij",
        &[
            "sociale huisvestingsmaatschappij",
            "huisvestingsmaatschappij",
        ],
    ),
    (
        "BCSD",
        &[
            "bcsd",
            "bijzonder comité voor de sociale dienst",
            "bijzonder comité",
        ],
    ),
    ("OCMW-raad", &["ocmw-raad"]),
    ("wijkteam", &["wijkteam"]),
    ("Juridisch Loket", &["juridisch loket"]),
    ("Sociale Kaart", &["sociale kaart"]),
    (
        "gerechtsdeurwaarder",
        &["deurwaarder", "gerechtsdeurwaarder"],
    ),
    ("huisarts", &["huisarts"]),
    ("ziekenhuis", &["ziekenhuis"]),
    ("CGG", &["cgg", "centrum geestelijke gezondheidszorg"]),
    ("arbeidsrechtbank", &["arbeidsrechtbank"]),
    ("groeipakket", &["groeipakket", "kindergeld"]),
    ("Fedasil", &["fedasil"]),
    ("energieleverancier", &["energieleverancier"]),
    ("vrederechter", &["vrederechter", "vredegerecht"]),
    ("jeugdrechter", &["jeugdrechter", "jeugdrechtbank"]),
    ("DAVO", &["davo", "dienst alimentatievorderingen"]),
    ("Huis van het Nederlands", &["huis van het nederlands"]),
    ("tandarts", &["tandarts"]),
    ("apotheek", &["apotheek", "apotheker"]),
    ("zorgverzekeraar", &["zorgverzekeraar", "zorgverzekering"]),
    ("gemeente", &["gemeente"]),
    ("advocaat", &["advocaat", "pro-deoadvocaat"]),
    ("notaris", &["notaris"]),
    ("politie", &["politie", "wijkagent"]),
    ("voedselbank", &["voedselbank"]),
    ("sociale kruidenier", &["sociale kruidenier"]),
    ("kinderopvang", &["kinderopvang", "crèche"]),
    ("Zorgkas", &["zorgkas", "zorgbudget"]),
    ("Woonwinkel", &["woonwinkel"]),
    ("huurdersbond", &["huurdersbond"]),
    ("Rode Kruis", &["rode kruis"]),
    ("vakbond", &["vakbond", "abvv", "acv", "aclvb"]),
    ("hulpkas", &["hulpkas", "hvw", "capac"]),
];

/// A list of organisations to recognise.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    entries: Vec<(String, Vec<Vec<String>>)>,
}

impl Default for Gazetteer {
    fn default() -> Self {
        let mut g = Self {
            entries: Vec::new(),
        };
        for (name, variants) in BUILTIN {
            g.add(name, variants);
        }
        g
    }
}

impl Gazetteer {
    /// Adds an organisation (or more ways to say an existing one).
    pub fn add(&mut self, canonical: &str, variants: &[&str]) {
        let words: Vec<Vec<String>> = variants
            .iter()
            .map(|v| tokenize(v).into_iter().map(|t| t.lower).collect())
            .filter(|w: &Vec<String>| !w.is_empty())
            .collect();
        match self.entries.iter_mut().find(|(n, _)| n == canonical) {
            Some((_, existing)) => existing.extend(words),
            None => self.entries.push((canonical.to_owned(), words)),
        }
    }

    /// Finds organisations in one segment (longest match wins; no overlaps).
    pub fn find(&self, seg: &Segment, tokens: &[Token<'_>]) -> Vec<Fact> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let best = self
                .entries
                .iter()
                .flat_map(|(name, variants)| variants.iter().map(move |v| (name, v)))
                .filter(|(_, v)| {
                    let words: Vec<&str> = v.iter().map(String::as_str).collect();
                    phrase_at(tokens, i, &words)
                })
                .max_by_key(|(_, v)| v.len());
            match best {
                Some((name, v)) => {
                    let last = i + v.len() - 1;
                    found.push(fact(
                        seg,
                        tokens,
                        i,
                        last,
                        FactValue::Organisation { name: name.clone() },
                    ));
                    i = last + 1;
                }
                None => i += 1,
            }
        }
        found
    }
}
