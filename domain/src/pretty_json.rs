//! Indents compact JSON the way `serde_json::to_vec_pretty` writes it (two spaces, `": "`,
//! empty arrays and objects as `[]` and `{}`).
//!
//! The export archive is meant to be read by people, so its files are indented. Serialising
//! with serde_json's pretty formatter would compile a second copy of every record's
//! `Serialize` code into the app (one per formatter); indenting the compact text the app
//! already writes costs one small function instead.

/// `compact` (JSON without whitespace outside strings, as `serde_json::to_vec` writes it),
/// indented.
pub(crate) fn indent(compact: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let newline = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        out.extend(std::iter::repeat_n(b' ', depth * 2));
    };
    let mut i = 0;
    while i < compact.len() {
        let c = compact[i];
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == b'\\' {
                escaped = true;
            } else if c == b'"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        match c {
            b'"' => {
                in_string = true;
                out.push(c);
            }
            b'{' | b'[' => {
                out.push(c);
                let close = if c == b'{' { b'}' } else { b']' };
                if compact.get(i + 1) == Some(&close) {
                    out.push(close);
                    i += 1;
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            b',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            b':' => out.extend_from_slice(b": "),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::indent;

    #[test]
    fn indents_as_serde_json_does() {
        let value = serde_json::json!({
            "a": [1, 2, {"b": "x: {y}, [z]", "c": []}],
            "d": {},
            "e": "quote \" and backslash \\ , : [",
            "f": [[], {"g": null}],
            "h": -1.5e-7,
            "i": "Ayşe Yılmaz"
        });
        let compact = serde_json::to_vec(&value).unwrap();
        let expected = serde_json::to_vec_pretty(&value).unwrap();
        assert_eq!(
            String::from_utf8(indent(&compact)).unwrap(),
            String::from_utf8(expected).unwrap()
        );
    }
}
