//! One jieba-rs instance per vocabulary in the process, shared by every core built from a
//! plan with that vocabulary and by the Python word segmenter (`_core.Jieba`), so a
//! process loads jieba's dictionary (about 0.1 s and 40 MB) once, however many Checkers and
//! scorers it holds. Nobody keeps an unused instance alive: the registry holds weak handles.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use jieba_rs::Jieba;

type Registry = Mutex<HashMap<Vec<String>, Weak<Jieba>>>;

static LOADED: OnceLock<Registry> = OnceLock::new();

/// jieba-rs with `vocabulary` added at the default frequency (as tokenize.py's backends add
/// it), loaded now unless an instance with the same vocabulary is alive.
pub fn shared(vocabulary: &[String]) -> Arc<Jieba> {
    let registry = LOADED.get_or_init(|| Mutex::new(HashMap::new()));
    // Held while loading, so two threads asking at once load one instance, not two.
    let mut loaded = registry
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(jieba) = loaded.get(vocabulary).and_then(Weak::upgrade) {
        return jieba;
    }
    let mut jieba = Jieba::new();
    let mut seen = HashSet::new();
    for word in vocabulary {
        if seen.insert(word.as_str()) {
            jieba.add_word(word, None, None);
        }
    }
    let jieba = Arc::new(jieba);
    loaded.retain(|_, weak| weak.strong_count() > 0);
    loaded.insert(vocabulary.to_vec(), Arc::downgrade(&jieba));
    jieba
}

/// How many jieba-rs instances are alive in the process (for the start-up benchmark).
pub fn loaded() -> usize {
    LOADED.get().map_or(0, |registry| {
        let loaded = registry
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        loaded
            .values()
            .filter(|weak| weak.strong_count() > 0)
            .count()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_instance_per_vocabulary() {
        let words = vec!["急什么".to_string()];
        let first = shared(&words);
        let again = shared(&words);
        assert!(Arc::ptr_eq(&first, &again));
        let other = shared(&[]);
        assert!(!Arc::ptr_eq(&first, &other));
        assert!(first.has_word("急什么"));
    }
}
