//! The compiled core: a plan turned into the fold table and the scanner.

use crate::normalize::Folder;
use crate::plan::Plan;
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

pub struct Engine {
    pub folder: Folder,
    pub scanner: Scanner,
}

impl Engine {
    pub fn from_json(json: &str) -> Result<Engine, String> {
        let plan = Plan::from_json(json)?;
        Ok(Engine { folder: Folder::new(&plan.normalizer)?, scanner: Scanner::new(&plan)? })
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
        (doc.text, doc.offsets, candidates, found.exceptions, found.anchored)
    }
}
