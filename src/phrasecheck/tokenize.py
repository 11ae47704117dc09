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
from collections.abc import Iterable
from itertools import accumulate

__all__ = ["Segmenter"]


class Segmenter:
    """Lazily initialised jieba tokenizer that knows the rules' short wordings."""

    def __init__(self, vocabulary: Iterable[str] = ()) -> None:
        self._vocabulary = tuple(dict.fromkeys(vocabulary))
        self._tokenizer = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._tokenizer is not None

    def _load(self):
        with self._lock:
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

    def boundaries(self, text: str) -> frozenset[int]:
        """Character offsets in ``text`` at which a word starts or ends."""
        return frozenset(accumulate((len(token) for token in self.tokens(text)), initial=0))
