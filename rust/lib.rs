//! phrasecheck's compiled matching core, built from a plain-data plan
//! (`phrasecheck.plan.compile_plan`): normalization, the automaton scan, slips and resolution.
pub mod engine;
pub mod fuzzy;
pub mod normalize;
pub mod plan;
#[cfg(feature = "python")]
mod python;
pub mod resolve;
pub mod scan;
pub mod words;
