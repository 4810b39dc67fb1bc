//! Dutch numbers, in digits or in words ("zevenhonderdvijftig", "drieduizend vijfhonderd",
//! "tweeëntwintig", "anderhalf").

const UNITS: [&str; 20] = [
    "nul",
    "een",
    "twee",
    "drie",
    "vier",
    "vijf",
    "zes",
    "zeven",
    "acht",
    "negen",
    "tien",
    "elf",
    "twaalf",
    "dertien",
    "veertien",
    "vijftien",
    "zestien",
    "zeventien",
    "achttien",
    "negentien",
];
const TENS: [(&str, u64); 8] = [
    ("twintig", 20),
    ("dertig", 30),
    ("veertig", 40),
    ("vijftig", 50),
    ("zestig", 60),
    ("zeventig", 70),
    ("tachtig", 80),
    ("negentig", 90),
];

fn unit(word: &str) -> Option<u64> {
    let word = if word == "één" { "een" } else { word };
    UNITS.iter().position(|u| *u == word).map(|n| n as u64)
}

fn below_100(s: &str) -> Option<u64> {
    if let Some(n) = unit(s) {
        return Some(n);
    }
    if let Some((_, n)) = TENS.iter().find(|(w, _)| *w == s) {
        return Some(*n);
    }
    // "vijfentwintig", "tweeëntwintig", "drieëndertig"
    for (word, tens) in TENS {
        if let Some(head) = s.strip_suffix(word) {
            let head = head
                .strip_suffix("en")
                .or_else(|| head.strip_suffix("ën"))?;
            let head = if head == "tweë" || head == "drieë" {
                &head[..head.len() - 2]
            } else {
                head
            };
            let u = unit(head).filter(|u| (1..=9).contains(u))?;
            return Some(tens + u);
        }
    }
    None
}

fn below_10000(s: &str) -> Option<u64> {
    if let Some(i) = s.find("honderd") {
        let (left, right) = (&s[..i], &s[i + "honderd".len()..]);
        let hundreds = if left.is_empty() { 1 } else { below_100(left)? };
        let rest = if right.is_empty() {
            0
        } else {
            below_100(right)?
        };
        return (1..=99)
            .contains(&hundreds)
            .then_some(hundreds * 100 + rest);
    }
    below_100(s)
}

/// Parses a number written in Dutch words, spaces allowed between parts
/// ("drieduizend vijfhonderd"). `None` for anything else.
pub fn parse_words(text: &str) -> Option<u64> {
    let s: String = text.split_whitespace().collect();
    if s.is_empty() {
        return None;
    }
    if let Some(i) = s.find("miljoen") {
        let (left, right) = (&s[..i], &s[i + "miljoen".len()..]);
        let millions = if left.is_empty() {
            1
        } else {
            below_10000(left)?
        };
        let rest = if right.is_empty() {
            0
        } else {
            parse_words(right)?
        };
        return (rest < 1_000_000).then_some(millions * 1_000_000 + rest);
    }
    if let Some(i) = s.find("duizend") {
        let (left, right) = (&s[..i], &s[i + "duizend".len()..]);
        let thousands = if left.is_empty() {
            1
        } else {
            below_10000(left)?
        };
        let rest = if right.is_empty() {
            0
        } else {
            below_10000(right)?
        };
        return (rest < 1000).then_some(thousands * 1000 + rest);
    }
    below_10000(&s)
}

/// Whether `word` could be (part of) a number written in words.
pub fn is_number_word(word: &str) -> bool {
    parse_words(word).is_some()
}

/// Parses a number in digits, Dutch style: `.` or a space groups thousands, `,` separates
/// decimals (`1.250,50`). Returns hundredths, so `750` is `75_000`.
pub fn parse_digits_hundredths(text: &str) -> Option<u64> {
    let (int, frac) = match text.split_once(',') {
        Some((i, f)) => (i, f),
        None => (text, ""),
    };
    let int_digits: String = int.chars().filter(|c| *c != '.').collect();
    if int_digits.is_empty() || !int_digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // A dot must group exactly three digits ("1.250"), otherwise it is not a Dutch number.
    if int.contains('.') && int.split('.').skip(1).any(|g| g.len() != 3) {
        return None;
    }
    let frac_value = match frac.len() {
        0 => 0,
        1 | 2 if frac.chars().all(|c| c.is_ascii_digit()) => {
            let v: u64 = frac.parse().ok()?;
            if frac.len() == 1 { v * 10 } else { v }
        }
        _ => return None,
    };
    int_digits
        .parse::<u64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(frac_value)
}

/// A count in words or digits, with halves: "drie" → 6, "anderhalf" → 3, "een half" → 1,
/// "2" → 4. In halves so that "anderhalf jaar" stays exact.
pub fn parse_count_halves(words: &[&str]) -> Option<u64> {
    match words {
        ["anderhalf"] | ["anderhalve"] => Some(3),
        ["een", "half"] | ["een", "halve"] | ["half"] | ["halve"] => Some(1),
        [w] if w.chars().all(|c| c.is_ascii_digit()) => w.parse::<u64>().ok().map(|n| n * 2),
        _ => parse_words(&words.join(" ")).map(|n| n * 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_words() {
        for (text, n) in [
            ("een", 1),
            ("één", 1),
            ("twaalf", 12),
            ("twintig", 20),
            ("vijfentwintig", 25),
            ("tweeëntwintig", 22),
            ("drieëndertig", 33),
            ("honderd", 100),
            ("zevenhonderdvijftig", 750),
            ("twaalfhonderd", 1200),
            ("duizend", 1000),
            ("drieduizend vijfhonderd", 3500),
            ("tweeduizend zeshonderdvijfenveertig", 2645),
            ("twee miljoen", 2_000_000),
        ] {
            assert_eq!(parse_words(text), Some(n), "{text}");
        }
        for text in [
            "",
            "euro",
            "vijfen",
            "entwintig",
            "honderdhonderd",
            "eenentwintigduizendduizend",
        ] {
            assert_eq!(parse_words(text), None, "{text}");
        }
    }

    #[test]
    fn digits_in_dutch_notation() {
        assert_eq!(parse_digits_hundredths("750"), Some(75_000));
        assert_eq!(parse_digits_hundredths("1.250"), Some(125_000));
        assert_eq!(parse_digits_hundredths("1.250,5"), Some(125_050));
        assert_eq!(parse_digits_hundredths("89,99"), Some(8_999));
        assert_eq!(parse_digits_hundredths("1.25"), None);
        assert_eq!(parse_digits_hundredths("1,234"), None);
    }

    #[test]
    fn counts_with_halves() {
        assert_eq!(parse_count_halves(&["anderhalf"]), Some(3));
        assert_eq!(parse_count_halves(&["drie"]), Some(6));
        assert_eq!(parse_count_halves(&["12"]), Some(24));
        assert_eq!(parse_count_halves(&["een", "half"]), Some(1));
        assert_eq!(parse_count_halves(&["paar"]), None);
    }
}
