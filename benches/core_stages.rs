//! Where the compiled core's time goes, stage by stage, with no Python around it.
//!
//! Why: `bench_peer.py` says how fast `find` is against the peer; this says how much of it
//! each stage takes, so a target can be set against the stages it cannot skip. Driven by
//! `benchmarks/core_floor.py`, which writes the plan and the texts and runs
//!
//!     cargo bench --bench core_stages -- PLAN TEXTS ROUNDS
//!
//! PLAN is a plan's JSON, TEXTS one text per line. Each stage runs over every text, the
//! least of ROUNDS rounds; printed as one JSON object of nanoseconds per text:
//! `normalize` (fold table and offset map), `scan` (normalize + the automaton, templates and
//! exception spans), `cut` (jieba-rs over every normalized text: what segmenting all of them
//! would cost; the engine cuts only a text with a hit that needs a word boundary) and `find`
//! (the whole engine, hits as the binding receives them).

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use _core::engine::Engine;
use _core::plan::Plan;

/// The system allocator, counting its allocations: how many a stage makes per text.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

/// A plain load and store, not an atomic add: the bench allocates on one thread only, and a
/// locked add would cost each allocation more than the figures should carry.
fn count() {
    ALLOCATIONS.store(ALLOCATIONS.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Allocations (and reallocations) per text of one run of `run` over `texts` texts.
fn allocations<F: FnMut()>(texts: usize, mut run: F) -> f64 {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    run();
    (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / texts as f64
}

/// One stage's work over every text.
type Stage<'a> = Box<dyn Fn() + 'a>;

fn least<F: FnMut()>(rounds: usize, texts: usize, mut run: F) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..rounds {
        let started = Instant::now();
        run();
        best = best.min(started.elapsed().as_secs_f64());
    }
    best / texts as f64 * 1e9
}

fn main() {
    // `cargo bench` passes `--bench` among the arguments: take the three that are ours.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let [plan_path, texts_path, rounds] = args.as_slice() else {
        eprintln!("usage: core_stages PLAN TEXTS ROUNDS");
        std::process::exit(2);
    };
    let rounds: usize = rounds.parse().expect("ROUNDS is a whole number");
    let json = std::fs::read_to_string(plan_path).expect("the plan file reads");
    let texts_file = std::fs::read_to_string(texts_path).expect("the texts file reads");
    let texts: Vec<&str> = texts_file.lines().collect();
    let vocabulary = Plan::from_json(&json).expect("a plan").vocabulary;
    let engine = Engine::from_json(&json).expect("an engine");
    let jieba = _core::words::shared(&vocabulary);
    let folder = &engine.folder;
    let hits: usize = texts.iter().map(|t| engine.find(t).len()).sum(); // warms up the words

    let normalized: Vec<String> = texts.iter().map(|t| folder.normalize(t).text).collect();
    let stages: [(&str, Stage); 4] = [
        (
            "normalize",
            Box::new(|| {
                for text in &texts {
                    black_box(folder.normalize(text));
                }
            }),
        ),
        (
            "scan",
            Box::new(|| {
                for text in &texts {
                    let doc = folder.normalize(text);
                    black_box(engine.scanner.exact(folder, &doc));
                }
            }),
        ),
        (
            "cut",
            Box::new(|| {
                for text in &normalized {
                    black_box(jieba.cut(text, false));
                }
            }),
        ),
        (
            "find",
            Box::new(|| {
                for text in &texts {
                    black_box(engine.find(text));
                }
            }),
        ),
    ];
    let mut out = format!("{{\"texts\": {}, \"hits\": {hits}", texts.len());
    for (name, run) in &stages {
        let nanoseconds = least(rounds, texts.len(), run);
        let allocated = allocations(texts.len(), run);
        out += &format!(", \"{name}\": {nanoseconds:.1}, \"{name}_allocations\": {allocated:.2}");
    }
    println!("{out}}}");
}
