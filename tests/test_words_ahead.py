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
def test_a_fork_inherits_the_dictionary_read() -> None:
    # Python's fork hooks wait for the reading thread: parent and child both hold the
    # dictionary read, and each takes its own copy on its first glued check.
    out = run(
        """
        import json, os
        from phrasecheck import Checker, _core
        checker = Checker()
        pid = os.fork()
        if pid == 0:
            state = _core.words_ahead()
            found = [h.rule_id for h in checker.check("您好请问有什么可以帮您").hits]
            os._exit(0 if state == "read" and found and _core.words_ahead() == "none" else 3)
        parent = _core.words_ahead()
        _, status = os.waitpid(pid, 0)
        checker.check("您好请问有什么可以帮您")
        print(json.dumps([parent, os.waitstatus_to_exitcode(status), _core.words_ahead()]))
        """
    )
    assert json.loads(out) == ["read", 0, "none"]


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_a_fork_while_another_thread_builds_the_instance_does_not_hang_the_child() -> None:
    # The other thread holds the registry while it waits for the reading thread; the fork
    # waits for both, so the child does not inherit a lock nobody will release.
    out = run(
        """
        import json, os, signal, threading, time
        from phrasecheck import Checker
        glued = "您好请问有什么可以帮您"
        checker = Checker()
        checker.check("您好，")  # the core is built; no word boundary asked yet
        worker = threading.Thread(target=lambda: checker.find_many([glued]))
        worker.start()
        time.sleep(0.03)
        pid = os.fork()
        if pid == 0:
            signal.alarm(20)  # a hang ends the child by SIGALRM
            os._exit(0 if checker.check(glued).hits else 3)
        _, status = os.waitpid(pid, 0)
        worker.join()
        print(json.dumps(os.waitstatus_to_exitcode(status)))
        """
    )
    assert json.loads(out) == 0


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_a_fork_that_skips_python_s_hooks_reads_its_own() -> None:
    # ctypes' fork runs no Python hook: the child inherits a reading thread it does not
    # have, which the reader's process id reveals, and it reads its own dictionary.
    out = run(
        """
        import ctypes, json, os
        from phrasecheck import Checker
        checker = Checker()
        pid = ctypes.CDLL(None).fork()
        if pid == 0:
            found = checker.check("您好请问有什么可以帮您").hits
            os._exit(0 if [h.rule_id for h in found] else 3)
        _, status = os.waitpid(pid, 0)
        print(json.dumps(os.waitstatus_to_exitcode(status)))
        """
    )
    assert json.loads(out) == 0


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_a_hook_less_fork_at_any_moment_of_the_read_leaves_the_child_a_dictionary() -> None:
    # jieba-rs inflates its embedded dictionary lazily, at the start of the read: a child
    # forked (without Python's hooks) during that moment inherited it half initialised by a
    # thread it does not have, and its own read waited for ever (3 of 5 delays, before the
    # fork waited for the reader). One fresh process per delay, each child given 20 s.
    out = run(
        """
        import ctypes, json, os, subprocess, sys
        child = '''
        import ctypes, os, signal, sys, time
        from phrasecheck import _core
        _core.preload_words()
        time.sleep(float(sys.argv[1]))
        pid = ctypes.CDLL(None).fork()
        if pid == 0:
            signal.alarm(20)
            os._exit(0 if _core.Jieba(["急什么"]).cut("您好请问有什么可以帮您") else 3)
        _, status = os.waitpid(pid, 0)
        sys.exit(os.waitstatus_to_exitcode(status))
        '''
        import textwrap
        codes = [
            subprocess.run([sys.executable, "-c", textwrap.dedent(child), str(delay)]).returncode
            for delay in (0, 0.005, 0.01, 0.02, 0.05)
        ]
        print(json.dumps(codes))
        """
    )
    assert json.loads(out) == [0, 0, 0, 0, 0]
