//! The first stage of matching: one Aho–Corasick pass
//! over the normalized text yields every overlapping wording, exception and anchor piece;
//! templates (wordings with name slots) run only when the pass saw their fixed text.

use daachorse::CharwiseDoubleArrayAhoCorasick;
use regex::Regex;

use crate::normalize::{Folder, Normalized};
use crate::plan::{Plan, TAG_EXCEPTION, TAG_GATE, TAG_PIECE, TAG_WORDING};

/// What one automaton key stands for.
#[derive(Default)]
struct KeyEntry {
    length: usize,
    wordings: Vec<u32>,
    owners: Vec<u32>,
    exceptions: Vec<(u32, bool)>,
    gates: Vec<u32>,
}

/// A candidate before resolution: a wording (`template == false`) or a template, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub template: bool,
    pub index: u32,
    pub start: usize,
    pub end: usize,
}

/// The exact stage's output, by end position and, at one end, longest key first.
#[derive(Debug, Default)]
pub struct Exact {
    pub candidates: Vec<Candidate>,
    /// (rule order, start, end), in the order found.
    pub exceptions: Vec<(u32, usize, usize)>,
    /// The automaton key of each anchor piece that occurs (`Scanner::owners` names the
    /// wordings it anchors).
    pub anchored: Vec<u32>,
}

pub struct Scanner {
    automaton: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    entries: Vec<KeyEntry>,
    templates: Vec<Regex>,
    ungated: Vec<u32>,
    exception_patterns: Vec<(u32, Vec<(Regex, bool)>)>,
}

fn compile_regex(source: &str) -> Result<Regex, String> {
    Regex::new(source).map_err(|e| format!("bad regular expression {source:?}: {e}"))
}

impl Scanner {
    pub fn new(plan: &Plan) -> Result<Scanner, String> {
        let mut entries = Vec::with_capacity(plan.keys.len());
        for (key, items) in &plan.keys {
            let mut entry = KeyEntry {
                length: key.chars().count(),
                ..KeyEntry::default()
            };
            for &(tag, index, extra) in items {
                match tag {
                    TAG_WORDING => entry.wordings.push(index),
                    TAG_EXCEPTION => entry.exceptions.push((index, extra != 0)),
                    TAG_PIECE => {
                        if !entry.owners.contains(&index) {
                            entry.owners.push(index);
                        }
                    }
                    TAG_GATE => entry.gates.push(index),
                    _ => return Err(format!("unknown automaton tag {tag} for key {key:?}")),
                }
            }
            entries.push(entry);
        }
        let automaton = if plan.keys.is_empty() {
            None
        } else {
            let keys: Vec<&str> = plan.keys.iter().map(|(key, _)| key.as_str()).collect();
            Some(
                CharwiseDoubleArrayAhoCorasick::new(keys)
                    .map_err(|e| format!("cannot build the automaton: {e}"))?,
            )
        };
        let templates = plan
            .templates
            .iter()
            .map(|(_, source)| compile_regex(source))
            .collect::<Result<Vec<_>, _>>()?;
        let mut exception_patterns = Vec::new();
        for (order, patterns) in &plan.exception_patterns {
            let compiled = patterns
                .iter()
                .map(|(source, spans)| Ok((compile_regex(source)?, *spans)))
                .collect::<Result<Vec<_>, String>>()?;
            exception_patterns.push((*order, compiled));
        }
        Ok(Scanner {
            automaton,
            entries,
            templates,
            ungated: plan.ungated.clone(),
            exception_patterns,
        })
    }

    /// The wordings anchored by the piece at automaton key `key`.
    pub fn owners(&self, key: u32) -> &[u32] {
        &self.entries[key as usize].owners
    }

    /// Every exact and template candidate, the slot-free exception spans and anchor owners.
    pub fn exact(&self, folder: &Folder, doc: &Normalized) -> Exact {
        let mut out = Exact::default();
        let Some(automaton) = &self.automaton else {
            self.run_templates(doc, self.ungated.clone(), &mut out);
            return out;
        };
        let text = doc.text.as_str();
        // By end position and, at one end, longest key first: the order resolution reads.
        let mut found: Vec<(usize, usize, usize)> = automaton
            .find_overlapping_iter(text)
            .map(|m| {
                let key = m.value() as usize;
                (doc.char_index(m.end()), self.entries[key].length, key)
            })
            .collect();
        found.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut gated: Vec<u32> = self.ungated.clone();
        for (end, length, key) in found {
            let start = end - length;
            let entry = &self.entries[key];
            for &index in &entry.wordings {
                out.candidates.push(Candidate {
                    template: false,
                    index,
                    start,
                    end,
                });
            }
            if !entry.owners.is_empty() {
                out.anchored.push(key as u32);
            }
            for &(order, spans) in &entry.exceptions {
                if spans || !doc.crosses_break(folder, start, end) {
                    out.exceptions.push((order, start, end));
                }
            }
            gated.extend_from_slice(&entry.gates);
        }
        self.run_templates(doc, gated, &mut out);
        out
    }

    fn run_templates(&self, doc: &Normalized, mut gated: Vec<u32>, out: &mut Exact) {
        if gated.is_empty() {
            return;
        }
        gated.sort_unstable();
        gated.dedup();
        for index in gated {
            for found in self.templates[index as usize].find_iter(&doc.text) {
                out.candidates.push(Candidate {
                    template: true,
                    index,
                    start: doc.char_index(found.start()),
                    end: doc.char_index(found.end()),
                });
            }
        }
    }

    /// Spans of the rules' exceptions with slots, for the rule orders given (in that order).
    pub fn slotted_exceptions(
        &self,
        folder: &Folder,
        doc: &Normalized,
        orders: &[u32],
    ) -> Vec<(u32, usize, usize)> {
        let mut out = Vec::new();
        if orders.is_empty() {
            return out;
        }
        for &order in orders {
            let Some((_, patterns)) = self.exception_patterns.iter().find(|(o, _)| *o == order)
            else {
                continue;
            };
            for (pattern, spans) in patterns {
                for found in pattern.find_iter(&doc.text) {
                    let (start, end) = (doc.char_index(found.start()), doc.char_index(found.end()));
                    if *spans || !doc.crosses_break(folder, start, end) {
                        out.push((order, start, end));
                    }
                }
            }
        }
        out
    }
}
