//! Word error rate against a reference text, after the usual normalisation.

/// Lower-cases, strips punctuation (keeping letters, digits and inner apostrophes) and splits
/// into words.
pub fn normalise(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/')
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '\'')
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Word-level edit counts of a hypothesis against a reference.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordErrors {
    /// Substitutions + deletions + insertions.
    pub errors: usize,
    /// Words in the reference.
    pub reference_words: usize,
}

impl WordErrors {
    /// Error rate (errors over reference words; 0 for an empty reference with no errors).
    pub fn rate(&self) -> f64 {
        if self.reference_words == 0 {
            return if self.errors == 0 { 0.0 } else { 1.0 };
        }
        self.errors as f64 / self.reference_words as f64
    }
}

impl std::ops::Add for WordErrors {
    type Output = Self;

    fn add(self, other: Self) -> Self {
        Self {
            errors: self.errors + other.errors,
            reference_words: self.reference_words + other.reference_words,
        }
    }
}

/// Levenshtein distance over normalised words.
pub fn word_errors(reference: &str, hypothesis: &str) -> WordErrors {
    let r = normalise(reference);
    let h = normalise(hypothesis);
    let mut prev: Vec<usize> = (0..=h.len()).collect();
    let mut cur = vec![0; h.len() + 1];
    for (i, rw) in r.iter().enumerate() {
        cur[0] = i + 1;
        for (j, hw) in h.iter().enumerate() {
            let sub = prev[j] + usize::from(rw != hw);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    WordErrors {
        errors: prev[h.len()],
        reference_words: r.len(),
    }
}

/// The normalised words of `hypothesis`, each with whether it is wrong (substituted or
/// inserted) in a minimal word alignment against `reference`.
pub fn aligned_hypothesis(reference: &str, hypothesis: &str) -> Vec<(String, bool)> {
    let r = normalise(reference);
    let h = normalise(hypothesis);
    // Full table, for the way back: d[i][j] = distance of r[..i] and h[..j].
    let width = h.len() + 1;
    let mut d = vec![0usize; (r.len() + 1) * width];
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=r.len() {
        d[i * width] = i;
        for j in 1..=h.len() {
            let sub = d[(i - 1) * width + j - 1] + usize::from(r[i - 1] != h[j - 1]);
            d[i * width + j] = sub
                .min(d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1);
        }
    }
    let mut wrong = vec![true; h.len()];
    let (mut i, mut j) = (r.len(), h.len());
    while i > 0 && j > 0 {
        let here = d[i * width + j];
        if here == d[(i - 1) * width + j - 1] + usize::from(r[i - 1] != h[j - 1]) {
            wrong[j - 1] = r[i - 1] != h[j - 1];
            i -= 1;
            j -= 1;
        } else if here == d[(i - 1) * width + j] + 1 {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    h.into_iter().zip(wrong).collect()
}
