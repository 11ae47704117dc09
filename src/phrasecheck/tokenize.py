"""Word segmentation with the rules' short wordings added: the words the boundary check sees.

A short wording (急什么, 喂, 你好) is a hit only when it stands on word boundaries: 急什么 must
not fire inside 您着急什么时候用, nor 喂 inside 喂养. The compiled core decides that with
jieba-rs (rust/resolve.rs); a Segmenter holds the vocabulary it adds to jieba's dictionary
(shared by the Checkers of one scorer, and pickled with them) and shows the words to a reader
(``Explanation.tokens``).

Its backend is that same jieba-rs instance of the core by default; rjieba (the same jieba-rs)
and Python jieba can be chosen. On every labelled utterance they cut identically
(``tests/test_tokenize.py``), but jieba-rs loads in about 0.1 s and 40 MB where jieba takes
about a second and 90 MB. Each is created on first use, apart from any tokenizer the host
program uses; jieba-rs's dictionary itself is read ahead on a background thread from the
first Checker of the process on (``rust/words.rs``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, Protocol

__all__ = ["Segmenter"]

_LOADING = threading.Lock()
_CACHED_CUTS = 4096


def _unlocked_in_child() -> None:
    """A forked child has only the forking thread: a lock another thread held while loading
    a backend would stay held for ever, so the child starts with a free one."""
    global _LOADING
    _LOADING = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_unlocked_in_child)


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


class Segmenter:
    """Lazily loaded word segmentation that knows the rules' short wordings."""

    def __init__(self, vocabulary: Iterable[str] = (), backend: str = "auto") -> None:
        self._vocabulary = tuple(dict.fromkeys(vocabulary))
        # "auto" is the core's jieba-rs, which every install has (the package needs the core).
        choices: dict[str, Callable[[Iterable[str]], _Backend]] = {
            "auto": _CoreJieba,
            "core": _CoreJieba,
            "rjieba": _RustJieba,
            "jieba": _PythonJieba,
        }
        if backend not in choices:
            raise ValueError(f"backend must be one of {', '.join(choices)}, got {backend!r}")
        self._backend_name = backend
        self._backend_class = choices[backend]
        self._backend: _Backend | None = None
        # Cut results are cached by text: agents repeat the same glued greetings all day.
        self._cut = lru_cache(maxsize=_CACHED_CUTS)(self._cut_uncached)

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
                    self._backend = self._backend_class(self._vocabulary)
        return self._backend

    def _cut_uncached(self, text: str) -> list[str]:
        return self._load().cut(text)

    def tagged(self, text: str) -> list[tuple[str, str]]:
        """The words of ``text`` with jieba's part-of-speech tags (n noun, r pronoun, d adverb…)."""
        return self._load().tag(text)

    def tokens(self, text: str) -> list[str]:
        """The words of ``text`` (dictionary only, no HMM guessing of new words)."""
        return list(self._cut(text))
