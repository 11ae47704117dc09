//! Deciding which candidates stand (the order and word lists are described in resolve.py,
//! subject.py and mention.py): word boundaries, clause starts, longer questions, exceptions,
//! who says a first-person wording, quotation and mention, and nesting. Each decision comes
//! with its reason for `Checker.explain`.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::{Arc, OnceLock};

use jieba_rs::Jieba;
use regex::Regex;

use crate::normalize::{Folder, Normalized};
use crate::plan::Plan;

/// A wording as resolution reads it.
pub struct Wording {
    pub order: u32,
    pub raw: String,
    pub text: String,
    /// `text` as characters, for the fuzzy stage's measures.
    pub chars: Vec<char>,
    pub length: usize,
    pub form_type: u8,
    pub changes: u32,
    pub edits: u32,
    pub needs_boundary: bool,
    pub form: String,
    pub method: u8,
    pub score: f64,
    pub asks: bool,
    /// Written across a clause break (compiler.py's `spans_breaks` of its raw text).
    pub spans_breaks: bool,
}

pub struct Rule {
    pub kind: usize,
    pub clause_start: bool,
    pub first_person: bool,
}

pub struct Kind {
    pub group_per_rule: bool,
    pub yields_inside: Option<usize>,
    pub taboo: bool,
}

/// A candidate: a wording (or a template's match, `wording == None`) at `[start, end)`.
#[derive(Clone, Debug)]
pub struct Cand {
    pub wording: Option<u32>,
    pub order: u32,
    pub start: usize,
    pub end: usize,
    pub score: f64,
    pub form_type: u8,
    /// 0 exact / 1 template / 2 fuzzy (a spelling, or a window measured for slips).
    pub method: u8,
    /// A window measured for slips: its form is the wording's own text.
    pub measured: bool,
}

impl Cand {
    fn length(&self) -> usize {
        self.end - self.start
    }
}

const METHOD_FUZZY: u8 = 2;

/// What an explanation records of a candidate (`Checker.explain`): rejected with `reason`,
/// accepted, or rejected for lying inside / overlapping the candidate of rule `cover`.
#[derive(Clone, Debug)]
pub struct Step {
    pub cand: Cand,
    pub code: u8,
    pub reason: String,
    pub cover: Option<u32>,
}

pub const STEP_REJECTED: u8 = 0;
pub const STEP_ACCEPTED: u8 = 1;
pub const STEP_INSIDE: u8 = 2;
pub const STEP_OVERLAPS: u8 = 3;
/// Rejected inside an exception of its rule: the reason is the exception's text, which
/// Python quotes (as `repr` does) in the sentence it gives.
pub const STEP_EXCEPTION: u8 = 4;

/// Why a candidate does not stand on its own: a reason in words, or the normalized span of
/// the exception of its rule it lies in (worded only when an explanation asks).
enum Rejection {
    Because(Cow<'static, str>),
    InsideException(usize, usize),
}

impl From<&'static str> for Rejection {
    fn from(reason: &'static str) -> Rejection {
        Rejection::Because(Cow::Borrowed(reason))
    }
}

impl From<String> for Rejection {
    fn from(reason: String) -> Rejection {
        Rejection::Because(Cow::Owned(reason))
    }
}

/// The explanation being written, when one is asked for.
pub type Trace = Option<Vec<Step>>;

/// Add a step to `trace` when an explanation is being written (the reason is copied only
/// then: checking without one allocates nothing for it).
fn record(trace: &mut Trace, cand: &Cand, code: u8, reason: &str, cover: Option<u32>) {
    if let Some(steps) = trace {
        steps.push(Step {
            cand: cand.clone(),
            code,
            reason: reason.to_string(),
            cover,
        });
    }
}

fn set(words: &[String]) -> FxHashSet<String> {
    words.iter().cloned().collect()
}

struct Subject {
    speaker: FxHashSet<String>,
    personal_pronouns: FxHashSet<String>,
    person_suffixes: FxHashSet<char>,
    person_words: FxHashSet<String>,
    transparent: FxHashSet<String>,
    reporting: FxHashSet<String>,
    conditionals: FxHashSet<String>,
    asking_whether: FxHashSet<String>,
    past: FxHashSet<String>,
    transparent_tags: Vec<String>,
    person_tags: Vec<String>,
    no_matter: Vec<Regex>,
}

struct Mention {
    reach: usize,
    quotes: FxHashMap<char, char>,
    named_after: Regex,
    named_first: Vec<char>,
    say_last: Vec<char>,
    forbidden_before: Regex,
}

pub struct Resolver {
    pub wordings: Vec<Wording>,
    pub rules: Vec<Rule>,
    kinds: Vec<Kind>,
    longer_questions: Vec<String>,
    question_tails: Vec<String>,
    anyone: Vec<String>,
    all: Vec<String>,
    negations: Vec<char>,
    subject: Subject,
    mention: Mention,
    vocabulary: Vec<String>,
    jieba: OnceLock<Arc<Jieba>>,
}

fn first_char(text: &str) -> Result<char, String> {
    text.chars()
        .next()
        .ok_or_else(|| "an empty quotation mark".to_string())
}

impl Resolver {
    pub fn new(plan: &Plan, folder: &Folder) -> Result<Resolver, String> {
        let kind_names: Vec<&str> = plan.resolution.kinds.iter().map(|k| k.0.as_str()).collect();
        let kind_index = |name: &str| {
            kind_names
                .iter()
                .position(|k| *k == name)
                .ok_or_else(|| format!("unknown kind {name}"))
        };
        let mut kinds = Vec::new();
        for (name, group_per_rule, inside) in &plan.resolution.kinds {
            let yields_inside = match inside {
                Some(other) => Some(kind_index(other)?),
                None => None,
            };
            kinds.push(Kind {
                group_per_rule: *group_per_rule,
                yields_inside,
                taboo: name == "taboo",
            });
        }
        let rules = plan
            .rules
            .iter()
            .map(|r| {
                Ok(Rule {
                    kind: kind_index(&r.kind)?,
                    clause_start: r.clause_start,
                    first_person: r.first_person,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let wordings = plan
            .wordings
            .iter()
            .map(|w| Wording {
                order: w.0,
                raw: w.1.clone(),
                text: w.2.clone(),
                chars: w.2.chars().collect(),
                length: w.2.chars().count(),
                form_type: w.3,
                edits: w.4,
                changes: w.5,
                needs_boundary: w.6,
                form: w.8.clone(),
                method: w.9,
                score: w.10,
                asks: w.12,
                spans_breaks: w
                    .1
                    .chars()
                    .any(|c| !"()|".contains(c) && folder.is_break(c)),
            })
            .collect();
        let s = &plan.subject;
        let subject = Subject {
            speaker: set(&s.speaker),
            personal_pronouns: set(&s.personal_pronouns),
            person_suffixes: s
                .person_suffixes
                .iter()
                .filter_map(|c| c.chars().next())
                .collect(),
            person_words: set(&s.person_words),
            transparent: set(&s.transparent),
            reporting: set(&s.reporting),
            conditionals: set(&s.conditionals),
            asking_whether: set(&s.asking_whether),
            past: set(&s.past),
            transparent_tags: s.transparent_tags.clone(),
            person_tags: s.person_tags.clone(),
            no_matter: s
                .no_matter
                .iter()
                .map(|source| {
                    Regex::new(&format!("^(?:{source})"))
                        .map_err(|e| format!("bad regular expression {source:?}: {e}"))
                })
                .collect::<Result<Vec<_>, String>>()?,
        };
        let m = &plan.mention;
        let mut quotes = FxHashMap::default();
        for (open, close) in &m.quotes {
            quotes.insert(first_char(open)?, first_char(close)?);
        }
        let regex = |source: &str| {
            Regex::new(source).map_err(|e| format!("bad regular expression {source:?}: {e}"))
        };
        let mention = Mention {
            reach: m.reach,
            quotes,
            named_after: regex(&format!("^(?:{})", m.named_after))?,
            named_first: m.named_first.chars().collect(),
            say_last: m.say_last.chars().collect(),
            forbidden_before: regex(&m.forbidden_before)?,
        };
        let r = &plan.resolution;
        Ok(Resolver {
            wordings,
            rules,
            kinds,
            longer_questions: r.longer_questions.clone(),
            question_tails: r.question_tails.clone(),
            anyone: r.anyone.clone(),
            all: r.all.clone(),
            negations: r.negations.chars().collect(),
            subject,
            mention,
            vocabulary: plan.vocabulary.clone(),
            jieba: OnceLock::new(),
        })
    }

    /// jieba-rs with the rules' short wordings added, on first need: the process's instance
    /// for this vocabulary (`words::shared`), loaded then unless another holder has it.
    fn jieba(&self) -> &Jieba {
        if let Some(jieba) = self.jieba.get() {
            return jieba;
        }
        // Loaded outside the cell's initialisation: a fork while another thread waits in
        // `shared` must not leave the child a cell forever "being initialised" (words.rs).
        let loaded = crate::words::shared(&self.vocabulary);
        self.jieba.get_or_init(|| loaded)
    }

    /// The candidates that stand, in text order; `trace`, when
    /// given, records why each candidate stood or fell.
    pub fn resolve(
        &self,
        folder: &Folder,
        doc: &Normalized,
        candidates: Vec<Cand>,
        exceptions: &Exceptions,
        trace: &mut Trace,
    ) -> Vec<Cand> {
        let mut standing = Vec::new();
        let mut words: Option<Words> = None;
        for candidate in candidates {
            match self.rejection(folder, doc, &candidate, exceptions, &mut words) {
                None => standing.push(candidate),
                Some(Rejection::Because(reason)) => {
                    record(trace, &candidate, STEP_REJECTED, &reason, None)
                }
                Some(Rejection::InsideException(left, right)) => {
                    if trace.is_some() {
                        let inside: String = doc.chars[left..right].iter().collect();
                        record(trace, &candidate, STEP_EXCEPTION, &inside, None);
                    }
                }
            }
        }
        if standing.len() == 1 {
            if self.kinds[self.rules[standing[0].order as usize].kind].taboo {
                standing = self.said(folder, doc, standing, trace);
            }
            if let Some(first) = standing.first() {
                record(trace, first, STEP_ACCEPTED, "", None);
            }
            return standing;
        }
        let mut by_kind: Vec<Vec<Cand>> = vec![Vec::new(); self.kinds.len()];
        for c in standing {
            let kind = self.rules[c.order as usize].kind;
            by_kind[kind].push(c);
        }
        let mut kept = Vec::new();
        for kind in 0..self.kinds.len() {
            if by_kind[kind].is_empty() {
                continue;
            }
            let spec = &self.kinds[kind];
            if let Some(inside) = spec.yields_inside {
                if !by_kind[inside].is_empty() {
                    let items = std::mem::take(&mut by_kind[kind]);
                    by_kind[kind] = outside(items, &by_kind[inside], trace);
                }
            }
            let items = by_kind[kind].clone();
            if spec.group_per_rule {
                let mut orders: Vec<u32> = Vec::new();
                for c in &items {
                    if !orders.contains(&c.order) {
                        orders.push(c.order);
                    }
                }
                for order in orders {
                    let group: Vec<Cand> =
                        items.iter().filter(|c| c.order == order).cloned().collect();
                    kept.extend(most_specific(group, trace));
                }
            } else if spec.taboo {
                let specific = most_specific(items, trace);
                kept.extend(self.said(folder, doc, specific, trace));
            } else {
                kept.extend(most_specific(items, trace));
            }
        }
        kept.sort_by_key(|c| (c.start, c.end));
        for c in &kept {
            record(trace, c, STEP_ACCEPTED, "", None);
        }
        kept
    }

    /// Why `candidate` does not stand on its own, or None: the checks in a QA lead's order.
    fn rejection(
        &self,
        folder: &Folder,
        doc: &Normalized,
        candidate: &Cand,
        exceptions: &Exceptions,
        words: &mut Option<Words>,
    ) -> Option<Rejection> {
        let (start, end) = (candidate.start, candidate.end);
        let rule = &self.rules[candidate.order as usize];
        let wording = candidate.wording.map(|i| &self.wordings[i as usize]);
        if rule.clause_start && !doc.starts_clause(folder, start) && !repeated(doc, start, end) {
            return Some("not at the start of a clause".into());
        }
        if let Some(w) = wording {
            if w.needs_boundary && !(doc.detached_before(start) && doc.detached_after(end)) {
                let words = words.get_or_insert_with(|| self.words(&doc.text));
                if words.splits(start, end, &w.text, self.jieba()) {
                    return Some("short wording splits a word".into());
                }
            }
        }
        if self.kinds[rule.kind].taboo && doc.chars[end..].starts_with(&['的', '话']) {
            return Some("a condition (…的话), not said".into());
        }
        if let Some(w) = wording {
            if candidate.method == METHOD_FUZZY
                && !w.spans_breaks
                && self.negation_elsewhere(folder, doc, start, end, &w.text)
            {
                return Some("its negation lies in another clause".into());
            }
        }
        if let Some(w) = wording {
            if w.asks && !doc.detached_after(end) {
                if let Some(why) = self.longer_question(&doc.chars, start, end) {
                    return Some(why.into());
                }
            }
        }
        if let Some((left, right)) = exceptions.first_overlapping(candidate.order, start, end) {
            return Some(Rejection::InsideException(left, right));
        }
        if rule.first_person {
            let (low, high) = doc.clause_bounds(folder, start, end);
            let clause = &doc.chars[low..high];
            let before: String = clause[..start - low].iter().collect();
            let tagged: Vec<(String, String)> = if before.is_empty() {
                Vec::new()
            } else {
                self.jieba()
                    .tag(&before, false)
                    .into_iter()
                    .map(|t| (t.word.to_string(), t.tag.to_string()))
                    .collect()
            };
            if let Some(why) = self.who_says(&tagged, &clause[end - low..]) {
                return Some(format!("not said by the agent of itself: {why}").into());
            }
        }
        None
    }

    /// A slip whose negation lies in another clause than
    /// the one holding most of the window.
    fn negation_elsewhere(
        &self,
        folder: &Folder,
        doc: &Normalized,
        start: usize,
        end: usize,
        wording: &str,
    ) -> bool {
        let negations: Vec<char> = wording
            .chars()
            .filter(|c| self.negations.contains(c))
            .collect();
        if negations.is_empty() || !doc.crosses_break(folder, start, end) {
            return false;
        }
        let mut main = (start, start);
        let mut low = start;
        while low < end {
            let (_, high) = doc.clause_bounds(folder, low, low + 1);
            let high = high.min(end);
            if high - low > main.1 - main.0 {
                main = (low, high);
            }
            low = high;
        }
        let main = &doc.chars[main.0..main.1];
        !negations.iter().all(|n| {
            main.iter().filter(|c| *c == n).count() >= negations.iter().filter(|c| *c == n).count()
        })
    }

    fn words(&self, text: &str) -> Words {
        let mut edges = vec![0usize];
        for token in self.jieba().cut(text, false) {
            let last = *edges.last().unwrap_or(&0);
            edges.push(last + token.word.chars().count());
        }
        Words { edges }
    }

    /// Why the question word ending a wording does not ask (急什么时候, 你找谁都), or None.
    fn longer_question(&self, text: &[char], start: usize, end: usize) -> Option<String> {
        let wording: String = text[start..end].iter().collect();
        let rest: String = text[end..].iter().take(4).collect();
        for word in &self.longer_questions {
            if wording.ends_with(word.as_str())
                && self
                    .question_tails
                    .iter()
                    .any(|t| rest.starts_with(t.as_str()))
            {
                let next: String = rest.chars().take(2).collect();
                return Some(format!(
                    "its {word} belongs to a longer question ({word}{next})"
                ));
            }
        }
        if self.anyone.iter().any(|w| wording.ends_with(w.as_str()))
            && self.all.iter().any(|a| rest.starts_with(a.as_str()))
        {
            let next = rest.chars().next().unwrap_or_default();
            return Some(format!("{wording}{next} means anyone, not a question"));
        }
        None
    }

    /// Who says a first-person wording, from the words before the hit in its clause (`tagged`) and
    /// the clause's text after it (`after`): None when the speaker says it of itself, else
    /// the reason.
    fn who_says(&self, tagged: &[(String, String)], after: &[char]) -> Option<Cow<'static, str>> {
        let s = &self.subject;
        let after_text: String = after.iter().collect();
        if after_text.contains("的话") {
            return Some("a condition (…的话)".into());
        }
        if s.no_matter.iter().any(|r| r.is_match(&after_text)) {
            return Some("a concession (不知道也没关系)".into());
        }
        if tagged.iter().any(|(w, _)| s.conditionals.contains(w)) {
            return Some("a condition (如果…)".into());
        }
        if tagged.iter().any(|(w, _)| s.past.contains(w)) {
            return Some("narrates what was not known then (之前…)".into());
        }
        let subject = self.subject_of(tagged);
        let is_speaker = subject.as_ref().is_some_and(|w| s.speaker.contains(w));
        if !is_speaker && tagged.iter().any(|(w, _)| s.asking_whether.contains(w)) {
            return Some("asks whether someone does not know (是不是不知道…)".into());
        }
        if whether(after) {
            return Some("opens an indirect question (不知道是不是…)".into());
        }
        match subject {
            None if wh(&after_text) => {
                Some("opens an indirect question (不知道…什么/怎么…)".into())
            }
            Some(subject) if !is_speaker => {
                Some(format!("said of someone else ({subject})").into())
            }
            _ => None,
        }
    }

    fn subject_of(&self, before: &[(String, String)]) -> Option<String> {
        let s = &self.subject;
        let mut index = before.len();
        while index > 0 {
            index -= 1;
            let (word, flag) = &before[index];
            if s.speaker.contains(word) {
                return Some(word.clone());
            }
            if word == "们" && index > 0 {
                return Some(format!("{}{}", before[index - 1].0, word));
            }
            if self.is_person(word, flag) {
                return Some(word.clone());
            }
            if flag.starts_with('n') && index > 0 {
                let owner = &before[index - 1].0;
                if s.speaker.contains(owner) || s.personal_pronouns.contains(owner) {
                    return Some(owner.clone());
                }
            }
            if s.transparent.contains(word)
                || s.asking_whether.contains(word)
                || s.reporting.contains(word)
                || s.transparent_tags
                    .iter()
                    .any(|t| flag.starts_with(t.as_str()))
                || flag == "ad"
            {
                continue;
            }
            return None;
        }
        None
    }

    fn is_person(&self, word: &str, flag: &str) -> bool {
        let s = &self.subject;
        if s.personal_pronouns.contains(word)
            || s.person_words.contains(word)
            || s.person_tags.iter().any(|t| flag.starts_with(t.as_str()))
        {
            return true;
        }
        word.chars().count() >= 2
            && word
                .chars()
                .last()
                .is_some_and(|c| s.person_suffixes.contains(&c))
            && matches!(flag.chars().next(), Some('n' | 'v' | 'z'))
    }

    /// The taboo hits less those quoted or mentioned.
    fn said(
        &self,
        folder: &Folder,
        doc: &Normalized,
        items: Vec<Cand>,
        trace: &mut Trace,
    ) -> Vec<Cand> {
        let quotes = self.quoted_spans(&doc.original);
        let mut kept = Vec::with_capacity(items.len());
        for item in items {
            let reason = if self.kinds[self.rules[item.order as usize].kind].taboo {
                self.mentioned(folder, doc, item.start, item.end, &quotes)
            } else {
                None
            };
            match reason {
                None => kept.push(item),
                Some(reason) => record(trace, &item, STEP_REJECTED, reason, None),
            }
        }
        kept
    }

    fn quoted_spans(&self, original: &[char]) -> Vec<(usize, usize)> {
        let mut spans = Vec::new();
        let mut index = 0;
        while index < original.len() {
            if let Some(&closing) = self.mention.quotes.get(&original[index]) {
                match original[index + 1..].iter().position(|&c| c == closing) {
                    None => break,
                    Some(at) => {
                        let found = index + 1 + at;
                        spans.push((index, found));
                        index = found + 1;
                    }
                }
            } else {
                index += 1;
            }
        }
        spans
    }

    fn mentioned(
        &self,
        folder: &Folder,
        doc: &Normalized,
        start: usize,
        end: usize,
        quotes: &[(usize, usize)],
    ) -> Option<&'static str> {
        let m = &self.mention;
        if !quotes.is_empty() {
            let (first, last) = doc.span(start, end);
            if quotes
                .iter()
                .any(|&(open, close)| open < first && last <= close)
            {
                return Some("inside quotation marks: quoted, not said");
            }
        }
        let text = &doc.chars;
        let next = &text[end.min(text.len())..(end + 2).min(text.len())];
        if next.iter().any(|c| m.named_first.contains(c)) {
            let window: String = text[end..(end + m.reach).min(text.len())].iter().collect();
            if let Some(named) = m.named_after.find(&window) {
                let named_end = end + window[..named.end()].chars().count();
                if !doc.crosses_break(folder, end - 1, named_end) {
                    return Some("named as a wording (这种说法…): mentioned, not said");
                }
            }
        }
        if start > 0 && m.say_last.contains(&text[start - 1]) {
            let low = start.saturating_sub(m.reach);
            let window: String = text[low..start].iter().collect();
            if let Some(forbidden) = m.forbidden_before.find(&window) {
                let at = low + window[..forbidden.start()].chars().count();
                if !doc.crosses_break(folder, at, start + 1) {
                    return Some(
                        "the object of a prohibition of saying (不能说…): mentioned, not said",
                    );
                }
            }
        }
        None
    }
}

/// An indirect whether-question after the hit: (.)[不没]\1 | 是否 能否 可否 与否 | .[吗呢] | 了没.
fn whether(after: &[char]) -> bool {
    for i in 0..after.len() {
        let c = after[i];
        if i + 2 < after.len()
            && (after[i + 1] == '不' || after[i + 1] == '没')
            && after[i + 2] == c
        {
            return true;
        }
        if i > 0 && (c == '吗' || c == '呢') {
            return true;
        }
        if i + 1 < after.len() {
            let pair = [c, after[i + 1]];
            if matches!(
                pair,
                ['是', '否'] | ['能', '否'] | ['可', '否'] | ['与', '否'] | ['了', '没']
            ) {
                return true;
            }
        }
    }
    false
}

/// An indirect wh-question after the hit (谁 什么 怎么 多少 …).
fn wh(after: &str) -> bool {
    [
        "谁",
        "什么",
        "啥",
        "哪",
        "怎",
        "咋",
        "多少",
        "几",
        "为何",
        "如何",
        "为什么",
    ]
    .iter()
    .any(|w| after.contains(w))
}

/// The hit begins a word said over and over (喂喂喂): a call wherever it stands.
fn repeated(doc: &Normalized, start: usize, end: usize) -> bool {
    let text = &doc.chars;
    let first = text[start];
    if start > 0 && text[start - 1] == first {
        return false;
    }
    text[start..end].iter().all(|&c| c == first)
        && (end - start > 1 || text.get(end) == Some(&first))
}

/// Below this many, a plain scan beats keeping an index (a text holds a handful of hits).
const FEW: usize = 16;

/// The exception spans found in a text, (rule order, start, end) in the order found: asked,
/// for each candidate, which span of its rule it overlaps first. A long text may hold
/// thousands of both (请问您找谁 repeated): then an index by (rule, start) keeps the
/// question from costing a scan of them all.
pub struct Exceptions {
    spans: Vec<(u32, usize, usize)>,
    /// (rule order, start, position in `spans`), sorted; empty when the spans are few.
    index: Vec<(u32, usize, usize)>,
    longest: usize,
}

impl Exceptions {
    pub fn new(spans: Vec<(u32, usize, usize)>) -> Exceptions {
        let mut index = Vec::new();
        if spans.len() > FEW {
            index = spans
                .iter()
                .enumerate()
                .map(|(position, &(order, start, _))| (order, start, position))
                .collect();
            index.sort_unstable();
        }
        let longest = spans
            .iter()
            .map(|&(_, start, end)| end - start)
            .max()
            .unwrap_or(0);
        Exceptions {
            spans,
            index,
            longest,
        }
    }

    /// The first span (in the order found) of rule `order` overlapping `[start, end)`.
    fn first_overlapping(&self, order: u32, start: usize, end: usize) -> Option<(usize, usize)> {
        let overlaps =
            |&(o, left, right): &(u32, usize, usize)| o == order && left < end && start < right;
        if self.index.is_empty() {
            return self
                .spans
                .iter()
                .find(|s| overlaps(s))
                .map(|&(_, l, r)| (l, r));
        }
        // A span starting before start - longest ends before start.
        let low = (order, start.saturating_sub(self.longest), 0);
        let from = self.index.partition_point(|entry| *entry < low);
        let to = self.index.partition_point(|entry| *entry < (order, end, 0));
        self.index[from..to]
            .iter()
            .map(|&(_, _, position)| position)
            .filter(|&position| overlaps(&self.spans[position]))
            .min()
            .map(|position| (self.spans[position].1, self.spans[position].2))
    }
}

/// `items` not lying wholly inside one of `others`; an item that does names the first of
/// `others` (in their order) that holds it.
fn outside(items: Vec<Cand>, others: &[Cand], trace: &mut Trace) -> Vec<Cand> {
    let holds = |o: &Cand, item: &Cand| o.start <= item.start && item.end <= o.end;
    // Many others (a long text): only those starting in [item.start - longest, item.start]
    // can hold an item, found by binary search over them sorted by start.
    let by_start: Vec<(usize, usize)> = if others.len() > FEW {
        let mut sorted: Vec<(usize, usize)> = others
            .iter()
            .enumerate()
            .map(|(i, o)| (o.start, i))
            .collect();
        sorted.sort_unstable();
        sorted
    } else {
        Vec::new()
    };
    let longest = others.iter().map(Cand::length).max().unwrap_or(0);
    let mut kept = Vec::with_capacity(items.len());
    for item in items {
        let cover = if by_start.is_empty() {
            others.iter().position(|o| holds(o, &item))
        } else {
            let low =
                by_start.partition_point(|&(start, _)| start < item.start.saturating_sub(longest));
            let high = by_start.partition_point(|&(start, _)| start <= item.start);
            by_start[low..high]
                .iter()
                .filter(|&&(_, i)| holds(&others[i], &item))
                .map(|&(_, i)| i)
                .min()
        };
        match cover {
            None => kept.push(item),
            Some(i) => record(trace, &item, STEP_INSIDE, "", Some(others[i].order)),
        }
    }
    kept
}

/// Of overlapping items the longest, closest, phrase before core, earlier rule; an item
/// given up names the highest ranked of the items kept that it mostly overlaps.
fn most_specific(items: Vec<Cand>, trace: &mut Trace) -> Vec<Cand> {
    if items.len() < 2 {
        return items;
    }
    let mut ranked = items;
    ranked.sort_by(|a, b| {
        b.length()
            .cmp(&a.length())
            .then(b.score.total_cmp(&a.score))
            .then((a.form_type != 0).cmp(&(b.form_type != 0)))
            .then(a.order.cmp(&b.order))
            .then(a.start.cmp(&b.start))
    });
    let mostly = |item: &Cand, start: usize, end: usize| {
        let shared = item.end.min(end) as isize - item.start.max(start) as isize;
        shared > 0 && 2 * shared as usize >= item.length()
    };
    let indexed = ranked.len() > FEW;
    let mut kept: Vec<Cand> = Vec::new();
    // Many items (a long text with thousands of hits): the kept ones by (start, rank), so
    // that only those starting in [item.start - longest kept, item.end) are looked at.
    let mut by_start: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut longest = 0;
    for item in ranked {
        let cover = if indexed {
            let low = item.start.saturating_sub(longest);
            by_start
                .range((low, 0)..(item.end, 0))
                .filter(|&(&(start, _), &end)| mostly(&item, start, end))
                .map(|(&(_, rank), _)| rank)
                .min()
        } else {
            kept.iter().position(|k| mostly(&item, k.start, k.end))
        };
        match cover {
            None => {
                if indexed {
                    by_start.insert((item.start, kept.len()), item.end);
                    longest = longest.max(item.length());
                }
                kept.push(item);
            }
            Some(rank) => record(trace, &item, STEP_OVERLAPS, "", Some(kept[rank].order)),
        }
    }
    kept
}

/// The cut of one text, asked whether a span splits a word: a word crossing an edge of the
/// span is cut, and so is one holding it, unless the span is itself a dictionary word at the
/// compound's edge (不知道 in 真不知道).
struct Words {
    edges: Vec<usize>,
}

impl Words {
    fn splits(&self, start: usize, end: usize, wording: &str, jieba: &Jieba) -> bool {
        let edges = &self.edges;
        let index = edges.partition_point(|&e| e <= start) - 1;
        let (word_start, word_end) = (edges[index], edges[index + 1]);
        let last = edges.partition_point(|&e| e < end);
        if word_start == start && last < edges.len() && edges[last] == end {
            return false;
        }
        if word_end >= end {
            let inside = wording.chars().count() >= 2 && jieba.has_word(wording);
            let at_edge = word_start == start || word_end == end;
            return !(inside && at_edge);
        }
        true
    }
}
