//! The fuzzy stage: wordings two of whose anchor pieces occur are measured near each place
//! their pieces align, and a window stands when its edits are a slip (the policy is
//! phrasecheck/fuzzy.py's, carried by the plan). The edit operations, the distance and the
//! similarity are rapidfuzz's (`editops` walks the alignment rapidfuzz's `Levenshtein.editops`
//! chooses among equal-cost ones, since an objection reads it; tests/test_fuzzy_core.py
//! compares them); the same-sound readings are pypinyin's, shipped as plan data
//! (`phrasecheck.soundtable`).

use std::collections::BTreeSet;
use std::fmt;

use rapidfuzz::distance::{lcs_seq, levenshtein};
use rapidfuzz::fuzz;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::OnceLock;

use crate::normalize::{Folder, Normalized};
use crate::plan::Plan;
use crate::resolve::{Cand, Step, Trace, Wording, STEP_REJECTED};

const METHOD_FUZZY: u8 = 2;

/// The nearest window within the budget that is not a slip, and why.
pub struct Refusal {
    pub start: usize,
    pub end: usize,
    pub score: f64,
    pub reason: Objection,
}

/// Why the edits from a wording to a window are not a slip (its text is the reason an
/// explanation gives).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objection {
    InsertedAtEdge,
    Polarity(char),
    /// (expected, found)
    PolarityReplaced(char, char),
    Drops(char),
    /// (expected, found)
    SoundsUnlike(char, char),
    /// (replaced or dropped, allowed)
    TooManyChanges(u32, u32),
}

impl fmt::Display for Objection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Objection::InsertedAtEdge => {
                f.write_str("words are inserted at the edge of a short wording")
            }
            Objection::Polarity(c) => write!(f, "an edit changes polarity ({c})"),
            Objection::PolarityReplaced(expected, found) => {
                write!(f, "an edit changes polarity ({expected} → {found})")
            }
            Objection::Drops(c) => write!(f, "drops {c}, which carries meaning"),
            Objection::SoundsUnlike(expected, found) => {
                write!(f, "{found} does not sound like {expected}")
            }
            Objection::TooManyChanges(changed, allowed) => {
                write!(
                    f,
                    "{changed} replaced or dropped characters; {allowed} allowed"
                )
            }
        }
    }
}

/// What a slip may be: the plan's character classes and the same-sound readings.
pub struct Slips {
    long_wording: usize,
    polarity: FxHashSet<char>,
    particles: FxHashSet<char>,
    light: FxHashSet<char>,
    equivalents: Vec<FxHashSet<char>>,
    /// The characters of each folded syllable (the plan's sound table).
    syllables: Vec<String>,
    /// (character, index into `syllables`) for each reading, sorted: built on the first
    /// replaced character (about 1 ms), so that a core that meets none does not pay for it.
    sounds: OnceLock<Vec<(char, u16)>>,
}

impl Slips {
    pub fn new(plan: &Plan) -> Result<Slips, String> {
        let b = &plan.budgets;
        if plan.sounds.sounds.len() > usize::from(u16::MAX) {
            return Err("the sound table has too many syllables".to_string());
        }
        let groups: Vec<&str> = b.equivalents.iter().map(String::as_str).collect();
        let syllables: Vec<&str> = plan.sounds.sounds.iter().map(|s| s.1.as_str()).collect();
        Ok(Slips::with(
            b.long_wording,
            [&b.polarity, &b.particles, &b.light],
            &groups,
            &syllables,
        ))
    }

    /// Slips from the character classes (polarity, particles, light), the groups of
    /// equivalents and the characters of each syllable.
    fn with(long_wording: usize, classes: [&str; 3], groups: &[&str], syllables: &[&str]) -> Slips {
        let [polarity, particles, light] = classes;
        Slips {
            long_wording,
            polarity: polarity.chars().collect(),
            particles: particles.chars().collect(),
            light: light.chars().collect(),
            equivalents: groups.iter().map(|g| g.chars().collect()).collect(),
            syllables: syllables.iter().map(|s| s.to_string()).collect(),
            sounds: OnceLock::new(),
        }
    }

    /// The folded readings of `c`, as indexes into `syllables` (empty when pypinyin has none).
    fn readings(&self, c: char) -> &[(char, u16)] {
        let sounds = self.sounds.get_or_init(|| {
            let mut sounds: Vec<(char, u16)> = (0u16..)
                .zip(&self.syllables)
                .flat_map(|(id, chars)| chars.chars().map(move |c| (c, id)))
                .collect();
            sounds.sort_unstable();
            sounds
        });
        let low = sounds.partition_point(|&(other, _)| other < c);
        let high = low + sounds[low..].partition_point(|&(other, _)| other == c);
        &sounds[low..high]
    }

    /// True when two characters share a folded reading.
    pub fn sounds_alike(&self, first: char, second: char) -> bool {
        let theirs = self.readings(second);
        self.readings(first)
            .iter()
            .any(|&(_, id)| theirs.iter().any(|&(_, other)| other == id))
    }

    fn a_not_a(window: &[char], position: usize) -> bool {
        0 < position && position + 1 < window.len() && window[position - 1] == window[position + 1]
    }

    /// Why the edits from `wording` to `window` are not a slip (the first objection in
    /// rapidfuzz's edit order), or None when they are one.
    pub fn objection(&self, wording: &[char], window: &[char], changes: u32) -> Option<Objection> {
        if changes == 0
            && !(window.starts_with(&wording[..2])
                && window.ends_with(&wording[wording.len() - 2..]))
        {
            // A short wording takes inserted words inside it only, not glued to its first
            // or last word: 我们怎么知道 is a question, 我怎么知道 a retort.
            return Some(Objection::InsertedAtEdge);
        }
        let mut changed = 0u32;
        for op in editops(wording, window) {
            match op.kind {
                EditKind::Insert => {
                    let found = window[op.dest];
                    if self.polarity.contains(&found) && !Slips::a_not_a(window, op.dest) {
                        return Some(Objection::Polarity(found));
                    }
                }
                EditKind::Delete => {
                    changed += 1;
                    let expected = wording[op.src];
                    if self.polarity.contains(&expected) {
                        return Some(Objection::Polarity(expected));
                    }
                    if wording.len() < self.long_wording && !self.light.contains(&expected) {
                        return Some(Objection::Drops(expected));
                    }
                }
                EditKind::Replace => {
                    changed += 1;
                    let expected = wording[op.src];
                    let found = window[op.dest];
                    if (self.particles.contains(&expected) && self.particles.contains(&found))
                        || self
                            .equivalents
                            .iter()
                            .any(|g| g.contains(&expected) && g.contains(&found))
                        || self.sounds_alike(expected, found)
                    {
                        continue; // 憋 for 别 is a slip of the ear or the keyboard
                    }
                    if self.polarity.contains(&expected) || self.polarity.contains(&found) {
                        return Some(Objection::PolarityReplaced(expected, found));
                    }
                    return Some(Objection::SoundsUnlike(expected, found));
                }
            }
        }
        if changed > changes {
            return Some(Objection::TooManyChanges(changed, changes));
        }
        None
    }

    /// True when the edits from `wording` to `window` are not a slip.
    #[cfg(test)]
    pub fn objects(&self, wording: &[char], window: &[char], changes: u32) -> bool {
        self.objection(wording, window, changes).is_some()
    }

    /// The accepted window (start, end, score) of `wording` near `aligned`: the nearest,
    /// then the closest in length, then the earliest of the windows within the budget that
    /// are slips; or when windows within the budget exist but none is a slip, the nearest of
    /// them with the reason as `Err(Some(..))`, and `Err(None)` when there is no window.
    pub fn window_or_refusal(
        &self,
        wording: &[char],
        text: &[char],
        aligned: isize,
        edits: u32,
        changes: u32,
    ) -> Result<(usize, usize, f64), Option<Refusal>> {
        let length = wording.len();
        let size = text.len();
        let e = edits as isize;
        let mut options: Vec<(usize, usize, usize, usize)> = Vec::new();
        if changes == 0 {
            let (head, tail) = (&wording[..2], &wording[length - 2..]);
            let low = (aligned - e).max(0);
            let high = aligned + e + 2;
            let mut start = py_find(text, head, low, high);
            while let Some(s) = start {
                let first_tail = (s + length - 2) as isize;
                let last = first_tail + e + 2;
                let mut at = py_find(text, tail, first_tail, last);
                while let Some(a) = at {
                    let end = a + 2;
                    if let Some(distance) = within(wording, &text[s..end], edits as usize) {
                        options.push((distance, end - s - length, s, end));
                    }
                    at = py_find(text, tail, a as isize + 1, last);
                }
                start = py_find(text, head, s as isize + 1, high);
            }
        } else {
            let first = (aligned - e).max(0) as usize;
            let mut start = first;
            while (start as isize) < aligned + e + 1 {
                if start >= size {
                    break;
                }
                let lowest_end = start + 1.max(length.saturating_sub(changes as usize));
                let highest_end = size.min(start + length + edits as usize);
                for end in lowest_end..=highest_end {
                    if end > size {
                        break;
                    }
                    if let Some(distance) = within(wording, &text[start..end], edits as usize) {
                        options.push((distance, (end - start).abs_diff(length), start, end));
                    }
                }
                start += 1;
            }
        }
        options.sort_unstable();
        let mut refusal = None;
        for (_, _, start, end) in options {
            let window = &text[start..end];
            match self.objection(wording, window, changes) {
                None => return Ok((start, end, ratio(wording, window))),
                Some(reason) => {
                    if refusal.is_none() {
                        let score = ratio(wording, window);
                        refusal = Some(Refusal {
                            start,
                            end,
                            score,
                            reason,
                        });
                    }
                }
            }
        }
        Err(refusal)
    }
}

/// Python's `str.find(sub, start, end)` over characters (negative bounds count from the end).
fn py_find(text: &[char], sub: &[char], start: isize, end: isize) -> Option<usize> {
    let n = text.len() as isize;
    let clamp = |i: isize| if i < 0 { (i + n).max(0) } else { i.min(n) };
    let (from, to) = (clamp(start) as usize, clamp(end) as usize);
    if sub.is_empty() || to < from || to - from < sub.len() {
        return None;
    }
    (from..=to - sub.len()).find(|&i| text[i..i + sub.len()] == *sub)
}

/// The fuzzy stage of one text: the anchor pieces, spellings and bounds that choose where to
/// measure, and the windows measured.
pub struct Fuzzy {
    pieces: FxHashMap<u32, Vec<(usize, Vec<char>)>>,
    spelled: FxHashMap<u32, Vec<(u32, String)>>,
    least_kept: Vec<usize>,
    /// The insertion-only wordings whose raw text crosses a clause break (plan.py's
    /// `raw_crosses`): their windows may cross one too.
    raw_crosses: FxHashSet<u32>,
    min_pieces_found: usize,
    pub slips: Slips,
}

impl Fuzzy {
    pub fn new(plan: &Plan) -> Result<Fuzzy, String> {
        Ok(Fuzzy {
            pieces: plan
                .pieces
                .iter()
                .map(|(index, found)| {
                    let cut = found
                        .iter()
                        .map(|(o, p)| (*o as usize, p.chars().collect()))
                        .collect();
                    (*index, cut)
                })
                .collect(),
            spelled: plan.spelled.iter().cloned().collect(),
            least_kept: plan.wordings.iter().map(|w| w.7 as usize).collect(),
            raw_crosses: plan
                .raw_crosses
                .iter()
                .filter(|&&(_, crosses)| crosses)
                .map(|&(index, _)| index)
                .collect(),
            min_pieces_found: plan.budgets.min_pieces_found,
            slips: Slips::new(plan)?,
        })
    }

    /// The slips: wordings two of whose anchor pieces occur (and whose rule was not found
    /// whole) are measured where their pieces align; the windows that are slips join
    /// `candidates`, and `refused`, when given, records the nearest window refused and why.
    /// `anchored` holds the owners (wording indexes) of each anchor piece the scan found.
    pub fn find(
        &self,
        folder: &Folder,
        doc: &Normalized,
        anchored: &[&[u32]],
        candidates: &mut Vec<Cand>,
        wordings: &[Wording],
        refused: &mut Trace,
    ) {
        if anchored.len() < self.min_pieces_found {
            return;
        }
        // The wordings at least `min_pieces_found` of whose pieces occur: the owners of every
        // piece found, sorted, those listed that often (a handful per text: sorting beats
        // hashing).
        let mut owners: Vec<u32> = anchored.iter().flat_map(|o| o.iter().copied()).collect();
        owners.sort_unstable();
        let mut plausible: Vec<u32> = owners
            .chunk_by(|a, b| a == b)
            .filter(|run| run.len() >= self.min_pieces_found)
            .map(|run| run[0])
            .collect();
        if plausible.is_empty() {
            return;
        }
        let matched: Vec<u32> = candidates
            .iter()
            .filter(|c| c.form_type == 0)
            .map(|c| c.order)
            .collect();
        plausible.retain(|&i| !matched.contains(&wordings[i as usize].order));
        let mut more = Vec::new();
        for index in &plausible {
            if let Some(spellings) = self.spelled.get(index) {
                for (spelling, marker) in spellings {
                    if doc.text.contains(marker.as_str()) {
                        more.push(*spelling);
                    }
                }
            }
        }
        plausible.extend(more);
        if plausible.is_empty() {
            return;
        }
        self.windows(folder, doc, plausible, candidates, wordings, refused);
    }

    fn windows(
        &self,
        folder: &Folder,
        doc: &Normalized,
        plausible: Vec<u32>,
        candidates: &mut Vec<Cand>,
        wordings: &[Wording],
        refused: &mut Trace,
    ) {
        let text = &doc.chars;
        // (rule order, start, end) of what each rule already matched, ordered so that a long
        // text with thousands of them asks only those near each place.
        let mut found: BTreeSet<(u32, isize, isize)> = candidates
            .iter()
            .map(|c| (c.order, c.start as isize, c.end as isize))
            .collect();
        let mut longest = found.iter().map(|&(_, s, e)| e - s).max().unwrap_or(0);
        let mut places = BTreeSet::new();
        for &index in &plausible {
            if lcs(&wordings[index as usize].chars, text) < self.least_kept[index as usize] {
                continue;
            }
            for (offset, piece) in self.pieces.get(&index).map(Vec::as_slice).unwrap_or(&[]) {
                for at in occurrences(text, piece) {
                    places.insert((index, at as isize - *offset as isize));
                }
            }
        }
        let mut seen: BTreeSet<(u32, usize, usize)> = BTreeSet::new();
        for (index, aligned) in places {
            let w = &wordings[index as usize];
            let chars = &w.chars;
            let length = chars.len() as isize;
            let edits = w.edits as isize;
            let (low, high) = (aligned - edits, aligned + length + edits);
            // The rule already matched here, at least as fully: a span of it overlaps where
            // the wording would stand. Not merely the margins searched around that place,
            // which reach into the next clause: a slip said twice in a row is two hits.
            let (here, there) = (aligned, aligned + length);
            let near = (w.order, here - longest, isize::MIN)..(w.order, there, isize::MIN);
            if found
                .range(near)
                .any(|&(_, s, e)| here < e && e - s >= length)
            {
                continue;
            }
            let from = low.max(0) as usize;
            let to = (high.max(0) as usize).min(text.len());
            let region = if from < to {
                &text[from..to]
            } else {
                &text[0..0]
            };
            if lcs(chars, region) < self.least_kept[index as usize] {
                continue;
            }
            let (start, end, score) = match self
                .slips
                .window_or_refusal(chars, text, aligned, w.edits, w.changes)
            {
                Ok(window) => window,
                Err(refusal) => {
                    if let (Some(steps), Some(r)) = (refused.as_mut(), refusal) {
                        let cand = measured(index, w, r.start, r.end, r.score);
                        refuse(steps, cand, r.reason.to_string(), Some(r.score));
                    }
                    continue;
                }
            };
            if w.changes == 0
                && doc.crosses_break(folder, start, end)
                && !self.raw_crosses.contains(&index)
            {
                // A short wording with words inserted stays within its clause: 我看清楚了，
                // 再问一下 is not 看清楚再问.
                if let Some(steps) = refused.as_mut() {
                    let cand = measured(index, w, start, end, score);
                    refuse(steps, cand, SPLIT.to_string(), None);
                }
                continue;
            }
            if seen.insert((index, start, end)) {
                candidates.push(measured(index, w, start, end, score));
                found.insert((w.order, start as isize, end as isize));
                longest = longest.max((end - start) as isize);
            }
        }
    }
}

const SPLIT: &str = "a short wording with inserted words may not cross a clause break";

/// The candidate of a window measured for wording `index`.
fn measured(index: u32, w: &Wording, start: usize, end: usize, score: f64) -> Cand {
    Cand {
        wording: Some(index),
        order: w.order,
        start,
        end,
        score: round1(score),
        form_type: w.form_type,
        method: METHOD_FUZZY,
        measured: true,
    }
}

/// Record a refused window once per (rule, span): a nearest
/// refusal (`better_if` its unrounded score) replaces a lower-scored one in place; the
/// clause-break refusal only fills an empty place.
fn refuse(steps: &mut Vec<Step>, cand: Cand, reason: String, better_if: Option<f64>) {
    let same = |s: &Step| {
        s.cand.order == cand.order && s.cand.start == cand.start && s.cand.end == cand.end
    };
    match steps.iter_mut().find(|s| same(s)) {
        None => steps.push(Step {
            cand,
            code: STEP_REJECTED,
            reason,
            cover: None,
        }),
        Some(step) => {
            if better_if.is_some_and(|score| step.cand.score < score) {
                step.cand = cand;
                step.reason = reason;
            }
        }
    }
}

/// Every start of `piece` in `text`, overlapping ones included (str.find from at + 1).
fn occurrences(text: &[char], piece: &[char]) -> Vec<usize> {
    if piece.is_empty() || piece.len() > text.len() {
        return Vec::new();
    }
    (0..=text.len() - piece.len())
        .filter(|&at| text[at..at + piece.len()] == *piece)
        .collect()
}

/// The length of the longest common subsequence (rapidfuzz's `LCSseq.similarity`, from the
/// rapidfuzz crate: bit-parallel, where a plain table costs a row per wording character).
pub fn lcs(first: &[char], second: &[char]) -> usize {
    lcs_seq::similarity(first.iter().copied(), second.iter().copied())
}

/// rapidfuzz's `fuzz.ratio` (the crate's normalized Indel similarity, × 100 as the Python
/// package scales it).
pub fn ratio(first: &[char], second: &[char]) -> f64 {
    fuzz::ratio(first.iter().copied(), second.iter().copied()) * 100.0
}

/// Python's `round(x, 1)`: correctly rounded to one decimal (ties to even on the exact
/// binary value, which Rust's exact formatting also does), read back as the nearest float.
pub fn round1(x: f64) -> f64 {
    format!("{x:.1}").parse().unwrap_or(x)
}

/// The Levenshtein distance (unit costs), from the rapidfuzz crate.
pub fn levenshtein(first: &[char], second: &[char]) -> usize {
    levenshtein::distance(first.iter().copied(), second.iter().copied())
}

/// The Levenshtein distance when it is at most `cutoff` (what a window within the budget
/// needs; the bit-parallel search stops early otherwise).
fn within(first: &[char], second: &[char], cutoff: usize) -> Option<usize> {
    let args = levenshtein::Args::default().score_cutoff(cutoff);
    levenshtein::distance_with_args(first.iter().copied(), second.iter().copied(), &args)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditKind {
    Insert,
    Delete,
    Replace,
}

/// One edit: rapidfuzz's `Editop` (tag, src_pos, dest_pos).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EditOp {
    pub kind: EditKind,
    pub src: usize,
    pub dest: usize,
}

/// The edit operations turning `source` into `dest`, with the alignment rapidfuzz's
/// `Levenshtein.editops` chooses among equal-cost ones: the common prefix and suffix are left
/// out, then the cost matrix is walked back from its end, taking a deletion when the cost
/// rises by one from the cell above (along `source`: rapidfuzz's VP bit), else stepping back
/// in `dest` and taking an insertion when the cost falls by one from the cell above in that
/// column (its VN bit), else a match or a replacement. rapidfuzz's `recover_alignment` reads
/// the same deltas from its bit-parallel matrix; `tests/test_fuzzy_core.py` compares the two
/// on many random pairs.
pub fn editops(source: &[char], dest: &[char]) -> Vec<EditOp> {
    let prefix = source.iter().zip(dest).take_while(|(a, b)| a == b).count();
    let (s1, s2) = (&source[prefix..], &dest[prefix..]);
    let suffix = s1
        .iter()
        .rev()
        .zip(s2.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (s1, s2) = (&s1[..s1.len() - suffix], &s2[..s2.len() - suffix]);
    let (m, n) = (s1.len(), s2.len());
    // d[j][i]: the distance between s1[..i] and s2[..j] (a column per character of s2).
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, cell) in d[0].iter_mut().enumerate() {
        *cell = i;
    }
    for j in 1..=n {
        d[j][0] = j;
        for i in 1..=m {
            let cost = usize::from(s1[i - 1] != s2[j - 1]);
            d[j][i] = (d[j - 1][i - 1] + cost)
                .min(d[j - 1][i] + 1)
                .min(d[j][i - 1] + 1);
        }
    }
    // Vertical deltas along s1 in column j (j ≥ 1): +1 is VP, −1 is VN.
    let vp = |j: usize, i: usize| d[j][i] == d[j][i - 1] + 1;
    let vn = |j: usize, i: usize| d[j][i] + 1 == d[j][i - 1];
    let op = |kind, col: usize, row: usize| EditOp {
        kind,
        src: col + prefix,
        dest: row + prefix,
    };
    let mut ops = Vec::with_capacity(d[n][m]);
    let (mut col, mut row) = (m, n);
    while row > 0 && col > 0 {
        if vp(row, col) {
            col -= 1;
            ops.push(op(EditKind::Delete, col, row));
        } else {
            row -= 1;
            if row > 0 && vn(row, col) {
                ops.push(op(EditKind::Insert, col, row));
            } else {
                col -= 1;
                if s1[col] != s2[row] {
                    ops.push(op(EditKind::Replace, col, row));
                }
            }
        }
    }
    ops.extend((0..col).rev().map(|col| op(EditKind::Delete, col, row)));
    ops.extend((0..row).rev().map(|row| op(EditKind::Insert, 0, row)));
    ops.reverse();
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(text: &str) -> Vec<char> {
        text.chars().collect()
    }

    #[test]
    fn lcs_counts_characters_kept_in_order() {
        let a = chars("有本事你去告");
        assert_eq!(lcs(&a, &chars("有本事你就去告吧")), 6);
        assert_eq!(lcs(&a, &chars("告去你")), 1);
        assert_eq!(lcs(&a, &[]), 0);
    }

    #[test]
    fn occurrences_overlap() {
        assert_eq!(occurrences(&chars("喂喂喂"), &chars("喂喂")), vec![0, 1]);
    }

    #[test]
    fn python_find_reads_bounds_as_slices() {
        let text = chars("abcabc");
        assert_eq!(py_find(&text, &chars("bc"), 0, 6), Some(1));
        assert_eq!(py_find(&text, &chars("bc"), 2, 6), Some(4));
        assert_eq!(py_find(&text, &chars("bc"), 2, 5), None);
        assert_eq!(py_find(&text, &chars("bc"), 0, -3), Some(1));
        assert_eq!(py_find(&text, &chars("bc"), 7, 9), None);
    }

    #[test]
    fn distance_and_ratio_are_rapidfuzz_s() {
        // rapidfuzz: Levenshtein.distance("kitten", "sitting") == 3,
        // fuzz.ratio("有本事你去告", "有本事你就去告吧") == 85.71428571428572.
        assert_eq!(levenshtein(&chars("kitten"), &chars("sitting")), 3);
        assert_eq!(
            ratio(&chars("有本事你去告"), &chars("有本事你就去告吧")),
            85.71428571428572
        );
        assert_eq!(round1(85.71428571428572), 85.7);
        assert_eq!(round1(0.25), 0.2); // Python: round(0.25, 1) == 0.2
        assert_eq!(round1(0.35), 0.3); // 0.35 is 0.34999… in binary
        assert_eq!(round1(6.25), 6.2);
        assert_eq!(round1(93.75), 93.8);
    }

    /// fuzzy.py's classes, and two syllables of the sound table (bie: 别憋, ma: 麻吗嘛).
    fn slips() -> Slips {
        Slips::with(
            10,
            [
                "不没别无非未莫勿有上下",
                "了啦啊呀吧吗呢嘛哦哟喔哈咯",
                "了啦啊呀吧吗呢嘛哦哟喔哈咯的地得着过儿个一们",
            ],
            &["在正", "到见", "说讲"],
            &["别憋", "吗嘛麻"],
        )
    }

    #[test]
    fn objections_are_fuzzy_py_s() {
        let s = slips();
        assert!(s.sounds_alike('别', '憋'));
        assert!(!s.sounds_alike('别', '吗'));
        assert!(!s.sounds_alike('别', 'x'));
        let wording = chars("有本事你去告");
        // An inserted word is a slip; an inserted negation is not.
        assert!(!s.objects(&wording, &chars("有本事你就去告"), 1));
        assert!(s.objects(&wording, &chars("有本事你不去告"), 1));
        // A replaced character must sound alike (or be a particle or an equivalent).
        assert!(s.objects(&wording, &chars("有本事你来告"), 1));
        // 憋 sounds like 别 and 嘛 is a particle like 吗: two changes, within a budget of two.
        let polite = chars("你别再说了好吗");
        assert!(s.objects(&polite, &chars("你憋再说了好嘛"), 1));
        assert!(!s.objects(&polite, &chars("你憋再说了好嘛"), 2));
        assert!(!s.objects(&chars("你正在忙什么呢"), &chars("你正正忙什么呢"), 1));
        // Below ten characters only a light character may be dropped.
        assert!(!s.objects(&wording, &chars("有本事你去告"), 1));
        assert!(s.objects(&wording, &chars("有本事去告"), 1));
        // Five characters: words inside only, never at the edges.
        let short = chars("说话清楚点");
        assert!(!s.objects(&short, &chars("说话能清楚点"), 0));
        assert!(s.objects(&short, &chars("你说话清楚点"), 0));
    }

    #[test]
    fn the_nearest_window_that_is_a_slip_wins() {
        let s = slips();
        let wording = chars("有本事你去告");
        let text = chars("好啊有本事你就去告吧");
        let (start, end, score) = s.window_or_refusal(&wording, &text, 2, 4, 2).ok().unwrap();
        assert_eq!((start, end), (2, 9));
        assert_eq!(score, ratio(&wording, &chars("有本事你就去告")));
        assert!(s
            .window_or_refusal(&wording, &chars("有本事你不去告"), 0, 4, 2)
            .ok()
            .is_none());
    }

    #[test]
    fn editops_take_rapidfuzz_s_alignment() {
        // rapidfuzz: Levenshtein.editops("ab", "ba") ==
        // [Editop(tag=insert, src_pos=0, dest_pos=0), Editop(tag=delete, src_pos=1, dest_pos=2)]
        let ops = editops(&chars("ab"), &chars("ba"));
        assert_eq!(
            ops,
            vec![
                EditOp {
                    kind: EditKind::Insert,
                    src: 0,
                    dest: 0
                },
                EditOp {
                    kind: EditKind::Delete,
                    src: 1,
                    dest: 2
                },
            ]
        );
        assert!(editops(&chars("同样"), &chars("同样")).is_empty());
    }
}
