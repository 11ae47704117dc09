//! The Python binding: `phrasecheck._core.Core`, built from a plan's JSON text alone.
//! Batch methods take a list of texts, cross the boundary once and release the GIL while
//! they work, so threads calling them run on separate cores.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyType;

use crate::engine::{Engine, Found, Scanned};

#[pyclass(frozen, module = "phrasecheck._core")]
struct Core {
    engine: Engine,
    plan: String,
}

#[pymethods]
impl Core {
    #[new]
    fn new(plan: String) -> PyResult<Self> {
        let engine = Engine::from_json(&plan).map_err(PyValueError::new_err)?;
        Ok(Core { engine, plan })
    }

    /// Pickles as the plan's JSON text: the copy compiles itself again.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyType>, (String,))> {
        Ok((slf.get_type(), (slf.get().plan.clone(),)))
    }

    /// The normalized text and, per normalized character, its index in `text`.
    fn normalize(&self, text: &str) -> (String, Vec<u32>) {
        let doc = self.engine.folder.normalize(text);
        (doc.text, doc.offsets)
    }

    fn normalize_many(&self, py: Python<'_>, texts: Vec<String>) -> Vec<(String, Vec<u32>)> {
        py.detach(|| {
            texts
                .iter()
                .map(|text| {
                    let doc = self.engine.folder.normalize(text);
                    (doc.text, doc.offsets)
                })
                .collect()
        })
    }

    /// Normalization and the matcher's exact stage: the normalized text, its offsets, the
    /// candidates (kind 0 wording / 1 template, index, start, end in normalized characters),
    /// slot-free exception spans (rule order, start, end) and the owners of each anchor piece.
    fn scan(&self, text: &str) -> Scanned {
        self.engine.scan(text)
    }

    /// `scan` of every text, with the GIL released while the core works.
    fn scan_many(&self, py: Python<'_>, texts: Vec<String>) -> Vec<Scanned> {
        py.detach(|| texts.iter().map(|text| self.engine.scan(text)).collect())
    }

    /// Every hit of `text` as (rule order, start, end in `text`, form, form type, method,
    /// score); None when the text needs a stage the core does not have yet (fuzzy slips).
    fn find(&self, text: &str) -> Option<Vec<Found>> {
        self.engine.find(text)
    }

    /// `find` of every text, with the GIL released while the core works.
    fn find_many(&self, py: Python<'_>, texts: Vec<String>) -> Vec<Option<Vec<Found>>> {
        py.detach(|| texts.iter().map(|text| self.engine.find(text)).collect())
    }

    /// Spans of the exceptions with slots of the rule `orders`, in `text` (normalized here).
    fn slotted_exceptions(&self, text: &str, orders: Vec<u32>) -> Vec<(u32, usize, usize)> {
        let doc = self.engine.folder.normalize(text);
        self.engine
            .scanner
            .slotted_exceptions(&self.engine.folder, &doc, &orders)
    }
}

#[pymodule]
fn _core(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Core>()?;
    module.add("PLAN_VERSION", crate::plan::PLAN_VERSION)?;
    Ok(())
}
