//! The compiled core: a plan turned into the fold table and the scanner.

use crate::normalize::Folder;
use crate::plan::Plan;
use crate::scan::Scanner;

pub struct Engine {
    pub folder: Folder,
    pub scanner: Scanner,
}

impl Engine {
    pub fn from_json(json: &str) -> Result<Engine, String> {
        let plan = Plan::from_json(json)?;
        Ok(Engine { folder: Folder::new(&plan.normalizer)?, scanner: Scanner::new(&plan)? })
    }

    /// The exact stage as plain tuples (see `Core.exact`).
    #[allow(clippy::type_complexity)]
    pub fn exact(
        &self,
        text: &str,
    ) -> (Vec<(u8, u32, usize, usize)>, Vec<(u32, usize, usize)>, Vec<Vec<u32>>) {
        let doc = self.folder.normalize(text);
        if doc.is_empty() {
            return (Vec::new(), Vec::new(), Vec::new());
        }
        let found = self.scanner.exact(&self.folder, &doc);
        let candidates = found
            .candidates
            .iter()
            .map(|c| (u8::from(c.template), c.index, c.start, c.end))
            .collect();
        (candidates, found.exceptions, found.anchored)
    }
}
