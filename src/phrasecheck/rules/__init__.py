"""Rules of the service standard: the data model, the pattern language and the loader."""

from phrasecheck.rules.loader import RuleFileError, load_rule_file, load_rules
from phrasecheck.rules.model import SEVERITIES, Kind, Rule, RuleSet, Severity
from phrasecheck.rules.patterns import PatternError

__all__ = [
    "SEVERITIES",
    "Kind",
    "PatternError",
    "Rule",
    "RuleFileError",
    "RuleSet",
    "Severity",
    "load_rule_file",
    "load_rules",
]
