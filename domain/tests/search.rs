//! Name search folds accented letters as Unicode's full compatibility decomposition does.

use domain::search::{fold, matches};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The fold by full decomposition: NFKD, marks dropped, lowercased.
fn reference(c: char) -> String {
    c.to_string()
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[test]
fn every_letter_of_the_covered_blocks_folds_as_a_full_decomposition() {
    let covered = (0xa0..0x530)
        .chain(0x1e00..0x2000)
        .filter_map(char::from_u32);
    for c in covered {
        let full = reference(c);
        // Where the decomposition leaves several characters (a ligature, "½"), the letter is
        // kept as it is; both sides of a search fold the same way.
        let want = if full.chars().count() == 1 {
            full
        } else {
            c.to_lowercase().collect()
        };
        let got: String = domain::search::base_letter(c).to_lowercase().collect();
        assert_eq!(got, want, "{c:?} (U+{:04X})", c as u32);
    }
}

#[test]
fn names_of_many_languages_fold_to_their_base_letters() {
    assert_eq!(fold("Ayşe Yılmaz"), "ayse yılmaz");
    assert_eq!(fold("Łukasz Wójcik"), "łukasz wojcik");
    assert_eq!(fold("Nguyễn Thị Ánh"), "nguyen thi anh");
    assert_eq!(fold("Ștefan Țurcanu"), "stefan turcanu");
    assert_eq!(fold("Zoë  Müller-Dvořák"), "zoe muller-dvorak");
    // Accents typed as combining marks fold the same.
    assert_eq!(fold("Ce\u{301}line"), fold("Céline"));
    assert!(matches("celine", &["Céline Van Damme"]));
    assert!(matches("ayse", &["Ayşe Yılmaz"]));
    assert!(matches("nguyen", &["Nguyễn Thị Ánh"]));
}
