"""Word boundaries from jieba's dictionary, loaded only when a short phrase needs them.

A short wording (急什么, 喂, 你好) is a hit only when it stands on word boundaries: 急什么 must
not fire inside 您着急什么时候用, nor 喂 inside 喂养. When punctuation, a space or the text edge
already delimits the hit, no segmentation is needed; otherwise the segmenter decides.

The segmenter is jieba-rs (jieba's dictionary and algorithm in Rust) as built into the compiled
core, sharing the core's instance; rjieba (the same jieba-rs) when the core is missing, and
Python jieba otherwise. On every labelled utterance the two cut identically
(``tests/test_tokenize.py``), but rjieba loads in about 0.1 s and 40 MB where jieba takes
about a second and 90 MB, and cuts an utterance in 2 µs instead of 40. Either is created on
first use, with the rules' short wordings added, apart from any tokenizer the host program uses.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import accumulate
from typing import Any, Protocol

__all__ = ["Segmenter", "Words"]

_LOADING = threading.Lock()
_CACHED_CUTS = 4096


class _Backend(Protocol):
    def cut(self, text: str) -> list[str]: ...

    def is_word(self, word: str) -> bool: ...

    def tag(self, text: str) -> list[tuple[str, str]]: ...


class _CoreJieba:
    """jieba-rs inside phrasecheck's compiled core: the very instance the core's own boundary
    checks use (one per vocabulary in the process), the same version rjieba wraps."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        from phrasecheck._core import Jieba

        self._jieba = Jieba(list(vocabulary))  # default frequency, as below

    def cut(self, text: str) -> list[str]:
        return self._jieba.cut(text)

    def is_word(self, word: str) -> bool:
        return self._jieba.has_word(word)

    def tag(self, text: str) -> list[tuple[str, str]]:
        return self._jieba.tag(text)


class _RustJieba:
    """rjieba: jieba's dictionary, cut without HMM, in Rust."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        import rjieba

        self._jieba = rjieba.Jieba()
        for word in vocabulary:
            # Default frequency: known to jieba, yet never stronger than a common word it
            # overlaps (着急 in 着急什么 keeps winning over 急什么).
            self._jieba.add_word(word, None, None)

    def cut(self, text: str) -> list[str]:
        return self._jieba.cut(text, False)

    def is_word(self, word: str) -> bool:
        return self._jieba.has_word(word)

    def tag(self, text: str) -> list[tuple[str, str]]:
        return self._jieba.tag(text, False)


class _PythonJieba:
    """Python jieba, silenced (it prints to stderr while it loads)."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        import logging

        import jieba

        self._tagger: Any = None  # jieba.posseg, imported on first need
        logger = logging.getLogger("jieba")
        level = logger.level
        logger.setLevel(logging.ERROR)  # under _LOADING: the logger is global
        try:
            self._tokenizer = jieba.Tokenizer()
            self._tokenizer.initialize()
            for word in vocabulary:
                self._tokenizer.add_word(word)  # the same default frequency as above
        finally:
            logger.setLevel(level)

    def cut(self, text: str) -> list[str]:
        return self._tokenizer.lcut(text, HMM=False)

    def is_word(self, word: str) -> bool:
        return self._tokenizer.FREQ.get(word, 0) > 0

    def tag(self, text: str) -> list[tuple[str, str]]:
        if self._tagger is None:
            import jieba.posseg

            self._tagger = jieba.posseg.POSTokenizer(self._tokenizer)
        return [(pair.word, pair.flag) for pair in self._tagger.lcut(text, HMM=False)]


def _best_backend() -> type[_CoreJieba] | type[_RustJieba] | type[_PythonJieba]:
    try:
        import phrasecheck._core  # noqa: F401
    except ImportError:
        pass
    else:
        return _CoreJieba
    try:
        import rjieba  # noqa: F401
    except ImportError:
        return _PythonJieba
    return _RustJieba


class Segmenter:
    """Lazily loaded word segmentation that knows the rules' short wordings."""

    def __init__(self, vocabulary: Iterable[str] = (), backend: str = "auto") -> None:
        self._vocabulary = tuple(dict.fromkeys(vocabulary))
        choices = {"auto": None, "core": _CoreJieba, "rjieba": _RustJieba, "jieba": _PythonJieba}
        if backend not in choices:
            raise ValueError(f"backend must be one of {', '.join(choices)}, got {backend!r}")
        self._backend_name = backend
        self._backend_class = choices[backend]
        self._backend: _Backend | None = None
        # Cut results are cached by text: agents repeat the same glued greetings all day.
        self._cut = lru_cache(maxsize=_CACHED_CUTS)(self._cut_uncached)
        self._tag = lru_cache(maxsize=_CACHED_CUTS)(self._tag_uncached)

    @property
    def vocabulary(self) -> tuple[str, ...]:
        """The words added to jieba's dictionary, in order, without repeats."""
        return self._vocabulary

    def __reduce__(self) -> tuple[type[Segmenter], tuple[tuple[str, ...], str]]:
        """Pickles as its vocabulary and backend name; the copy loads jieba on first need."""
        return (Segmenter, (self._vocabulary, self._backend_name))

    def _load(self) -> _Backend:
        if self._backend is None:
            with _LOADING:
                if self._backend is None:
                    backend_class = self._backend_class or _best_backend()
                    self._backend = backend_class(self._vocabulary)
        return self._backend

    def _cut_uncached(self, text: str) -> list[str]:
        return self._load().cut(text)

    def _tag_uncached(self, text: str) -> tuple[tuple[str, str], ...]:
        return tuple(self._load().tag(text))

    def tagged(self, text: str) -> tuple[tuple[str, str], ...]:
        """The words of ``text`` with jieba's part-of-speech tags (n noun, r pronoun, d adverb…).

        Asked only when a rule needs to know who says a wording (``first_person``)."""
        return self._tag(text)

    def tokens(self, text: str) -> list[str]:
        """The words of ``text`` (dictionary only, no HMM guessing of new words)."""
        return list(self._cut(text))

    def words(self, text: str) -> Words:
        """The words of ``text``, able to say whether a span stands on word boundaries."""
        return Words(self._cut(text), self._load().is_word)


class Words:
    """The segmentation of one text, asked whether a hit splits a word."""

    def __init__(self, tokens: list[str], is_word: Callable[[str], bool]) -> None:
        self.tokens = tokens
        self._edges = list(accumulate((len(token) for token in tokens), initial=0))
        self._is_word = is_word

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
        last = bisect_left(edges, end)
        if word_start == start and last < len(edges) and edges[last] == end:
            return False  # starts a word and ends on a word edge: stands on its own
        if word_end >= end:
            inside = len(wording) >= 2 and self._is_word(wording)
            at_edge = word_start == start or word_end == end
            return not (inside and at_edge)
        return True
