//! The standard Helvetica fonts with WinAnsi encoding: no font data needed, but only the
//! characters of Western European languages. Used when no font could be loaded and the document
//! needs nothing more (see [`super::fits_standard_fonts`]).

use std::fmt::Write as _;

/// Helvetica advance widths (1/1000 em) for ASCII 32..=126, from the standard AFM.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// WinAnsi byte for a character, if the standard fonts can show it.
pub(crate) fn win_ansi(c: char) -> Option<u8> {
    Some(match c {
        ' '..='~' => c as u8,
        '€' => 0x80,
        '‚' => 0x82,
        '„' => 0x84,
        '…' => 0x85,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '\u{a0}'..='\u{ff}' => c as u32 as u8,
        _ => return None,
    })
}

/// Width of a character in 1/1000 em: ASCII from the table, accented letters as their base.
fn width(c: char) -> f32 {
    let base = match c {
        'à'..='å' => 'a',
        'è'..='ë' => 'e',
        'ì'..='ï' => 'i',
        'ò'..='ö' => 'o',
        'ù'..='ü' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        'À'..='Å' => 'A',
        'È'..='Ë' => 'E',
        'Ì'..='Ï' => 'I',
        'Ò'..='Ö' => 'O',
        'Ù'..='Ü' => 'U',
        'Ç' => 'C',
        c => c,
    };
    match base {
        ' '..='~' => f32::from(HELVETICA[base as usize - 32]),
        '—' => 1000.0,
        '‘' | '’' | '‚' => 222.0,
        '“' | '”' | '„' => 333.0,
        _ => 556.0,
    }
}

/// Width of `text` in 1/1000 em.
pub(crate) fn text_width(text: &str, bold: bool) -> f32 {
    // Bold glyphs are up to ~10 % wider; wrapping errs on the safe side.
    let factor = if bold { 1.1 } else { 1.0 };
    text.chars().map(width).sum::<f32>() * factor
}

/// `text` as a PDF literal string in WinAnsi (`?` for what it cannot show; callers check
/// [`super::fits_standard_fonts`] first).
pub(crate) fn literal(text: &str) -> String {
    let mut out = String::from("(");
    for c in text.chars() {
        match win_ansi(c).unwrap_or(b'?') {
            b'(' => out.push_str("\\("),
            b')' => out.push_str("\\)"),
            b'\\' => out.push_str("\\\\"),
            b @ 32..=126 => out.push(char::from(b)),
            b => {
                let _ = write!(out, "\\{b:03o}");
            }
        }
    }
    out.push(')');
    out
}

/// The two font dictionaries (regular, bold).
pub(crate) const FONTS: [&str; 2] = [
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_characters_are_encoded_in_win_ansi() {
        assert_eq!(
            literal("€ é ë “x” (a)"),
            "(\\200 \\351 \\353 \\223x\\224 \\(a\\))"
        );
        assert_eq!(win_ansi('ş'), None);
    }
}
