//! Just enough shaping for names and short phrases in a left-to-right report: Arabic letters
//! take their joining forms (Arabic Presentation Forms, with the lam-alef ligatures), and runs of
//! right-to-left text are laid out right to left.
//!
//! # Design
//! The report is Dutch, so every line is left-to-right; what must come out right is a client's
//! name or a quoted phrase in Arabic script inside it. A full shaping engine (OpenType `GSUB`,
//! `GPOS`, the Unicode bidirectional algorithm) would cost far more in the browser bundle than
//! this need justifies. Instead:
//! - the joining form of each Arabic letter is its code point in the Presentation Forms blocks,
//!   which fonts with Arabic coverage (DejaVu Sans among them) map in their `cmap`;
//! - a right-to-left run (from the first to the last strong right-to-left character, with the
//!   spaces and punctuation between them) is reversed for display; digits inside it keep their
//!   order and paired brackets are mirrored.
//!
//! Each displayed piece keeps the logical text it stands for, so the PDF's `ToUnicode` map gives
//! the original characters back when the text is copied or extracted.

/// One glyph to draw, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Piece {
    /// The character whose glyph is drawn (a presentation form for joined Arabic letters).
    pub shown: char,
    /// The logical text it stands for: one character, or two for a lam-alef ligature.
    pub source: (char, Option<char>),
    /// Part of a right-to-left run (laid out reversed).
    pub rtl: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Joining {
    /// Joins on both sides (isolated, final, initial, medial forms).
    Dual,
    /// Joins only to the preceding letter (isolated and final forms).
    Right,
    /// Combining marks: skipped when deciding how letters join.
    Transparent,
    /// Does not join.
    None,
}

/// The isolated presentation form of an Arabic letter and how it joins; the final, initial and
/// medial forms follow it in that order.
fn arabic(c: char) -> (Joining, Option<u32>) {
    // U+0621..=U+063A and U+0641..=U+064A, in order: the number of forms of each letter. Their
    // presentation forms follow one another from U+FE80.
    const FORMS: [u8; 26 + 10] = [
        1, 2, 2, 2, 2, 4, 2, 4, 2, 4, 4, 4, 4, 4, 2, 2, 2, 2, 4, 4, 4, 4, 4, 4, 4,
        4, // 0621..063A
        4, 4, 4, 4, 4, 4, 4, 2, 2, 4, // 0641..064A
    ];
    let code = u32::from(c);
    let index = match code {
        0x0621..=0x063A => Some(code - 0x0621),
        0x0641..=0x064A => Some(code - 0x0641 + 26),
        _ => None,
    };
    if let Some(index) = index {
        let mut form = 0xFE80;
        let mut joining = Joining::None;
        for (i, &n) in FORMS.iter().enumerate() {
            if i == index as usize {
                joining = match n {
                    4 => Joining::Dual,
                    2 => Joining::Right,
                    _ => Joining::None,
                };
                break;
            }
            form += u32::from(n);
        }
        return (joining, Some(form));
    }
    match code {
        // Persian and Urdu letters (Presentation Forms-A).
        0x067E => (Joining::Dual, Some(0xFB56)),
        0x0686 => (Joining::Dual, Some(0xFB7A)),
        0x0698 => (Joining::Right, Some(0xFB8A)),
        0x06A9 => (Joining::Dual, Some(0xFB8E)),
        0x06AF => (Joining::Dual, Some(0xFB92)),
        0x06CC => (Joining::Dual, Some(0xFBFC)),
        // Tatweel joins on both sides and has no forms of its own.
        0x0640 => (Joining::Dual, None),
        0x064B..=0x065F | 0x0670 => (Joining::Transparent, None),
        _ => (Joining::None, None),
    }
}

fn is_rtl(c: char) -> bool {
    matches!(u32::from(c), 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)
}

fn mirror(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        c => c,
    }
}

/// Lam-alef ligature (isolated form) for an alef variant after lam.
fn lam_alef(alef: char) -> Option<u32> {
    match alef {
        '\u{0622}' => Some(0xFEF5),
        '\u{0623}' => Some(0xFEF7),
        '\u{0625}' => Some(0xFEF9),
        '\u{0627}' => Some(0xFEFB),
        _ => None,
    }
}

/// Logical-order pieces with Arabic joining forms applied.
fn join(chars: &[char]) -> Vec<Piece> {
    let joining: Vec<Joining> = chars.iter().map(|&c| arabic(c).0).collect();
    // The nearest non-transparent neighbour on each side.
    let neighbour = |i: usize, forward: bool| -> Option<Joining> {
        let mut j = i;
        loop {
            j = if forward {
                j.checked_add(1)?
            } else {
                j.checked_sub(1)?
            };
            match joining.get(j)? {
                Joining::Transparent => continue,
                other => return Some(*other),
            }
        }
    };
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let (kind, isolated) = arabic(c);
        let joins_before = matches!(kind, Joining::Dual | Joining::Right)
            && neighbour(i, false) == Some(Joining::Dual);
        if c == '\u{0644}'
            && let Some(ligature) = chars.get(i + 1).copied().and_then(lam_alef)
        {
            let form = ligature + u32::from(joins_before);
            out.push(Piece {
                shown: char::from_u32(form).unwrap_or(c),
                source: (c, Some(chars[i + 1])),
                rtl: false,
            });
            i += 2;
            continue;
        }
        let joins_after = kind == Joining::Dual
            && matches!(neighbour(i, true), Some(Joining::Dual | Joining::Right));
        let shown = match (isolated, joins_before, joins_after) {
            (Some(base), before, after) => {
                let offset = match (before, after) {
                    (false, false) => 0,
                    (true, false) => 1,
                    (false, true) => 2,
                    (true, true) => 3,
                };
                char::from_u32(base + offset).unwrap_or(c)
            }
            (None, ..) => c,
        };
        out.push(Piece {
            shown,
            source: (c, None),
            rtl: false,
        });
        i += 1;
    }
    out
}

/// The pieces of `text` in display order for a left-to-right line.
pub(crate) fn shape(text: &str) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let mut pieces = join(&chars);
    let rtl = |p: &Piece| is_rtl(p.source.0);
    let mut i = 0;
    while i < pieces.len() {
        if !rtl(&pieces[i]) {
            i += 1;
            continue;
        }
        // The run ends at the last strong right-to-left piece before the next strong
        // left-to-right one (a letter that is not right-to-left).
        let mut end = i + 1;
        let mut j = i + 1;
        while j < pieces.len() {
            let p = &pieces[j];
            if rtl(p) {
                end = j + 1;
            } else if p.source.0.is_alphabetic() {
                break;
            }
            j += 1;
        }
        let run = &mut pieces[i..end];
        run.reverse();
        for piece in run.iter_mut() {
            piece.rtl = true;
        }
        // Numbers read left to right even inside a right-to-left run.
        let mut k = 0;
        while k < run.len() {
            if run[k].source.0.is_ascii_digit() {
                let start = k;
                while k < run.len() && run[k].source.0.is_ascii_digit() {
                    k += 1;
                }
                run[start..k].reverse();
            } else {
                run[k].shown = mirror(run[k].shown);
                k += 1;
            }
        }
        i = end;
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> String {
        shape(text).iter().map(|p| p.shown).collect()
    }

    #[test]
    fn latin_text_is_unchanged() {
        assert_eq!(shown("Ayşe Yılmaz (Łukasz)"), "Ayşe Yılmaz (Łukasz)");
        assert!(shape("Дмитрий Иванов").iter().all(|p| !p.rtl));
    }

    #[test]
    fn arabic_letters_join_and_read_right_to_left() {
        // محمد: meem initial, hah medial, meem medial, dal final; shown reversed.
        assert_eq!(shown("محمد"), "\u{FEAA}\u{FEE4}\u{FEA4}\u{FEE3}");
        let sources: String = shape("محمد").iter().rev().map(|p| p.source.0).collect();
        assert_eq!(sources, "محمد");
    }

    #[test]
    fn a_name_inside_dutch_text_keeps_its_place() {
        let pieces = shape("Cliënt: محمد علي (12)");
        let rtl: Vec<bool> = pieces.iter().map(|p| p.rtl).collect();
        assert_eq!(
            rtl,
            [[false; 8].as_slice(), &[true; 8], &[false; 5]].concat()
        );
        let text = shown("Cliënt: محمد علي (12)");
        assert!(text.starts_with("Cliënt: "));
        assert!(text.ends_with(" (12)"));
        // علي then محمد, each reversed: the first word is rightmost.
        assert!(text.contains("\u{FEF2}\u{FEE0}\u{FECB} \u{FEAA}"));
    }

    #[test]
    fn lam_alef_is_one_ligature_for_two_characters() {
        let pieces = shape("سلام");
        assert_eq!(pieces.len(), 3);
        assert!(
            pieces
                .iter()
                .any(|p| p.source == ('\u{0644}', Some('\u{0627}')) && p.shown == '\u{FEFC}')
        );
    }

    #[test]
    fn digits_keep_their_order_inside_a_right_to_left_run() {
        let text = shown("محمد 2026 علي");
        assert!(text.contains(" 2026 "));
    }
}
