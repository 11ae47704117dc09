"""What the command-line tests share: two small transcripts and ways to run the command."""

import json
import sys
from pathlib import Path

from click.testing import CliRunner

from phrasecheck.cli import main

GOOD = {
    "id": "good-1",
    "agent_id": "A01",
    "turns": [
        {"role": "agent", "text": "您好，万科物业客服中心，我姓李，请问有什么可以帮助您？"},
        {"role": "customer", "text": "我想问一下停车费。"},
        {"role": "agent", "text": "每月三百元，感谢您的来电，再见！"},
    ],
}
BAD = {
    "id": "bad-1",
    "agent_id": "A02",
    "turns": [
        {"role": "agent", "text": "喂，说。"},
        {"role": "customer", "text": "我家漏水了。"},
        {"role": "agent", "text": "急什么，烦死人了，有本事你去告。"},
    ],
}


def invoke(*args, stdin=None):
    result = CliRunner().invoke(main, [str(a) for a in args], input=stdin)
    return result.exit_code, result.output


def jsonl_lines(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


# A shell runs background jobs with SIGINT ignored, and a child inherits that: a test suite
# started with `&` would then send Ctrl-C to a command that cannot hear it. The command rightly
# keeps an ignored SIGINT (nohup-style scripts want that), so tests of Ctrl-C start it with
# Python's own handler, as a terminal would.
_HEARS_CTRL_C = (
    "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "sys.argv[0] = 'phrasecheck'; runpy.run_module('phrasecheck.cli', run_name='__main__')"
)


def interruptible_cli(*args: object) -> list[str]:
    """argv that runs ``phrasecheck`` with ``args``, able to hear Ctrl-C whatever its parent
    ignores."""
    return [sys.executable, "-c", _HEARS_CTRL_C, *map(str, args)]
