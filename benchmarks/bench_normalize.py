"""Why normalization is one ``str.translate`` over OpenCC's character table.

The obvious alternative is ``opencc.OpenCC("t2s").convert``, which also applies OpenCC's
phrase-level rules. This measures, on the benchmark corpus, how long each takes per utterance
and whether checking the phrase-converted text finds different rules than checking the
original (which phrasecheck normalizes with its table).

    python benchmarks/bench_normalize.py [--n 20000]
"""

from __future__ import annotations

import argparse
import statistics
import time

import corpus  # benchmarks/corpus.py: the script's folder is on sys.path
from opencc import OpenCC

from phrasecheck import Checker, normalize


def per_utterance(function, texts: list[str], repeat: int = 5) -> float:
    """Median microseconds per utterance over ``repeat`` runs."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        for text in texts:
            function(text)
        runs.append((time.perf_counter() - started) / len(texts) * 1e6)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000)
    args = parser.parse_args()
    texts = corpus.utterances(args.n)
    converter = OpenCC("t2s")
    normalize("預熱")  # build the table outside the timing

    table_us = per_utterance(normalize, texts)
    convert_us = per_utterance(converter.convert, texts)
    print(f"{len(texts):,} utterances, mean {statistics.mean(map(len, texts)):.1f} characters")
    print(f"phrasecheck normalize (translate table): {table_us:6.2f} µs/utterance")
    print(f"OpenCC('t2s').convert:                   {convert_us:6.2f} µs/utterance")
    print(f"ratio: convert is {convert_us / table_us:.1f}× the table")

    checker = Checker()
    differ = [
        text
        for text in texts
        if sorted(h.rule_id for h in checker.check(text).hits)
        != sorted(h.rule_id for h in checker.check(converter.convert(text)).hits)
    ]
    print(f"utterances whose rules differ when OpenCC converts them first: {len(differ)}")
    for text in differ[:10]:
        print(f"  {text}  →  {converter.convert(text)}")


if __name__ == "__main__":
    main()
