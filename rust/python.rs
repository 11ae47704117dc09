//! The Python binding: `phrasecheck._core.Core`, built from a plan's JSON text alone.
//! Batch methods take a list of texts, cross the boundary once and release the GIL while
//! they work, so threads calling them run on separate cores.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyList, PyString, PyTuple, PyType};

use std::sync::Arc;

use crate::engine::{Engine, Explained, Found};

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

    fn normalize_many(&self, py: Python<'_>, texts: Vec<PyBackedStr>) -> Vec<(String, Vec<u32>)> {
        py.detach(|| texts.iter().map(|text| self.normalize(text)).collect())
    }

    /// Every hit of `text` as (rule order, start, end in `text`, form, form type, method,
    /// score).
    fn find(&self, text: &str) -> Vec<Found> {
        self.engine.find(text)
    }

    /// `find` of every text, with the GIL released while the core works.
    fn find_many(&self, py: Python<'_>, texts: Vec<PyBackedStr>) -> Vec<Vec<Found>> {
        self.find_all(py, &texts)
    }

    /// `find`, each hit made the caller's hit tuple (`Shape`) here rather than in Python.
    fn find_as<'py>(
        &self,
        py: Python<'py>,
        text: &str,
        shape: &Shape,
    ) -> PyResult<Bound<'py, PyList>> {
        let found = self.engine.find(text);
        shape.make(py, text, found)
    }

    /// `find_many` with each hit made the caller's hit tuple (`Shape`): the GIL is released
    /// while the core works, and taken again to build the hits.
    fn find_many_as<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<PyBackedStr>,
        shape: &Shape,
    ) -> PyResult<Bound<'py, PyList>> {
        let lists = texts
            .iter()
            .zip(self.find_all(py, &texts))
            .map(|(text, found)| shape.make(py, text, found))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, lists)
    }

    /// The normalized text, the hits of `text` and every candidate considered, in text
    /// order: (hit tuple as `find` gives it, wording index or -1, decision code, reason,
    /// rule order of the candidate it gave way to or -1).
    fn explain(&self, py: Python<'_>, text: &str) -> (String, Vec<Found>, Vec<Explained>) {
        py.detach(|| self.engine.explain(text))
    }

    /// Why the edits from `wording` to `window` are not a slip, or None when they are one
    /// (the reason an explanation gives a refused slip).
    fn objection(&self, wording: &str, window: &str, changes: u32) -> Option<String> {
        let wording: Vec<char> = wording.chars().collect();
        let window: Vec<char> = window.chars().collect();
        self.engine
            .fuzzy()
            .slips
            .objection(&wording, &window, changes)
            .map(|objection| objection.to_string())
    }

    /// True when pypinyin gives the two characters a common folded reading (the plan's table).
    fn sounds_alike(&self, first: char, second: char) -> bool {
        self.engine.fuzzy().slips.sounds_alike(first, second)
    }
}

impl Core {
    /// `Engine::find` of every text, with the GIL released.
    fn find_all(&self, py: Python<'_>, texts: &[PyBackedStr]) -> Vec<Vec<Found>> {
        py.detach(|| texts.iter().map(|text| self.engine.find(text)).collect())
    }
}

/// How a hit becomes the caller's tuple: `cls(rule, start, end, matched, form, form type,
/// method, score)` made as `tuple.__new__(cls, ...)`, with the rule object by its order and
/// the names of form types and methods by their codes (checker.py's `Found`). The core
/// itself stays plain data; the Checker builds its shape beside it.
#[pyclass(frozen, module = "phrasecheck._core")]
struct Shape {
    cls: Py<PyType>,
    rules: Vec<Py<PyAny>>,
    form_types: Vec<Py<PyString>>,
    methods: Vec<Py<PyString>>,
    new: Py<PyAny>,
}

#[pymethods]
impl Shape {
    #[new]
    fn new(
        py: Python<'_>,
        cls: Bound<'_, PyType>,
        rules: Vec<Py<PyAny>>,
        form_types: Vec<Py<PyString>>,
        methods: Vec<Py<PyString>>,
    ) -> PyResult<Self> {
        if !cls.is_subclass_of::<PyTuple>()? {
            return Err(PyValueError::new_err(
                "a Shape's class must be a tuple subclass",
            ));
        }
        let new = py.get_type::<PyTuple>().getattr("__new__")?.unbind();
        Ok(Shape {
            cls: cls.unbind(),
            rules,
            form_types,
            methods,
            new,
        })
    }

    /// The core's hits of `text` (as `Core.find` gives them) made hit tuples.
    fn make<'py>(
        &self,
        py: Python<'py>,
        text: &str,
        found: Vec<Found>,
    ) -> PyResult<Bound<'py, PyList>> {
        if found.is_empty() {
            return Ok(PyList::empty(py));
        }
        // Hits give character offsets; `matched` is sliced from the text by bytes.
        let bytes: Vec<usize> = text
            .char_indices()
            .map(|(at, _)| at)
            .chain(std::iter::once(text.len()))
            .collect();
        let picked = |table: &[Py<PyString>], code: u8| {
            table
                .get(code as usize)
                .map(|name| name.bind(py).clone())
                .ok_or_else(|| PyValueError::new_err(format!("no name for code {code}")))
        };
        let new = self.new.bind(py);
        let mut hits = Vec::with_capacity(found.len());
        for (order, start, end, form, form_type, method, score) in found {
            let rule = self
                .rules
                .get(order as usize)
                .ok_or_else(|| PyValueError::new_err(format!("no rule of order {order}")))?;
            let item = (
                rule.bind(py),
                start,
                end,
                matched(text, &bytes, start, end)?,
                form,
                picked(&self.form_types, form_type)?,
                picked(&self.methods, method)?,
                score,
            )
                .into_pyobject(py)?;
            hits.push(new.call1((self.cls.bind(py), item))?);
        }
        PyList::new(py, hits)
    }
}

/// The characters `start..end` of `text`, whose character boundaries are at `bytes`.
fn matched<'t>(text: &'t str, bytes: &[usize], start: usize, end: usize) -> PyResult<&'t str> {
    match (bytes.get(start), bytes.get(end)) {
        (Some(&from), Some(&to)) if start <= end => Ok(&text[from..to]),
        _ => Err(PyValueError::new_err(format!(
            "no characters {start}..{end} in a text of {}",
            bytes.len() - 1
        ))),
    }
}

/// jieba-rs with a vocabulary added: the instance the cores with that vocabulary use
/// (`words::shared`), for the Python word segmenter (tokenize.py: explanations' tokens).
#[pyclass(frozen, module = "phrasecheck._core")]
struct Jieba {
    jieba: Arc<jieba_rs::Jieba>,
}

#[pymethods]
impl Jieba {
    #[new]
    fn new(py: Python<'_>, vocabulary: Vec<String>) -> Self {
        Jieba {
            jieba: py.detach(|| crate::words::shared(&vocabulary)),
        }
    }

    /// The words of `text`, from the dictionary alone (no HMM guessing of new words).
    fn cut(&self, text: &str) -> Vec<String> {
        self.jieba
            .cut(text, false)
            .into_iter()
            .map(|t| t.word.to_string())
            .collect()
    }

    fn has_word(&self, word: &str) -> bool {
        self.jieba.has_word(word)
    }

    /// The words of `text` with their part-of-speech tags (no HMM).
    fn tag(&self, text: &str) -> Vec<(String, String)> {
        self.jieba
            .tag(text, false)
            .into_iter()
            .map(|t| (t.word.to_string(), t.tag.to_string()))
            .collect()
    }
}

/// rapidfuzz's `Levenshtein.editops(source, dest)` as the core computes it: (tag, src_pos,
/// dest_pos) triples (for the tests that compare the two).
#[pyfunction]
fn editops(source: &str, dest: &str) -> Vec<(&'static str, usize, usize)> {
    let source: Vec<char> = source.chars().collect();
    let dest: Vec<char> = dest.chars().collect();
    crate::fuzzy::editops(&source, &dest)
        .into_iter()
        .map(|op| {
            let tag = match op.kind {
                crate::fuzzy::EditKind::Insert => "insert",
                crate::fuzzy::EditKind::Delete => "delete",
                crate::fuzzy::EditKind::Replace => "replace",
            };
            (tag, op.src, op.dest)
        })
        .collect()
}

/// (Levenshtein distance, `fuzz.ratio`, the ratio rounded as a hit's score) as the core
/// computes them: the compiler scores spellings with it, the tests compare it with rapidfuzz.
#[pyfunction]
fn similarity(first: &str, second: &str) -> (usize, f64, f64) {
    let first: Vec<char> = first.chars().collect();
    let second: Vec<char> = second.chars().collect();
    let ratio = crate::fuzzy::ratio(&first, &second);
    (
        crate::fuzzy::levenshtein(&first, &second),
        ratio,
        crate::fuzzy::round1(ratio),
    )
}

/// Start reading jieba's dictionary on a background thread, once per process (later calls
/// do nothing); True when this call started it. The first jieba-rs instance built afterwards
/// takes the dictionary instead of reading its own.
#[pyfunction]
fn preload_words() -> bool {
    crate::words::preload()
}

/// Before a fork (`os.register_at_fork`): wait for the dictionary being read and for any
/// jieba-rs instance being built, and hold their locks until `after_fork`.
#[pyfunction]
fn before_fork(py: Python<'_>) {
    py.detach(crate::words::before_fork)
}

/// After a fork, in parent and child: let go of what `before_fork` held.
#[pyfunction]
fn after_fork() {
    crate::words::after_fork()
}

/// What became of jieba's dictionary read ahead: "none" (never started, or taken),
/// "reading", or "read" (waiting to be taken).
#[pyfunction]
fn words_ahead() -> &'static str {
    crate::words::ahead_state()
}

/// How many jieba-rs instances are alive in the process (one per vocabulary in use).
#[pyfunction]
fn loaded_jiebas() -> usize {
    crate::words::loaded()
}

#[pymodule]
fn _core(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Core>()?;
    module.add_class::<Jieba>()?;
    module.add_class::<Shape>()?;
    module.add_function(wrap_pyfunction!(loaded_jiebas, module)?)?;
    module.add_function(wrap_pyfunction!(preload_words, module)?)?;
    module.add_function(wrap_pyfunction!(before_fork, module)?)?;
    module.add_function(wrap_pyfunction!(after_fork, module)?)?;
    module.add_function(wrap_pyfunction!(words_ahead, module)?)?;
    module.add_function(wrap_pyfunction!(editops, module)?)?;
    module.add_function(wrap_pyfunction!(similarity, module)?)?;
    module.add("PLAN_VERSION", crate::plan::PLAN_VERSION)?;
    Ok(())
}
