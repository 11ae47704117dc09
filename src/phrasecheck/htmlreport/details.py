"""Which transcripts the report shows in full: the worst N and a sample of each agent's.

Aggregates cover every record; showing every transcript would make a million-record report
hundreds of megabytes. The keeper holds at most ``worst`` + ``per_agent`` × agents candidates
while records stream past (a heap for the lowest scores, a seeded reservoir per agent, so a
run is reproducible), and at the end picks at most ``limit`` of them.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field
from typing import Any

from phrasecheck.report import ScoreReport


@dataclass(frozen=True)
class DetailOptions:
    worst: int = 100  # the lowest-scoring transcripts
    per_agent: int = 2  # a random sample of each agent's transcripts
    limit: int = 500  # at most this many in all (about 10 kB each with every turn)


@dataclass
class Kept:
    """A transcript chosen for the details, and its turns once known."""

    seq: int
    report: ScoreReport
    source: Any = None  # the transcript as read (raw JSON text or a dict), when at hand
    turns: list[dict] | None = None
    reasons: set[str] = field(default_factory=set)  # worst, sample


class DetailKeeper:
    def __init__(self, options: DetailOptions, seed: int = 15) -> None:
        self.options = options
        self._worst: list[tuple[float, int, Kept]] = []  # max-heap by (score, seq), negated
        self._samples: dict[str, list[Kept]] = {}
        self._seen: dict[str, int] = {}
        self._random = random.Random(seed)
        self._seq = 0

    def offer(self, report: ScoreReport, source: Any = None) -> bool:
        """Consider one report; True when it is (for now) among those kept."""
        self._seq += 1
        kept: Kept | None = None
        options = self.options
        if report.score is not None and options.worst > 0:
            entry = (-report.score, -self._seq)
            if len(self._worst) < options.worst:
                kept = Kept(self._seq, report, source)
                heapq.heappush(self._worst, (*entry, kept))
            elif entry > self._worst[0][:2]:
                kept = Kept(self._seq, report, source)
                heapq.heapreplace(self._worst, (*entry, kept))
        if options.per_agent > 0:
            agent = report.agent_id or ""
            seen = self._seen[agent] = self._seen.get(agent, 0) + 1
            sample = self._samples.setdefault(agent, [])
            if len(sample) < options.per_agent:
                kept = kept or Kept(self._seq, report, source)
                sample.append(kept)
            else:
                slot = self._random.randrange(seen)
                if slot < options.per_agent:
                    kept = kept or Kept(self._seq, report, source)
                    sample[slot] = kept
        return kept is not None

    def chosen(self) -> list[Kept]:
        """The worst first (lowest score), then samples taken from agents in turn, to the limit."""
        picked: dict[int, Kept] = {}
        for _, _, kept in sorted(self._worst, key=lambda entry: (-entry[0], -entry[1])):
            kept.reasons.add("worst")
            picked.setdefault(kept.seq, kept)
        queues = [sorted(s, key=lambda k: k.seq) for _, s in sorted(self._samples.items())]
        for depth in range(self.options.per_agent):
            for queue in queues:
                if depth < len(queue):
                    queue[depth].reasons.add("sample")
                    picked.setdefault(queue[depth].seq, queue[depth])
        ordered = list(picked.values())[: self.options.limit]
        return ordered
