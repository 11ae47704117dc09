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
    assert "pip install -q '.[test,spark]'" in ci and "python -m pytest" in ci
    assert "pip install '.[test,spark]'" in commands[1]


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


def worked_example(readme):
    section = readme.split("### A worked example: your own pack", 1)[1].split("\n## ", 1)[0]
    pack = blocks(section, "yaml")[0]
    name = pack.splitlines()[0].removeprefix("# ").split(":")[0]
    return name, pack, blocks(section, "console")[0]


def test_the_worked_example_runs_as_shown(readme, root, tmp_path, monkeypatch):
    """Each `$ phrasecheck ...` line is run in a folder holding the pack and the samples; its
    output must be the lines shown under it (a command shown without output prints none)."""
    import shlex

    from click.testing import CliRunner

    from phrasecheck.cli import main

    name, pack, console = worked_example(readme)
    assert name == "my_pack.yaml"
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text(pack, encoding="utf-8")
    (tmp_path / "samples").symlink_to(root / "samples")
    commands: list[tuple[str, list[str]]] = []
    for line in console.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        else:
            commands[-1][1].append(line)
    assert len(commands) == 4
    for command, shown in commands:
        args = shlex.split(command)
        assert args[0] == "phrasecheck"
        result = CliRunner().invoke(main, args[1:])
        assert result.exit_code in (0, 1), result.output
        assert result.output.splitlines() == shown, command
    assert len((tmp_path / "scores.jsonl").read_text("utf-8").splitlines()) >= 3


def test_the_verify_failures_shown_are_what_verify_prints(readme, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from phrasecheck.cli import main

    name, pack, _ = worked_example(readme)
    section = readme.split("**Self-testing rules.**", 1)[1]
    shown = blocks(section, "")[0].splitlines()
    hit = "      hit: [你下次注意点！,"
    miss = "      miss: [我们下次一定注意，"
    assert hit in pack and miss in pack
    pack = pack.replace(hit, "      hit: [下回注意点！, 你下次注意点！,")
    pack = pack.replace(miss, "      miss: [师傅说他下次注意点，给您添麻烦了。, 我们下次一定注意，")
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text(pack, encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "--verify", name])
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == shown
