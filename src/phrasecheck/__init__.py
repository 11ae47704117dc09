"""phrasecheck: check what Chinese customer-service agents say against a service standard.

>>> from phrasecheck import Checker
>>> result = Checker().check("你問我，我問誰？")
>>> [(hit.rule_id, hit.kind, hit.matched, hit.method) for hit in result.hits]
[('T15', 'taboo', '你問我，我問誰', 'normalized')]
"""

from phrasecheck.checker import Checker
from phrasecheck.models import SCHEMA_VERSION, Candidate, CheckResult, Explanation, Hit
from phrasecheck.normalize import normalize
from phrasecheck.profile import ProfileError, ScoreProfile, load_profile
from phrasecheck.report import ScoreReport, Violation
from phrasecheck.rules import Rule, RuleFileError, RuleSet, load_rules
from phrasecheck.scoring import Scorer
from phrasecheck.transcript import Transcript, Turn

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
