//! One jieba-rs instance per vocabulary in the process, shared by every core built from a
//! plan with that vocabulary and by the Python word segmenter (`_core.Jieba`), so a
//! process loads jieba's dictionary (about 0.1 s and 40 MB) once, however many Checkers and
//! scorers it holds. Nobody keeps an unused instance alive: the registry holds weak handles.
//!
//! The dictionary itself (jieba-rs's `Jieba::new`, the slow part) can be read ahead on a
//! background thread (`preload`) while Python compiles the rules; the first instance built
//! afterwards takes it instead of reading its own.
//!
//! Forks: a child has only the thread that forked, so nothing may be half done in the locks
//! it inherits. Python's fork hooks call `before_fork`, which waits for the reading thread
//! and for any instance being built and holds both locks across the fork, and `after_fork`
//! in parent and child, which lets them go. A fork without Python's hooks (ctypes) still
//! waits for the reading thread (a `pthread_atfork` handler), since jieba-rs inflates its
//! dictionary lazily and a child must not inherit that half done.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, Weak};
use std::thread::JoinHandle;

use jieba_rs::Jieba;

type Instances = HashMap<Vec<String>, Weak<Jieba>>;

static REGISTRY: OnceLock<Mutex<Instances>> = OnceLock::new();

fn registry() -> MutexGuard<'static, Instances> {
    REGISTRY
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The dictionary read ahead, until an instance takes it.
enum Ahead {
    /// Being read by a thread of the process with this id.
    Reading(JoinHandle<Jieba>, u32),
    Read(Box<Jieba>),
}

static AHEAD: Mutex<Option<Ahead>> = Mutex::new(None);
static PRELOADED: OnceLock<()> = OnceLock::new();

fn ahead() -> MutexGuard<'static, Option<Ahead>> {
    AHEAD
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Start reading jieba's dictionary on a background thread, once per process: the first
/// call starts it, later calls do nothing. Returns whether this call started it.
pub fn preload() -> bool {
    let mut started = false;
    PRELOADED.get_or_init(|| {
        let reading = std::thread::Builder::new()
            .name("phrasecheck-words".into())
            .spawn(|| {
                let _done = Done; // set however the read ends
                Jieba::new()
            });
        if let Ok(handle) = reading {
            *ahead() = Some(Ahead::Reading(handle, std::process::id()));
            started = true;
            #[cfg(unix)]
            // SAFETY: registers a handler with no arguments that only waits on a condition
            // variable, which the reading thread signals without forking.
            unsafe {
                libc::pthread_atfork(Some(wait_for_reader), None, None);
            }
        }
    });
    started
}

/// Whether the reading thread has finished, and its signal.
static READ_DONE: Mutex<bool> = Mutex::new(false);
static READ_DONE_SIGNAL: Condvar = Condvar::new();

/// Marks the read finished when dropped, so a read that panics is finished too.
struct Done;

impl Drop for Done {
    fn drop(&mut self) {
        *READ_DONE
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = true;
        READ_DONE_SIGNAL.notify_all();
    }
}

/// Before any fork of the process (pthread_atfork's prepare handler, registered when the
/// reading thread starts): wait until the reading thread is done. A fork made without
/// Python's hooks (ctypes) would otherwise leave the child a lazily inflated dictionary
/// inside jieba-rs half initialised by a thread it does not have, and the child's own read
/// would wait for it for ever. Python's forks have already waited (`before_fork`).
#[cfg(unix)]
extern "C" fn wait_for_reader() {
    let mut done = READ_DONE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    while !*done {
        done = READ_DONE_SIGNAL
            .wait(done)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
    }
}

/// What became of the dictionary read ahead: "none" (never started, or taken by an
/// instance), "reading" or "read" (waiting to be taken).
pub fn ahead_state() -> &'static str {
    match ahead().as_ref() {
        None => "none",
        Some(Ahead::Reading(..)) => "reading",
        Some(Ahead::Read(_)) => "read",
    }
}

/// Wait until a dictionary being read ahead is read.
pub fn settle() {
    let mut slot = ahead();
    if let Some(Ahead::Reading(..)) = slot.as_ref() {
        if let Some(Ahead::Reading(handle, pid)) = slot.take() {
            *slot = finished(handle, pid).map(|jieba| Ahead::Read(Box::new(jieba)));
        }
    }
}

/// The locks `before_fork` holds across a fork: the registry, then the read-ahead slot.
type Held = (
    MutexGuard<'static, Instances>,
    MutexGuard<'static, Option<Ahead>>,
);

thread_local! {
    /// What `before_fork` holds, in the thread that forks.
    static HELD: RefCell<Option<Held>> = const { RefCell::new(None) };
}

/// Before a fork: wait for the reading thread and for any instance being built, then hold
/// the registry and the read-ahead slot (in the order `shared` takes them) until
/// `after_fork`, so the child inherits them whole and unlocked.
pub fn before_fork() {
    settle();
    let held = (registry(), ahead());
    HELD.with(|slot| *slot.borrow_mut() = Some(held));
}

/// After a fork, in parent and child alike: let go of what `before_fork` held.
pub fn after_fork() {
    HELD.with(|slot| drop(slot.borrow_mut().take()));
}

/// What a reading thread read, or None when it failed or belongs to the parent of a fork
/// that did not wait for it (one made without Python's fork hooks): that thread does not
/// exist here, and its handle is left alone rather than joined.
fn finished(handle: JoinHandle<Jieba>, pid: u32) -> Option<Jieba> {
    if pid == std::process::id() {
        handle.join().ok()
    } else {
        std::mem::forget(handle);
        None
    }
}

/// jieba's dictionary: the one read ahead if there is one left, else read now.
fn dictionary() -> Jieba {
    let taken = ahead().take();
    match taken {
        Some(Ahead::Reading(handle, pid)) => finished(handle, pid).unwrap_or_default(),
        Some(Ahead::Read(jieba)) => *jieba,
        None => Jieba::new(),
    }
}

/// jieba-rs with `vocabulary` added at the default frequency (as tokenize.py's backends add
/// it), loaded now unless an instance with the same vocabulary is alive.
pub fn shared(vocabulary: &[String]) -> Arc<Jieba> {
    // Held while loading, so two threads asking at once load one instance, not two.
    let mut loaded = registry();
    if let Some(jieba) = loaded.get(vocabulary).and_then(Weak::upgrade) {
        return jieba;
    }
    let mut jieba = dictionary();
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
    registry()
        .values()
        .filter(|weak| weak.strong_count() > 0)
        .count()
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

    #[test]
    fn read_ahead_once_and_taken_once() {
        // Other tests in this process may have started it: only "once" can be asserted.
        preload();
        assert!(!preload());
        settle();
        let words = vec!["读在前面".to_string()];
        let jieba = shared(&words);
        assert!(jieba.has_word("读在前面") && jieba.has_word("你好"));
        assert!(ahead().is_none());
        let other = shared(&["另一个词".to_string()]);
        assert!(other.has_word("另一个词") && !other.has_word("读在前面"));
    }
}
