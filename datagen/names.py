"""Name lists for synthetic people and cases, read once from ``datagen/data/*.txt``.

Each file holds one entry a line; blank lines and lines starting with ``#`` are skipped. The
files are part of the repository (the image copies the whole tree), so no download is needed.
"""

from __future__ import annotations

import itertools
import random
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@cache
def entries(name: str) -> tuple[str, ...]:
    """The entries of ``data/<name>.txt`` in file order."""
    text = (DATA / f"{name}.txt").read_text(encoding="utf-8")
    values = tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )
    if not values:
        raise RuntimeError(f"datagen/data/{name}.txt holds no entries")
    return values


@cache
def _surname_cum_weights() -> tuple[float, ...]:
    ranks = range(len(entries("surnames")))
    return tuple(itertools.accumulate(1 / (rank + 1) ** 0.7 for rank in ranks))


class Names:
    """Draws names from the lists with the generator's random stream."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.forenames = entries("forenames")
        self.surnames = entries("surnames")
        self.syllables = entries("syllables")
        self.summaries = entries("summaries")
        self.surname_weights = _surname_cum_weights()

    def forename(self) -> str:
        return self.rng.choice(self.forenames)

    def summary(self) -> str:
        return self.rng.choice(self.summaries)

    def surname(self) -> str:
        """About a fifth of people share the hundred commonest surnames (Smith about 2%, as
        in England and Wales); the rest have rarer, generated ones."""
        rng = self.rng
        if rng.random() < 0.2:
            return rng.choices(self.surnames, cum_weights=self.surname_weights)[0]
        parts = rng.choice(self.syllables) + rng.choice(self.syllables)
        if rng.random() < 0.5:
            parts += rng.choice(self.syllables)
        return parts.capitalize()
