"""Throughput of ``Checker.check`` against the check a developer would write by hand.

Why: phrasecheck only earns its keep if it is not much slower (or is faster) than the obvious
alternative built from the same packages — OpenCC t2s plus rapidfuzz ``partial_ratio`` over
the 50 canonical phrases — while finding more and explaining what it found. Both run in one
process on the same corpus, interleaved, so the machine's noise hits both alike; we report
medians of repeated runs and the per-run ratio.

    python benchmarks/bench_check.py [--n 20000] [--repeat 5] [--baseline-n 2000]
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import re
import statistics
import time
from datetime import datetime

import corpus  # benchmarks/corpus.py: the script's folder is on sys.path
from opencc import OpenCC
from rapidfuzz import fuzz

import phrasecheck

CUTOFF = 80
# houbb/sensitive-word (Java, DFA over a plain word list) advertises ~140,000 checks/s on
# 100-character strings; a different language, machine and task, quoted only for scale.
SENSITIVE_WORD_CHARS_PER_S = 140_000 * 100


class Baseline:
    """The hand-written check: t2s, then partial_ratio of every canonical phrase ≥ 80."""

    def __init__(self) -> None:
        self.t2s = OpenCC("t2s")
        self.phrases = [
            (rule.id, re.sub(r"[\W_]+", "", rule.phrase)) for rule in phrasecheck.load_rules()
        ]

    def check(self, text: str) -> list[str]:
        simplified = self.t2s.convert(text)
        return [
            rule_id
            for rule_id, phrase in self.phrases
            if fuzz.partial_ratio(phrase, simplified, score_cutoff=CUTOFF)
        ]


def timed(function, texts: list[str]) -> tuple[float, list]:
    """Seconds to run ``function`` over ``texts`` (results kept, as a caller would)."""
    gc.collect()
    started = time.perf_counter()
    results = [function(text) for text in texts]
    return time.perf_counter() - started, results


def measure(label: str, texts: list[str], baseline_n: int, repeat: int, checker, baseline):
    """Run both ``repeat`` times, alternating which goes first; print the table."""
    subset = texts[:baseline_n]
    times: dict[str, list[float]] = {"base": [], "check": []}
    results: dict[str, list] = {}
    for run in range(repeat):
        order = [("base", baseline.check, subset), ("check", checker.check, texts)]
        for name, function, batch in order if run % 2 == 0 else reversed(order):
            seconds, results[name] = timed(function, batch)
            times[name].append(seconds)
    base_times, check_times = times["base"], times["check"]

    chars = sum(map(len, texts))
    subset_chars = sum(map(len, subset))
    print(
        f"\n{label}: {len(texts)} utterances, mean {chars / len(texts):.1f} chars; "
        f"baseline on the first {len(subset)} (fixed subset, mean "
        f"{subset_chars / len(subset):.1f} chars); median of {repeat} runs"
    )
    print(f"{'':14s}{'utterances':>11s}{'utt/s':>11s}{'chars/s':>13s}{'µs/utt':>9s}")
    rows = [
        ("baseline", len(subset), subset_chars, base_times),
        ("phrasecheck", len(texts), chars, check_times),
    ]
    for name, count, nchars, times in rows:
        seconds = statistics.median(times)
        print(
            f"{name:14s}{count:>11,d}{count / seconds:>11,.0f}{nchars / seconds:>13,.0f}"
            f"{seconds / count * 1e6:>9.1f}"
        )
    ratios = [
        (b / len(subset)) / (c / len(texts)) for b, c in zip(base_times, check_times, strict=True)
    ]
    print(
        f"speed-up phrasecheck/baseline (per utterance, same run): "
        f"{statistics.median(ratios):.2f}×  (runs: {', '.join(f'{r:.2f}' for r in ratios)})"
    )
    return statistics.median(check_times), chars, results["check"], results["base"]


def sanity(labelled, check_results, base_results) -> None:
    """How much each flagged, next to what the generator put in."""
    n, m = len(labelled), len(base_results)

    def share(count: int, total: int) -> str:
        return f"{count:,d} ({count / total:.1%})"

    for kind, prefix in (("taboo", "T"), ("polite", "P")):
        generated = sum(1 for u in labelled if getattr(u, kind))
        flagged = sum(1 for r in check_results if any(h.kind == kind for h in r.hits))
        flagged_subset = sum(1 for r in check_results[:m] if any(h.kind == kind for h in r.hits))
        base = sum(1 for ids in base_results if any(i.startswith(prefix) for i in ids))
        print(
            f"  {kind:6s} generated {share(generated, n)}, phrasecheck {share(flagged, n)}; "
            f"first {m}: phrasecheck {share(flagged_subset, m)}, baseline {share(base, m)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000, help="utterances per corpus")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (median reported)")
    parser.add_argument("--baseline-n", type=int, default=2000, help="baseline subset size")
    parser.add_argument(
        "--n-long", type=int, default=None, help="100-character utterances (default: --n / 2)"
    )
    args = parser.parse_args()

    print(
        f"phrasecheck {phrasecheck.__version__} check benchmark — Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{datetime.now().astimezone():%Y-%m-%d %H:%M %z}"
    )
    checker = phrasecheck.Checker()
    checker.warm_up()
    baseline = Baseline()
    baseline.check("预热")

    labelled = corpus.labelled_utterances(args.n)
    texts = [u.text for u in labelled]
    _, _, check_results, base_results = measure(
        "short utterances (8–60 chars)", texts, args.baseline_n, args.repeat, checker, baseline
    )
    print(f"utterances with a hit (baseline: any phrase ≥ {CUTOFF}):")
    sanity(labelled, check_results, base_results)

    n_long = args.n_long or max(args.n // 2, 1)
    labelled = corpus.labelled_utterances(n_long, length=100)
    texts = [u.text for u in labelled]
    seconds, chars, check_results, base_results = measure(
        "100-character utterances", texts, args.baseline_n, args.repeat, checker, baseline
    )
    print(f"utterances with a hit (baseline: any phrase ≥ {CUTOFF}):")
    sanity(labelled, check_results, base_results)
    rate = chars / seconds
    print(
        f"\nphrasecheck on 100-char text: {rate:,.0f} chars/s = {len(texts) / seconds:,.0f} "
        f"checks/s; houbb/sensitive-word advertises ~140,000 checks/s × 100 chars = "
        f"{SENSITIVE_WORD_CHARS_PER_S:,.0f} chars/s (Java, other machine): "
        f"{rate / SENSITIVE_WORD_CHARS_PER_S:.1%} of that"
    )


if __name__ == "__main__":
    main()
