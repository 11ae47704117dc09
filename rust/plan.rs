//! The plan as the core reads it: plain data, deserialized from the JSON that
//! `phrasecheck.plan.compile_plan` writes. Field meanings are documented there.

use serde::Deserialize;

pub const PLAN_VERSION: u32 = 3;

/// Automaton entry tags (compiler.py's `_WORDING`, `_EXCEPTION`, `_PIECE`, `_GATE`).
pub const TAG_WORDING: u8 = 0;
pub const TAG_EXCEPTION: u8 = 1;
pub const TAG_PIECE: u8 = 2;
pub const TAG_GATE: u8 = 3;

#[derive(Debug, Deserialize)]
pub struct NormalizerPlan {
    /// (first, last, action): 0 kept as is, 1 dropped, 2 mapped (see `mapped`).
    pub runs: Vec<(u32, u32, u8)>,
    pub mapped: Vec<(u32, u32)>,
    /// (first, last) ranges of the code points that break a clause.
    pub breaks: Vec<(u32, u32)>,
}

#[derive(Debug, Deserialize)]
pub struct RulePlan {
    pub id: String,
    pub kind: String,
    pub clause_start: bool,
    pub first_person: bool,
}

/// (order, raw, text, form_type, edits, changes, needs_boundary, least_kept, form, method,
/// score, spelling, asks)
#[derive(Debug, Deserialize)]
pub struct WordingPlan(
    pub u32,
    pub String,
    pub String,
    pub u8,
    pub u32,
    pub u32,
    pub bool,
    pub u32,
    pub String,
    pub u8,
    pub f64,
    pub String,
    pub bool,
);

/// (tag, index, extra): what an automaton key stands for.
pub type KeyItem = (u8, u32, u32);

#[derive(Debug, Deserialize)]
pub struct Plan {
    pub version: u32,
    pub normalizer: NormalizerPlan,
    pub rules: Vec<RulePlan>,
    pub wordings: Vec<WordingPlan>,
    /// Automaton key → (tag, index, extra) entries.
    pub keys: Vec<(String, Vec<KeyItem>)>,
    /// (rule order, regular expression over normalized text).
    pub templates: Vec<(u32, String)>,
    pub ungated: Vec<u32>,
    /// Rule order → (regular expression, may span clause breaks).
    pub exception_patterns: Vec<(u32, Vec<(String, bool)>)>,
    pub pieces: Vec<(u32, Vec<(u32, String)>)>,
    pub spelled: Vec<(u32, Vec<(u32, String)>)>,
    pub vocabulary: Vec<String>,
    pub budgets: BudgetsPlan,
    /// Insertion-only wordings: whether the raw wording crosses a clause break.
    pub raw_crosses: Vec<(u32, bool)>,
    pub sounds: SoundPlan,
    pub resolution: ResolutionPlan,
    pub subject: SubjectPlan,
    pub mention: MentionPlan,
}

/// fuzzy.py's budgets and the character classes of a slip.
#[derive(Debug, Deserialize)]
pub struct BudgetsPlan {
    pub min_pieces_found: usize,
    pub long_wording: usize,
    pub polarity: String,
    pub particles: String,
    pub light: String,
    pub equivalents: Vec<String>,
}

/// pypinyin's readings of every character it knows, folded as soundtable.py folds them:
/// (syllable, the characters with that reading).
#[derive(Debug, Deserialize)]
pub struct SoundPlan {
    pub pypinyin: String,
    pub sounds: Vec<(String, String)>,
}

#[derive(Debug, Deserialize)]
pub struct ResolutionPlan {
    pub longer_questions: Vec<String>,
    pub question_tails: Vec<String>,
    pub anyone: Vec<String>,
    pub all: Vec<String>,
    /// Negation characters a slip may not borrow from another clause.
    pub negations: String,
    /// (kind, whether only hits of one rule compete, the kind inside whose hits it yields).
    pub kinds: Vec<(String, bool, Option<String>)>,
}

#[derive(Debug, Deserialize)]
pub struct SubjectPlan {
    pub speaker: Vec<String>,
    pub personal_pronouns: Vec<String>,
    pub person_suffixes: Vec<String>,
    pub person_words: Vec<String>,
    pub transparent: Vec<String>,
    pub reporting: Vec<String>,
    pub conditionals: Vec<String>,
    pub asking_whether: Vec<String>,
    pub past: Vec<String>,
    pub transparent_tags: Vec<String>,
    pub person_tags: Vec<String>,
    /// Right after the hit: a concession (不知道也没关系); one regular expression.
    pub no_matter: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct MentionPlan {
    pub reach: usize,
    pub quotes: Vec<(String, String)>,
    pub named_after: String,
    pub named_first: String,
    pub say_last: String,
    pub forbidden_before: String,
}

impl Plan {
    /// Parse a plan, refusing one written for another version of the core.
    pub fn from_json(json: &str) -> Result<Plan, String> {
        let plan: Plan = serde_json::from_str(json).map_err(|e| format!("bad plan: {e}"))?;
        if plan.version != PLAN_VERSION {
            return Err(format!(
                "plan version {} but this core reads version {PLAN_VERSION}",
                plan.version
            ));
        }
        Ok(plan)
    }
}
