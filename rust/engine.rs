//! The compiled core: a plan turned into the fold table, the scanner and the resolver.

use rustc_hash::FxHashMap;

use crate::fuzzy::Fuzzy;
use crate::normalize::Folder;
use crate::plan::Plan;
use crate::resolve::{Cand, Resolver};
use crate::scan::Scanner;

/// (normalized text, offsets, candidates (kind 0 wording / 1 template, index, start, end),
/// slot-free exception spans (rule order, start, end), owners of each anchor piece found).
pub type Scanned = (
    String,
    Vec<u32>,
    Vec<(u8, u32, usize, usize)>,
    Vec<(u32, usize, usize)>,
    Vec<Vec<u32>>,
);

/// A hit: (rule order, start, end in the original text, form, form type 0 phrase / 1 core,
/// method 0 exact / 1 template / 2 fuzzy / 3 normalized, score).
pub type Found = (u32, usize, usize, String, u8, u8, f64);

const METHOD_TEMPLATE: u8 = 1;
const METHOD_NORMALIZED: u8 = 3;

pub struct Engine {
    pub folder: Folder,
    pub scanner: Scanner,
    resolver: Resolver,
    template_orders: Vec<u32>,
    fuzzy: Fuzzy,
}

impl Engine {
    pub fn from_json(json: &str) -> Result<Engine, String> {
        let plan = Plan::from_json(json)?;
        let folder = Folder::new(&plan.normalizer)?;
        Ok(Engine {
            scanner: Scanner::new(&plan)?,
            resolver: Resolver::new(&plan, &folder)?,
            folder,
            template_orders: plan.templates.iter().map(|t| t.0).collect(),
            fuzzy: Fuzzy::new(&plan)?,
        })
    }

    /// The fuzzy stage (its measures are exposed to Python for the tests).
    pub fn fuzzy(&self) -> &Fuzzy {
        &self.fuzzy
    }

    /// Normalization and the exact stage as plain tuples (see `Core.scan`).
    pub fn scan(&self, text: &str) -> Scanned {
        let doc = self.folder.normalize(text);
        if doc.is_empty() {
            return (doc.text, doc.offsets, Vec::new(), Vec::new(), Vec::new());
        }
        let found = self.scanner.exact(&self.folder, &doc);
        let candidates = found
            .candidates
            .iter()
            .map(|c| (u8::from(c.template), c.index, c.start, c.end))
            .collect();
        (
            doc.text,
            doc.offsets,
            candidates,
            found.exceptions,
            found
                .anchored
                .iter()
                .map(|&key| self.scanner.owners(key).to_vec())
                .collect(),
        )
    }

    /// Every hit of `text`, as `Checker.find` gives it; None when a window of the fuzzy stage
    /// needs what the plan cannot say (see `Fuzzy::find`), which the Python engine then runs.
    pub fn find(&self, text: &str) -> Option<Vec<Found>> {
        let doc = self.folder.normalize(text);
        if doc.is_empty() {
            return Some(Vec::new());
        }
        let exact = self.scanner.exact(&self.folder, &doc);
        let wordings = &self.resolver.wordings;
        let mut candidates: Vec<Cand> = exact
            .candidates
            .iter()
            .map(|c| {
                if c.template {
                    Cand {
                        wording: None,
                        order: self.template_orders[c.index as usize],
                        start: c.start,
                        end: c.end,
                        score: 100.0,
                        form_type: 0,
                        method: METHOD_TEMPLATE,
                        measured: false,
                    }
                } else {
                    let w = &wordings[c.index as usize];
                    Cand {
                        wording: Some(c.index),
                        order: w.order,
                        start: c.start,
                        end: c.end,
                        score: w.score,
                        form_type: w.form_type,
                        method: w.method,
                        measured: false,
                    }
                }
            })
            .collect();
        if !self.fuzzy.find(
            &self.folder,
            &doc,
            &self.scanner,
            &exact,
            &mut candidates,
            wordings,
        ) {
            return None;
        }
        if candidates.is_empty() {
            return Some(Vec::new());
        }
        let mut exceptions: FxHashMap<u32, Vec<(usize, usize)>> = FxHashMap::default();
        for &(order, start, end) in &exact.exceptions {
            exceptions.entry(order).or_default().push((start, end));
        }
        let mut orders: Vec<u32> = candidates.iter().map(|c| c.order).collect();
        orders.sort_unstable();
        orders.dedup();
        for (order, start, end) in self.scanner.slotted_exceptions(&self.folder, &doc, &orders) {
            exceptions.entry(order).or_default().push((start, end));
        }
        let kept = self
            .resolver
            .resolve(&self.folder, &doc, candidates, &exceptions);
        Some(
            kept.into_iter()
                .map(|c| {
                    let (start, end) = doc.span(c.start, c.end);
                    match c.wording {
                        None => {
                            let form: String = doc.chars[c.start..c.end].iter().collect();
                            (c.order, start, end, form, 0, METHOD_TEMPLATE, c.score)
                        }
                        Some(index) => {
                            let w = &wordings[index as usize];
                            if c.measured {
                                let form = w.text.clone();
                                return (c.order, start, end, form, w.form_type, c.method, c.score);
                            }
                            let mut method = w.method;
                            if method == 0 {
                                let matched: String = doc.original[start..end].iter().collect();
                                if matched != w.raw {
                                    method = METHOD_NORMALIZED;
                                }
                            }
                            (
                                c.order,
                                start,
                                end,
                                w.form.clone(),
                                w.form_type,
                                method,
                                c.score,
                            )
                        }
                    }
                })
                .collect(),
        )
    }
}
