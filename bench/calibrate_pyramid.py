"""Re-fit the head-of-household age weights in simpul/demo/families.py to the age pyramid.

The household generator draws the head's age with headship weights; the ages of
everyone else follow from it (spouses, children, elderly parents). This script
runs the generator, compares each five-year band with the target pyramid and
scales the head weights of the adult bands by target/got, a few times over.
Paste the printed table into HEAD_AGE_WEIGHTS when the pyramid or the family
rules change. Pure Python, no database: .venv/bin/python bench/calibrate_pyramid.py
"""

from __future__ import annotations

import random
import statistics
import sys
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simpul.demo import families  # noqa: E402
from simpul.demo.pyramid import AGE_BANDS, band_shares  # noqa: E402

HOUSEHOLDS = 80_000
ROUNDS = 6


def measure(seed: int = 1) -> tuple[list[float], float]:
    rng = random.Random(seed)
    ages: list[int] = []
    sizes = []
    for _ in range(HOUSEHOLDS):
        members = families.household_members(rng)
        sizes.append(len(members))
        ages += [m.age for m in members]
    return band_shares(ages, tuple((a, b) for a, b, _ in AGE_BANDS)), statistics.mean(sizes)


def set_weights(weights: list[tuple[int, float]]) -> None:
    families._HEAD_BANDS = [b for b, _ in weights]
    families._HEAD_CUM = list(accumulate(w for _, w in weights))


def report(got: list[float], size: float) -> float:
    total = sum(s for *_, s in AGE_BANDS)
    worst = 0.0
    for (first, last, share), g in zip(AGE_BANDS, got, strict=True):
        diff = 100 * g - 100 * share / total
        worst = max(worst, abs(diff))
        print(f"  {first:2d}-{last:2d}  target {100 * share / total:5.2f} %  got {100 * g:5.2f} %  {diff:+.2f}")
    print(f"  mean household size {size:.2f}; worst band off by {worst:.2f} points")
    return worst


def main() -> None:
    weights = list(families.HEAD_AGE_WEIGHTS)
    total = sum(s for *_, s in AGE_BANDS)
    target = {first: share / total for first, _last, share in AGE_BANDS}
    for round_no in range(ROUNDS):
        set_weights(weights)
        got, size = measure()
        print(f"round {round_no}")
        report(got, size)
        got_by_band = {first: g for (first, _l, _s), g in zip(AGE_BANDS, got, strict=True)}
        # A head of age a is mostly the reason people of about a (and a-3, the wife) exist:
        # scale its weight by the band's shortfall, damped so the fit converges.
        weights = [
            (band, round(w * (target.get(band, target[80]) / max(got_by_band.get(band, got_by_band[80]), 1e-6)) ** 0.7, 2))
            for band, w in weights
        ]
    print("HEAD_AGE_WEIGHTS = (")
    print("    " + ", ".join(f"({b}, {w})" for b, w in weights) + ",")
    print(")")


if __name__ == "__main__":
    main()
