"""Which failures of one record may be turned into its error record while the run goes on.

Every ``Exception`` may, and so may a panic of the compiled core: PyO3 raises it as
``pyo3_runtime.PanicException``, which derives from ``BaseException`` so that ``except
Exception`` does not swallow it. A batch run must not die (or, in a pool, hang for ever on a
task that never returns) because one transcript made the core panic. Ctrl-C, ``SystemExit``
and generator shutdown still go through.
"""

from __future__ import annotations


def recoverable(error: BaseException) -> bool:
    """True for an error that belongs to one record, not to the run."""
    return isinstance(error, Exception) or type(error).__module__ == "pyo3_runtime"


def as_exception(error: BaseException) -> Exception:
    """``error`` as an ``Exception``: a core panic becomes a RuntimeError that names it."""
    if isinstance(error, Exception):
        return error
    return RuntimeError(f"the compiled core failed ({type(error).__name__}: {error})")
