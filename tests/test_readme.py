"""The README's examples are run, and what they print must be what the README shows."""

import contextlib
import io
import re

import pytest


@pytest.fixture(scope="module")
def readme(root):
    return (root / "README.md").read_text(encoding="utf-8")


def blocks(text, language):
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def run(code, namespace=None):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {} if namespace is None else namespace)
    return out.getvalue()


def test_quick_start_has_the_two_commands(readme, root):
    quick_start = readme.split("## Quick start", 1)[1]
    commands = blocks(quick_start, "bash")[0].strip().splitlines()
    assert len(commands) == 2
    assert "phrasecheck score samples/" in commands[0]
    assert "-o scores.jsonl --html report.html --exit-zero" in commands[0]
    assert commands[1].endswith("python -m pytest")
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -q '.[test]'" in ci and "python -m pytest" in ci


def test_python_examples_print_what_their_comments_say(readme):
    namespace: dict = {}  # the examples build on each other, as in one session
    for code in blocks(readme, "python"):
        expected = [line[2:] for line in code.splitlines() if line.startswith("# ")]
        printed = run(code, namespace).splitlines()
        if expected:
            assert printed == expected


def test_the_scoring_example_prints_the_json_shown(readme):
    section = readme.split("### Scoring a transcript", 1)[1]
    code = blocks(section, "python")[0]
    shown = blocks(section, "json")[0]
    assert run(code).strip() == shown.strip()
