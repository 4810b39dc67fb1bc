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
        .chain(0xfb00..0xfb07)
        .filter_map(char::from_u32);
    // Letters NFKD leaves whole that fold anyway, on purpose.
    let beyond = "ØøĐđĦħıŁłƀƗƶƵ";
    for c in covered.filter(|c| !beyond.contains(*c)) {
        assert_eq!(
            fold(&format!("x{c}x")),
            format!("x{}x", reference(c))
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            "{c:?} (U+{:04X})",
            c as u32
        );
    }
}

#[test]
fn names_of_many_languages_fold_to_their_base_letters() {
    assert_eq!(fold("Ayşe Yılmaz"), "ayse yilmaz");
    assert_eq!(fold("Łukasz Wójcik"), "lukasz wojcik");
    assert_eq!(fold("Đặng Søren"), "dang soren");
    // Ligatures as PDF copies give them.
    assert_eq!(fold("Van Dĳk"), "van dijk");
    assert_eq!(fold("Griﬃths"), "griffiths");
    assert_eq!(fold("Nguyễn Thị Ánh"), "nguyen thi anh");
    assert_eq!(fold("Ștefan Țurcanu"), "stefan turcanu");
    assert_eq!(fold("Zoë  Müller-Dvořák"), "zoe muller-dvorak");
    // Accents typed as combining marks fold the same.
    assert_eq!(fold("Ce\u{301}line"), fold("Céline"));
    assert!(matches("celine", &["Céline Van Damme"]));
    assert!(matches("ayse", &["Ayşe Yılmaz"]));
    assert!(matches("nguyen", &["Nguyễn Thị Ánh"]));
}
