"""Word boundaries from jieba, loaded only when a short phrase needs them.

A short wording (急什么, 喂, 你好) is a hit only when it stands on word boundaries: 急什么 must
not fire inside 您着急什么时候用, nor 喂 inside 喂养. When punctuation, a space or the text edge
already delimits the hit, no segmentation is needed; otherwise jieba decides. jieba costs about
half a second and 90 MB to initialise and prints to stderr, so it is created on first use,
silenced, and kept apart from the global ``jieba`` tokenizer that the host program may use.
"""

from __future__ import annotations

import logging
import threading
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate

__all__ = ["Segmenter", "Words"]

_LOADING = threading.Lock()
_CACHED_CUTS = 4096
_REACH = 8  # longest stretch before an edge where a straddling dictionary word may start


class Segmenter:
    """Lazily initialised jieba tokenizer that knows the rules' short wordings."""

    def __init__(self, vocabulary: Iterable[str] = ()) -> None:
        self._vocabulary = tuple(dict.fromkeys(vocabulary))
        self._tokenizer = None
        self._cut = lru_cache(maxsize=_CACHED_CUTS)(self.tokens)

    def _load(self):
        if self._tokenizer is not None:
            return self._tokenizer
        with _LOADING:  # one at a time: the jieba logger whose level we lower is global
            if self._tokenizer is None:
                import jieba

                logger = logging.getLogger("jieba")
                level = logger.level
                logger.setLevel(logging.ERROR)
                try:
                    tokenizer = jieba.Tokenizer()
                    tokenizer.initialize()
                    for word in self._vocabulary:
                        # Default frequency: known to jieba, yet never stronger than a common
                        # word it overlaps (着急 in 着急什么 keeps winning over 急什么).
                        tokenizer.add_word(word)
                finally:
                    logger.setLevel(level)
                self._tokenizer = tokenizer
        return self._tokenizer

    def tokens(self, text: str) -> list[str]:
        """jieba's words for ``text`` (dictionary only, no HMM guessing of new words)."""
        return self._load().lcut(text, HMM=False)

    def may_split(self, text: str, start: int, end: int) -> bool:
        """False when no dictionary word crosses an edge of ``[start, end)``.

        jieba (without HMM) cuts text into dictionary words, runs of ASCII letters and digits,
        and single characters, so when neither straddles an edge, no segmentation can cut
        there and the full cut, ten times dearer, is not needed. Looks at most ``_REACH``
        characters back.
        """
        dictionary = self._load().FREQ
        size = len(text)
        for edge in (start, end):
            if edge == 0 or edge >= size:
                continue
            if text[edge - 1 : edge + 1].isascii() and text[edge - 1 : edge + 1].isalnum():
                return True  # jieba keeps a run of ASCII letters and digits together
            for first in range(max(0, edge - _REACH), edge):
                # jieba's dictionary holds every prefix of its words (frequency 0 for mere
                # prefixes): no entry for text[first:edge + 1], no word from first across edge.
                last = edge + 1
                while last <= size:
                    frequency = dictionary.get(text[first:last])
                    if frequency is None:
                        break
                    if frequency > 0:
                        return True
                    last += 1
        return False

    def words(self, text: str) -> Words:
        """The words of ``text``, able to say whether a span stands on word boundaries.

        Cut results are cached by text: agents repeat the same glued greetings and
        closings (您好请问有什么可以帮您) all day, and a cut costs 30–60 µs.
        """
        tokenizer = self._load()
        return Words(self._cut(text), tokenizer.FREQ)


class Words:
    """jieba's segmentation of one text, asked whether a hit splits a word."""

    def __init__(self, tokens: list[str], dictionary: dict[str, int]) -> None:
        self.tokens = tokens
        self._edges = list(accumulate((len(token) for token in tokens), initial=0))
        self._dictionary = dictionary

    def splits(self, start: int, end: int, wording: str) -> bool:
        """True when ``[start, end)`` cuts through a word rather than standing on its own.

        A word that crosses an edge of the span is cut (着急|什么 for 急什么, 你|好像 for
        你好). A word that holds the whole span is cut too (喂养 for 喂), unless the span is
        itself a dictionary word of two or more characters at the compound's edge: 真不知道
        holds 不知道 and 谢谢您 holds 谢谢, which are still said.
        """
        edges = self._edges
        index = bisect_right(edges, start) - 1  # the word in which the span starts
        word_start, word_end = edges[index], edges[index + 1]
        if word_start == start and end in edges:
            return False  # starts a word and ends on a word edge: stands on its own
        if word_end >= end:
            inside = len(wording) >= 2 and self._dictionary.get(wording, 0) > 0
            at_edge = word_start == start or word_end == end
            return not (inside and at_edge)
        return True
