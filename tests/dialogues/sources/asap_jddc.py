"""Rebuild whole JD.com (JDDC) customer-service chats from the ASAP snapshot.

Source: github smartyfh/ASAP, ``dataset/jddc/{test,valid,train}_jddc.txt`` (the JDDC
satisfaction data as preprocessed by USDA). The corpus states no licence, so only this
reader is committed; the text is rebuilt from a fetched snapshot.

File format, one tab-separated line per *labelled customer turn*:

1. a Python-literal list of exchanges ``'customer|||agent'`` — a window over the dialogue
   ending at the customer message being rated. The last exchange always has an empty agent
   half (the reply is not known yet); the next line repeats it with the reply filled in.
   The window grows from 4 exchanges by one per line up to 16, then slides (drops the oldest).
   Consecutive customer messages are separate exchanges (empty agent half); consecutive agent
   messages are joined with a space inside one agent half.
2. a list of per-exchange dialogue-act ids (names in ``act_jddc.txt``) — NOT satisfaction.
3. the satisfaction of that last customer message: 0 dissatisfied, 1 neutral, 2 satisfied.

Each dialogue's final line ends with the pseudo-exchange ``'OVERALL|||'``; its label is the
dialogue-level satisfaction and its previous exchange carries the last agent reply. So a whole
dialogue is: the first line's exchanges but the last, then the second-to-last exchange of
every later line. The first three exchanges carry no satisfaction label.

The snapshot's ``train_jddc.txt`` is a missing large blob; files that cannot be read are
skipped, so ids are stable per split (``asap_jddc:<split>:<line of the first window>``).
"""

from __future__ import annotations

import ast
import pathlib
import random
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field

MIRROR = "smartyfh+ASAP"
SOURCE = "asap_jddc"
SPLITS = ("test", "valid", "train")
OVERALL = "OVERALL|||"
SEP = "|||"
DISSATISFIED = 0


@dataclass
class Dialogue:
    """One whole dialogue with the corpus's satisfaction labels kept for sampling."""

    id: str
    exchanges: list[str]
    # satisfaction of exchange i's customer message (None for the unlabelled first three)
    satisfaction: list[int | None] = field(default_factory=list)
    overall: int | None = None

    def turns(self) -> list[dict[str, str]]:
        turns: list[dict[str, str]] = []
        for exchange in self.exchanges:
            customer, agent = exchange.split(SEP, 1)
            if customer:
                turns.append({"role": "customer", "text": customer})
            if agent:
                turns.append({"role": "agent", "text": agent})
        return turns

    def transcript(self) -> dict[str, object]:
        return {"id": self.id, "channel": "chat", "turns": self.turns()}


def _read(repo: pathlib.Path, path: str) -> str | None:
    done = subprocess.run(
        ["git", "--git-dir", str(repo), "show", f"HEAD:{path}"],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8")


def _parse_line(split: str, lineno: int, line: str) -> tuple[list[str], int]:
    fields = line.rstrip("\n").split("\t")
    if len(fields) != 3:
        raise ValueError(f"{split}_jddc.txt line {lineno}: expected 3 tab-separated fields")
    window = ast.literal_eval(fields[0])
    if (
        not isinstance(window, list)
        or not window
        or not all(isinstance(x, str) and SEP in x for x in window)
    ):
        raise ValueError(f"{split}_jddc.txt line {lineno}: field 1 is not a list of exchanges")
    return window, int(fields[2])


def dialogues(repo: pathlib.Path, splits: tuple[str, ...] = SPLITS) -> Iterator[Dialogue]:
    """Every whole dialogue of the readable splits, in file order."""
    for split in splits:
        text = _read(repo, f"dataset/jddc/{split}_jddc.txt")
        if text is None:
            continue
        current: Dialogue | None = None
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            window, sat = _parse_line(split, lineno, line)
            if current is None:
                current = Dialogue(id=f"{SOURCE}:{split}:{lineno}", exchanges=list(window[:-1]))
                current.satisfaction = [None] * len(current.exchanges)
            else:
                # the previous line's open customer message, now with its reply
                current.exchanges.append(window[-2])
            if window[-1] == OVERALL:
                current.overall = sat
                yield current
                current = None
            else:
                current.satisfaction.append(sat)
        if current is not None:
            raise ValueError(f"{split}_jddc.txt: dialogue {current.id} has no OVERALL line")


def load(repo: pathlib.Path) -> Iterator[dict[str, object]]:
    """Transcript dicts (tests/dialogues format) for every dialogue the snapshot holds."""
    for dialogue in dialogues(repo):
        yield dialogue.transcript()


SEED = 20261130
SAMPLE_SIZE = 90


def sample(repo: pathlib.Path, size: int = SAMPLE_SIZE, seed: int = SEED) -> list[str]:
    """The labelled sample: test split, >= 2 agent turns, half with a dissatisfied turn.

    Eligible dialogues are split into those where some customer turn is labelled dissatisfied
    (0) and the rest; each pool is shuffled with ``random.Random(seed)`` and the first
    ``size // 2`` ids of each are taken (the dissatisfied pool first). Returned in file order.
    """
    rng = random.Random(seed)
    unhappy: list[Dialogue] = []
    other: list[Dialogue] = []
    for d in dialogues(repo, ("test",)):
        if sum(1 for t in d.turns() if t["role"] == "agent") < 2:
            continue
        (unhappy if DISSATISFIED in d.satisfaction else other).append(d)
    rng.shuffle(unhappy)
    rng.shuffle(other)
    half = size // 2
    chosen = unhappy[:half] + other[: size - half]
    return sorted((d.id for d in chosen), key=lambda i: int(i.rsplit(":", 1)[1]))
