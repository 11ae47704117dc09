//! The compiled core: a plan turned into the fold table, the scanner and the resolver.

use std::cell::Cell;

use crate::fuzzy::Fuzzy;
use crate::normalize::{Folder, Normalized};
use crate::plan::Plan;
use crate::resolve::{Cand, Exceptions, Resolver, Trace};
use crate::scan::Scanner;

/// A hit: (rule order, start, end in the original text, form, form type 0 phrase / 1 core,
/// method 0 exact / 1 template / 2 fuzzy / 3 normalized, score).
pub type Found = (u32, usize, usize, String, u8, u8, f64);

/// A candidate an explanation lists: as a hit, its wording's index (-1 for a template's
/// match), the decision code (`resolve::STEP_*`), the reason, and the rule order of the
/// candidate it gave way to (-1 when none).
pub type Explained = (Found, i64, u8, String, i64);

thread_local! {
    /// The last `find`'s normalized text, its buffers kept for the next one on this thread.
    static SPARE: Cell<Option<Normalized>> = const { Cell::new(None) };
}

/// Buffers with room for more characters than this (a long text's) are not kept for the next:
/// what a thread keeps stays under about 100 KiB, and a long text's allocations are few
/// beside its work.
const SPARE_LIMIT: usize = 4096;

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

    /// Every hit of `text`, as `Checker.find` gives it.
    pub fn find(&self, text: &str) -> Vec<Found> {
        let mut doc = SPARE.take().unwrap_or_default();
        self.folder.normalize_into(text, &mut doc);
        let kept = self.decide(&doc, &mut None);
        let hits = kept.iter().map(|c| self.found(&doc, c)).collect();
        if doc.original.capacity() <= SPARE_LIMIT {
            SPARE.set(Some(doc));
        }
        hits
    }

    /// The normalized text, the hits of `text` and every candidate considered, in text
    /// order, with what was decided and why (`Checker.explain`).
    pub fn explain(&self, text: &str) -> (String, Vec<Found>, Vec<Explained>) {
        let doc = self.folder.normalize(text);
        let mut trace = Some(Vec::new());
        let kept = self.decide(&doc, &mut trace);
        let mut steps = trace.unwrap_or_default();
        steps.sort_by_key(|s| (s.cand.start, s.cand.end, s.cand.order));
        let hits = kept.iter().map(|c| self.found(&doc, c)).collect();
        let explained = steps
            .into_iter()
            .map(|step| {
                let wording = step.cand.wording.map_or(-1, i64::from);
                let cover = step.cover.map_or(-1, i64::from);
                (
                    self.found(&doc, &step.cand),
                    wording,
                    step.code,
                    step.reason,
                    cover,
                )
            })
            .collect();
        (doc.text, hits, explained)
    }

    /// The candidates that stand in `doc`, recording the refused fuzzy windows and every
    /// decision in `trace` when it is given.
    fn decide(&self, doc: &Normalized, trace: &mut Trace) -> Vec<Cand> {
        if doc.is_empty() {
            return Vec::new();
        }
        let exact = self.scanner.exact(&self.folder, doc);
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
        let anchored: Vec<&[u32]> = exact
            .anchored
            .iter()
            .map(|&key| self.scanner.owners(key))
            .collect();
        self.fuzzy.find(
            &self.folder,
            doc,
            &anchored,
            &mut candidates,
            wordings,
            trace,
        );
        if candidates.is_empty() {
            return Vec::new();
        }
        // (rule order, start, end): the slot-free ones in scan order, then those with slots.
        let mut exceptions = exact.exceptions;
        let mut orders: Vec<u32> = candidates.iter().map(|c| c.order).collect();
        orders.sort_unstable();
        orders.dedup();
        exceptions.extend(self.scanner.slotted_exceptions(&self.folder, doc, &orders));
        let exceptions = Exceptions::new(exceptions);
        self.resolver
            .resolve(&self.folder, doc, candidates, &exceptions, trace)
    }

    /// A candidate as a hit: its span in the original text, its form and method.
    fn found(&self, doc: &Normalized, c: &Cand) -> Found {
        let (start, end) = doc.span(c.start, c.end);
        let Some(index) = c.wording else {
            let form: String = doc.chars[c.start..c.end].iter().collect();
            return (c.order, start, end, form, 0, METHOD_TEMPLATE, c.score);
        };
        let w = &self.resolver.wordings[index as usize];
        // A measured window (a slip) reports the wording it was measured against; an exact
        // match its form, "normalized" when the original text differs from the raw wording.
        let (form, method) = if c.measured {
            (w.text.clone(), c.method)
        } else if w.method == 0 && !doc.original[start..end].iter().copied().eq(w.raw.chars()) {
            (w.form.clone(), METHOD_NORMALIZED)
        } else {
            (w.form.clone(), w.method)
        };
        (c.order, start, end, form, w.form_type, method, c.score)
    }
}
