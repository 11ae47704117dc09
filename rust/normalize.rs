//! Normalization with the offset map, from the plan's fold table (normalize.py's semantics):
//! every code point is kept, dropped or mapped to one character, so the normalized text is a
//! subsequence of the original and `offsets[i]` is the original index of character `i`.
//! Indexes count code points, as Python's `str` does.

use std::cell::{Cell, OnceCell};

use rustc_hash::FxHashMap;

use crate::plan::NormalizerPlan;

const DROP: u32 = u32::MAX;
/// How far a clause is read from a hit, in normalized characters (the longest clause in the
/// labelled sets is 68).
pub const CLAUSE_REACH: usize = 100;
const BMP: usize = 0x10000;

/// The fold table: a direct array for the Basic Multilingual Plane, runs above it.
pub struct Folder {
    bmp: Vec<u32>,
    astral_runs: Vec<(u32, u32, u8)>,
    astral_mapped: FxHashMap<u32, u32>,
    breaks: Vec<(u32, u32)>,
}

impl Folder {
    pub fn new(plan: &NormalizerPlan) -> Result<Folder, String> {
        let mapped: FxHashMap<u32, u32> = plan.mapped.iter().copied().collect();
        let mut bmp = vec![DROP; BMP];
        let mut astral_runs = Vec::new();
        let mut covered: u64 = 0;
        for &(first, last, action) in &plan.runs {
            if last < first || last > 0x10FFFF || action > 2 {
                return Err(format!("bad fold run ({first}, {last}, {action})"));
            }
            covered += u64::from(last - first) + 1;
            for code in first..=last.min(BMP as u32 - 1) {
                bmp[code as usize] = match action {
                    0 => code,
                    1 => DROP,
                    _ => *mapped
                        .get(&code)
                        .ok_or_else(|| format!("code point {code} is mapped but has no target"))?,
                };
            }
            if last >= BMP as u32 {
                astral_runs.push((first.max(BMP as u32), last, action));
            }
        }
        if covered != 0x110000 {
            return Err(format!(
                "the fold runs cover {covered} code points, not all of them"
            ));
        }
        let astral_mapped = mapped
            .into_iter()
            .filter(|&(k, _)| k >= BMP as u32)
            .collect();
        Ok(Folder {
            bmp,
            astral_runs,
            astral_mapped,
            breaks: plan.breaks.clone(),
        })
    }

    /// The folded character, or None when the character is dropped.
    #[inline]
    pub fn fold(&self, c: char) -> Option<char> {
        let code = c as u32;
        let folded = if (code as usize) < BMP {
            self.bmp[code as usize]
        } else {
            let at = self.astral_runs.partition_point(|run| run.1 < code);
            match self.astral_runs.get(at) {
                Some(&(_, _, 0)) => code,
                Some(&(_, _, 2)) => *self.astral_mapped.get(&code).unwrap_or(&DROP),
                _ => DROP,
            }
        };
        if folded == DROP {
            None
        } else {
            char::from_u32(folded)
        }
    }

    /// True for punctuation and line ends, which break a clause (normalize.py's `_is_break`).
    #[inline]
    pub fn is_break(&self, c: char) -> bool {
        let code = c as u32;
        let at = self.breaks.partition_point(|run| run.1 < code);
        matches!(self.breaks.get(at), Some(&(first, _, )) if first <= code)
    }

    pub fn normalize(&self, original: &str) -> Normalized {
        let mut doc = Normalized::default();
        self.normalize_into(original, &mut doc);
        doc
    }

    /// `normalize` into `doc`, reusing its buffers: the engine keeps one per thread, which
    /// spares four or five allocations a text.
    pub fn normalize_into(&self, original: &str, doc: &mut Normalized) {
        doc.original.clear();
        doc.text.clear();
        doc.chars.clear();
        doc.offsets.clear();
        if let Some(table) = doc.char_at.take() {
            doc.spare_table.set(table);
        }
        // Bytes bound characters: one reservation each, none while filling.
        doc.original.reserve(original.len());
        doc.text.reserve(original.len());
        doc.chars.reserve(original.len());
        doc.offsets.reserve(original.len());
        for (index, c) in original.chars().enumerate() {
            doc.original.push(c);
            if let Some(folded) = self.fold(c) {
                doc.text.push(folded);
                doc.chars.push(folded);
                doc.offsets.push(index as u32);
            }
        }
    }
}

/// An original text, its normalized form and the offset map between them.
#[derive(Default)]
pub struct Normalized {
    pub original: Vec<char>,
    pub text: String,
    pub chars: Vec<char>,
    pub offsets: Vec<u32>,
    /// `char_at[byte]`: the character index of the normalized character starting at `byte`
    /// (and of the end), built once on first need by `char_index`.
    char_at: OnceCell<Vec<u32>>,
    /// The last text's `char_at` table, kept for its allocation.
    spare_table: Cell<Vec<u32>>,
}

impl Normalized {
    /// The character index in the normalized text of a byte offset at a character boundary
    /// (the automaton and the regexes report bytes; everything else counts characters).
    pub fn char_index(&self, byte: usize) -> usize {
        let table = self.char_at.get_or_init(|| {
            let mut out = self.spare_table.take();
            out.clear();
            out.resize(self.text.len() + 1, 0);
            for (count, (at, _)) in self.text.char_indices().enumerate() {
                out[at] = count as u32;
            }
            out[self.text.len()] = self.chars.len() as u32;
            out
        });
        table[byte] as usize
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// Map a normalized span `[start, end)` to the original text.
    pub fn span(&self, start: usize, end: usize) -> (usize, usize) {
        (
            self.offsets[start] as usize,
            self.offsets[end - 1] as usize + 1,
        )
    }

    /// True when a clause break stands inside the normalized span `[start, end)`.
    pub fn crosses_break(&self, folder: &Folder, start: usize, end: usize) -> bool {
        let (begin, finish) = self.span(start, end);
        if finish - begin == end - start {
            return false;
        }
        self.original[begin..finish]
            .iter()
            .any(|&c| folder.is_break(c))
    }

    /// True when normalized index `start` begins the text or follows dropped characters.
    pub fn detached_before(&self, start: usize) -> bool {
        start == 0 || self.offsets[start] - self.offsets[start - 1] > 1
    }

    /// True when normalized index `end` ends the text or precedes dropped characters.
    pub fn detached_after(&self, end: usize) -> bool {
        end >= self.len() || self.offsets[end] - self.offsets[end - 1] > 1
    }

    /// True when normalized index `start` begins the text or follows a clause break.
    pub fn starts_clause(&self, folder: &Folder, start: usize) -> bool {
        start == 0 || self.breaks_between(folder, start)
    }

    /// The normalized span of the clause holding `[start, end)`, read at most
    /// `CLAUSE_REACH` characters either side of it: an unpunctuated transcript of thousands
    /// of characters is one clause, which would otherwise be read whole for every hit in it.
    pub fn clause_bounds(&self, folder: &Folder, start: usize, end: usize) -> (usize, usize) {
        let floor = start.saturating_sub(CLAUSE_REACH);
        let mut low = start;
        while low > floor && !self.breaks_between(folder, low) {
            low -= 1;
        }
        let ceiling = (end + CLAUSE_REACH).min(self.len());
        let mut high = end;
        while high < ceiling && !self.breaks_between(folder, high) {
            high += 1;
        }
        (low, high)
    }

    /// A clause break among the dropped characters between normalized `at - 1` and `at`.
    fn breaks_between(&self, folder: &Folder, at: usize) -> bool {
        let before = self.offsets[at - 1] as usize;
        let after = self.offsets[at] as usize;
        after - before > 1
            && self.original[before + 1..after]
                .iter()
                .any(|&c| folder.is_break(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> Folder {
        // Keep everything but ' ' and '，' (dropped and breaking), map 'A' → 'a', '著' → '着'.
        let plan = NormalizerPlan {
            runs: vec![
                (0, 0x1F, 1),
                (0x20, 0x20, 1),
                (0x21, 0x40, 0),
                (0x41, 0x41, 2),
                (0x42, 0x8456, 0),
                (0x8457, 0x8457, 2),
                (0x8458, 0xFF0B, 0),
                (0xFF0C, 0xFF0C, 1),
                (0xFF0D, 0x10FFFF, 0),
            ],
            mapped: vec![(0x41, 0x61), (0x8457, 0x7740)],
            breaks: vec![(0xFF0C, 0xFF0C)],
        };
        Folder::new(&plan).unwrap()
    }

    #[test]
    fn folds_drops_and_maps_offsets() {
        let f = folder();
        let doc = f.normalize("A 著，急");
        assert_eq!(doc.text, "a着急");
        assert_eq!(doc.offsets, vec![0, 2, 4]);
        assert_eq!(doc.span(1, 3), (2, 5));
        assert!(doc.crosses_break(&f, 1, 3));
        assert!(!doc.crosses_break(&f, 0, 2));
        assert!(doc.detached_before(1) && doc.detached_after(3));
        let glued = f.normalize("ab");
        assert!(!glued.detached_after(1) && !glued.detached_before(1));
        assert!(doc.starts_clause(&f, 2) && !doc.starts_clause(&f, 1));
        assert_eq!(doc.clause_bounds(&f, 0, 1), (0, 2));
        assert_eq!(f.fold('😀'), Some('😀'));
    }

    #[test]
    fn reads_a_long_clause_only_near_the_span() {
        let f = folder();
        let long = "a".repeat(3 * CLAUSE_REACH);
        let doc = f.normalize(&long);
        let at = CLAUSE_REACH + 50;
        assert_eq!(
            doc.clause_bounds(&f, at, at + 2),
            (at - CLAUSE_REACH, at + 2 + CLAUSE_REACH)
        );
        assert_eq!(doc.clause_bounds(&f, 3, 4), (0, 4 + CLAUSE_REACH));
    }

    #[test]
    fn a_reused_buffer_normalizes_as_a_fresh_one() {
        let f = folder();
        let mut doc = Normalized::default();
        for text in ["A 著，急急急急急急急急急，好", "ab", "", "著A，b😀c"] {
            f.normalize_into(text, &mut doc);
            let fresh = f.normalize(text);
            assert_eq!(doc.original, fresh.original, "{text}");
            assert_eq!(doc.text, fresh.text, "{text}");
            assert_eq!(doc.chars, fresh.chars, "{text}");
            assert_eq!(doc.offsets, fresh.offsets, "{text}");
            for (byte, _) in fresh.text.char_indices().chain([(fresh.text.len(), ' ')]) {
                assert_eq!(
                    doc.char_index(byte),
                    fresh.char_index(byte),
                    "{text} @{byte}"
                );
            }
        }
    }

    #[test]
    fn refuses_a_table_with_gaps() {
        let plan = NormalizerPlan {
            runs: vec![(0, 10, 0)],
            mapped: vec![],
            breaks: vec![],
        };
        assert!(Folder::new(&plan).is_err());
    }
}
