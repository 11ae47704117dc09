"""jieba's dictionary read ahead: the first Checker of a process starts reading it on a
background thread, and whatever uses it afterwards (the core's word boundaries, a fork's
child) gets the same words as a dictionary read on demand.

Each case runs in a fresh interpreter: the read-ahead happens once per process, and this
test process started (and used) its own long ago.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from phrasecheck import Checker

GLUED = ["您好请问有什么可以帮您", "喂你好", "你着急什么时候用", "我不知道你急什么"]


def run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def hits(checker: Checker, texts: list[str]) -> list[list[list[object]]]:
    return [
        [[h.rule_id, h.start, h.end, h.method] for h in checker.check(t).hits] for t in texts
    ]


def test_the_first_checker_starts_it_once_and_checks_the_same() -> None:
    out = run(
        f"""
        import json
        from phrasecheck import _core, Checker
        checker = Checker()
        again = _core.preload_words()  # already started by the Checker
        found = [[[h.rule_id, h.start, h.end, h.method] for h in checker.check(t).hits]
                 for t in {GLUED!r}]
        print(json.dumps([again, _core.loaded_jiebas(), found]))
        """
    )
    again, loaded, found = json.loads(out)
    assert again is False
    assert loaded == 1  # the read-ahead dictionary became the one instance, not a second
    assert found == hits(Checker(), GLUED)  # this process read its dictionary long ago


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
@pytest.mark.parametrize("fork", ["os.fork()", "ctypes.CDLL(None).fork()"])
def test_a_fork_right_after_the_first_checker_checks_glued_text(fork: str) -> None:
    # os.fork waits for the reading thread (register_at_fork); a fork that skips Python's
    # hooks leaves the child a thread it does not have, and the child reads its own.
    out = run(
        f"""
        import ctypes, json, os
        from phrasecheck import Checker
        checker = Checker()
        pid = {fork}
        if pid == 0:
            found = checker.check("您好请问有什么可以帮您").hits
            os._exit(0 if [h.rule_id for h in found] else 3)
        _, status = os.waitpid(pid, 0)
        print(json.dumps(os.waitstatus_to_exitcode(status)))
        """
    )
    assert json.loads(out) == 0
