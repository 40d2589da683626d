"""Recognising the same source and the same passage across pages, with MinHash (datasketch).

Texts are compared as sets of word shingles after folding case, accents and British/American
spelling ("centre"/"center", "labour"/"labor"), so spelling variants do not hide a duplicate.
Two measures come out of one MinHash comparison:

* the Jaccard similarity |A∩B| / |A∪B| (near-identical texts), and
* the containment of the shorter in the longer, |A∩B| / |A| (a shorter quote of a longer one),
  derived from the Jaccard estimate and the exact set sizes.
"""

import re
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

from . import vocab
from .parsing import spelling_key, title_key

NUM_PERM = 128
SEED = 7
# Two excerpts of the same source are the same passage when they are this similar…
PASSAGE_JACCARD = 0.8
# …or when this much of the shorter one is in the longer one.
PASSAGE_CONTAINMENT = 0.6
# Two titles name the same source at this similarity (and with the same years in them).
TITLE_JACCARD = 0.85


def shingles(text: str, size: int = 2) -> set[str]:
    words = [spelling_key(vocab.fold(w)) for w in vocab.WORD.findall(text)]
    words += re.findall(r"\d+(?:[.,]\d+)?", text)
    if len(words) < size:
        return set(words)
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def minhash(items: set[str]) -> MinHash:
    signature = MinHash(num_perm=NUM_PERM, seed=SEED)
    for item in items:
        signature.update(item.encode("utf-8"))
    return signature


@dataclass(frozen=True)
class Similarity:
    jaccard: float
    containment: float

    @property
    def same_passage(self) -> bool:
        return self.jaccard >= PASSAGE_JACCARD or self.containment >= PASSAGE_CONTAINMENT

    @property
    def score(self) -> float:
        return max(self.jaccard, self.containment)


def compare(a: str, b: str) -> Similarity:
    sa, sb = shingles(a), shingles(b)
    if not sa or not sb:
        return Similarity(0.0, 0.0)
    jaccard = minhash(sa).jaccard(minhash(sb))
    # |A∩B| = J·|A∪B| and |A∪B| = (|A|+|B|)/(1+J)  ⇒  |A∩B| = J(|A|+|B|)/(1+J)
    intersection = jaccard * (len(sa) + len(sb)) / (1 + jaccard)
    containment = min(1.0, intersection / min(len(sa), len(sb)))
    return Similarity(round(jaccard, 3), round(containment, 3))


def years_in(title: str) -> set[str]:
    return set(re.findall(r"\b(?:19|20)\d\d\b", title))


class TitleIndex:
    """Candidates for "the same source" among titles already in the library (MinHash LSH)."""

    def __init__(self, threshold: float = TITLE_JACCARD):
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.keys: dict[str, str] = {}
        self.signatures: dict[str, MinHash] = {}

    @staticmethod
    def _items(title: str) -> set[str]:
        key = title_key(title)
        return set(key.split()) | {key[i:i + 4] for i in range(max(len(key) - 3, 1))}

    def add(self, ident: str, title: str) -> None:
        if ident in self.keys:
            return
        signature = minhash(self._items(title))
        self.lsh.insert(ident, signature)
        self.keys[ident] = title
        self.signatures[ident] = signature

    def best(self, title: str) -> tuple[str, float] | None:
        """The most similar title with the same years in it, and its estimated similarity."""
        signature = minhash(self._items(title))
        years = years_in(title)
        best = None
        for ident in self.lsh.query(signature):
            if years_in(self.keys[ident]) != years:
                continue
            similarity = signature.jaccard(self.signatures[ident])
            if similarity >= TITLE_JACCARD and (best is None or similarity > best[1]):
                best = (ident, similarity)
        return best
