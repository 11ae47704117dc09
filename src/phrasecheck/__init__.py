"""phrasecheck: check what Chinese customer-service agents say against a service standard.

>>> from phrasecheck import Checker
>>> result = Checker().check("你問我，我問誰？")
>>> [(hit.rule_id, hit.kind, hit.matched, hit.method) for hit in result.hits]
[('T15', 'taboo', '你問我，我問誰', 'normalized')]
"""

from typing import TYPE_CHECKING, Any

from phrasecheck.checker import Checker
from phrasecheck.models import SCHEMA_VERSION, Candidate, CheckResult, Explanation, Hit
from phrasecheck.normalize import normalize
from phrasecheck.rules import Rule, RuleFileError, RuleSet, load_rules

if TYPE_CHECKING:
    from phrasecheck.profile import ProfileError, ScoreProfile, load_profile
    from phrasecheck.report import ScoreReport, Violation
    from phrasecheck.scoring import Scorer
    from phrasecheck.transcript import Transcript, Turn

# Transcript scoring is imported on first use: a chat tool that only checks messages does
# not pay for building its models at start-up.
_LAZY = {
    "ProfileError": "phrasecheck.profile",
    "ScoreProfile": "phrasecheck.profile",
    "load_profile": "phrasecheck.profile",
    "ScoreReport": "phrasecheck.report",
    "Violation": "phrasecheck.report",
    "Scorer": "phrasecheck.scoring",
    "Transcript": "phrasecheck.transcript",
    "Turn": "phrasecheck.transcript",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'phrasecheck' has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "Candidate",
    "CheckResult",
    "Checker",
    "Explanation",
    "Hit",
    "ProfileError",
    "Rule",
    "RuleFileError",
    "RuleSet",
    "ScoreProfile",
    "ScoreReport",
    "Scorer",
    "Transcript",
    "Turn",
    "Violation",
    "__version__",
    "load_profile",
    "load_rules",
    "normalize",
]
