"""Rules of the service standard: the data model, the pattern language and the loader."""

from phrasecheck.rules.kinds import KINDS, Kind, KindSpec, kind_of_id
from phrasecheck.rules.loader import (
    RuleFileError,
    load_rule_file,
    load_rules,
    load_ruleset,
    pack_file,
)
from phrasecheck.rules.model import SEVERITIES, Examples, Rule, RuleSet, Severity
from phrasecheck.rules.patterns import PatternError

__all__ = [
    "KINDS",
    "SEVERITIES",
    "Examples",
    "Kind",
    "KindSpec",
    "PatternError",
    "Rule",
    "RuleFileError",
    "RuleSet",
    "Severity",
    "kind_of_id",
    "load_rule_file",
    "load_rules",
    "load_ruleset",
    "pack_file",
]
