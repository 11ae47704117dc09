//! The gate of the fuzzy stage (matcher.py's `find` and `_fuzzy` up to `best_window`):
//! whether any wording would have a window measured for slips. The measuring itself (edit
//! operations, sounds) is not ported yet; a text that needs it goes to the Python engine.

use std::collections::{HashMap, HashSet};

use crate::plan::Plan;
use crate::resolve::Wording;
use crate::scan::Exact;

pub struct FuzzyGate {
    pieces: HashMap<u32, Vec<(usize, Vec<char>)>>,
    spelled: HashMap<u32, Vec<(u32, String)>>,
    least_kept: Vec<usize>,
    min_pieces_found: usize,
}

impl FuzzyGate {
    pub fn new(plan: &Plan) -> FuzzyGate {
        FuzzyGate {
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
            min_pieces_found: 2,
        }
    }

    /// True when the fuzzy stage would measure a window of `text` (normalized) for some
    /// wording: two of its anchor pieces occur, its rule was not found whole, and the LCS
    /// bounds on the text and on the region where it would stand leave it possible.
    /// `orders` and `spans` are the exact candidates' rule orders, form types and spans.
    pub fn needs_windows(
        &self,
        text: &[char],
        normalized: &str,
        exact: &Exact,
        candidates: &[(u32, u8, usize, usize)],
        wordings: &[Wording],
    ) -> bool {
        if exact.anchored.len() < self.min_pieces_found {
            return false;
        }
        let mut seen = HashSet::new();
        let mut twice = HashSet::new();
        for owners in &exact.anchored {
            for &index in owners {
                if !seen.insert(index) {
                    twice.insert(index);
                }
            }
        }
        if twice.is_empty() {
            return false;
        }
        let matched: HashSet<u32> = candidates
            .iter()
            .filter(|c| c.1 == 0)
            .map(|c| c.0)
            .collect();
        let mut plausible: Vec<u32> = twice
            .into_iter()
            .filter(|&i| !matched.contains(&wordings[i as usize].order))
            .collect();
        if plausible.is_empty() {
            return false;
        }
        let mut more = Vec::new();
        for index in &plausible {
            if let Some(spellings) = self.spelled.get(index) {
                for (spelling, marker) in spellings {
                    if normalized.contains(marker.as_str()) {
                        more.push(*spelling);
                    }
                }
            }
        }
        plausible.extend(more);
        let mut found_by_rule: HashMap<u32, Vec<(isize, isize)>> = HashMap::new();
        for &(order, _, start, end) in candidates {
            found_by_rule
                .entry(order)
                .or_default()
                .push((start as isize, end as isize));
        }
        let none = Vec::new();
        for index in plausible {
            let w = &wordings[index as usize];
            let least_kept = self.least_kept[index as usize];
            let chars: Vec<char> = w.text.chars().collect();
            if lcs(&chars, text) < least_kept {
                continue;
            }
            let length = chars.len() as isize;
            let edits = w.edits as isize;
            let found_here = found_by_rule.get(&w.order).unwrap_or(&none);
            for (offset, piece) in self.pieces.get(&index).map(Vec::as_slice).unwrap_or(&[]) {
                for at in occurrences(text, piece) {
                    let aligned = at as isize - *offset as isize;
                    let (low, high) = (aligned - edits, aligned + length + edits);
                    if found_here
                        .iter()
                        .any(|&(s, e)| s < high && low < e && e - s >= length)
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
                    if lcs(&chars, region) >= least_kept {
                        return true;
                    }
                }
            }
        }
        false
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

/// The length of the longest common subsequence (rapidfuzz's `LCSseq.similarity`).
pub fn lcs(first: &[char], second: &[char]) -> usize {
    if first.is_empty() || second.is_empty() {
        return 0;
    }
    let mut row = vec![0usize; second.len() + 1];
    for &a in first {
        let mut diagonal = 0;
        for (j, &b) in second.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if a == b { diagonal + 1 } else { up.max(row[j]) };
            diagonal = up;
        }
    }
    row[second.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lcs_counts_characters_kept_in_order() {
        let a: Vec<char> = "有本事你去告".chars().collect();
        let b: Vec<char> = "有本事你就去告吧".chars().collect();
        assert_eq!(lcs(&a, &b), 6);
        let c: Vec<char> = "告去你".chars().collect();
        assert_eq!(lcs(&a, &c), 1);
        assert_eq!(lcs(&a, &[]), 0);
    }

    #[test]
    fn occurrences_overlap() {
        let text: Vec<char> = "喂喂喂".chars().collect();
        let piece: Vec<char> = "喂喂".chars().collect();
        assert_eq!(occurrences(&text, &piece), vec![0, 1]);
    }
}
