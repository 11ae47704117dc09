"""An HTML report a QA lead opens in a browser: one self-contained file per run.

:class:`ReportBuilder` takes report records as they stream past (from score files, or from
a scoring run as it happens), keeps figures over all of them and the full detail of a bounded
few, and renders one page with jinja2 (every value escaped; inline styles, script and SVG
charts; no request of any kind).
"""

from phrasecheck.htmlreport.builder import ReportBuilder
from phrasecheck.htmlreport.details import DetailOptions

__all__ = ["DetailOptions", "ReportBuilder"]
