"""SM-2 spaced repetition with one card per family, and the order families come back in.

SM-2 (Woźniak 1990): each review has a quality 0–5. Quality ≥ 3 grows the interval
(1 day, 6 days, then interval × easiness); below 3 the card starts over. The easiness factor
moves by 0.1 − (5 − q)(0.08 + (5 − q)·0.02) and never drops under 1.3, so a family that keeps
going wrong comes back more often for good. One change from the paper: a lapse is due again
after RELEARN (minutes, not a day), so a family answered wrong — or fixed only on the retry —
comes back before one answered right.

Everything here is a pure function of the cards, the time and the seed; "now" is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from quizgen.bank.seeds import stable_seed

START_EASINESS = 2.5
MIN_EASINESS = 1.3
RELEARN = timedelta(minutes=10)
MAX_INTERVAL = 36500.0  # days (a century): intervals grow geometrically, dates end at year 9999


@dataclass(frozen=True)
class Card:
    """The SM-2 state of one family, plus which variant it shows next."""

    family: str
    easiness: float = START_EASINESS
    interval: float = 0.0  # days until the next review after the last one
    repetitions: int = 0  # correct reviews in a row
    due: datetime | None = None  # None: never reviewed
    lapses: int = 0
    last_quality: int | None = None
    last_review: datetime | None = None
    next_index: int = 0  # the variant index the next question of this family uses


def quality(*, correct: bool, hints: int, tries: int, score: float = 0.0, skipped: bool = False) -> int:
    """Map how a question went to an SM-2 quality, judged like the score: by the first answer.

    5 right first time, 3 right first time after a hint, 2 wrong first but right on the retry,
    1 wrong (or gave up for the solution), 0 skipped. A retry is below SM-2's pass mark of 3: the
    first answer was not recalled, so the card comes back after RELEARN, well before a perfect one
    (1 day or more), with its easiness lowered less than for a question never got right. Partial
    credit (`score`) does not change it: a wrong answer is wrong, however many entries matched.
    """
    if skipped:
        return 0
    if correct:
        if tries >= 2:
            return 2
        return 3 if hints else 5
    return 1


def review(card: Card, q: int, now: datetime) -> Card:
    """The card after a review of quality q (0–5) at `now`; the variant index moves on."""
    if not 0 <= q <= 5:
        raise ValueError(f"SM-2 quality must be 0..5, got {q}")
    easiness = max(MIN_EASINESS, card.easiness + 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02))
    if q >= 3:
        repetitions = card.repetitions + 1
        if repetitions == 1:
            interval = 1.0
        elif repetitions == 2:
            interval = 6.0
        else:
            interval = min(MAX_INTERVAL, float(round(card.interval * card.easiness)))
        due, lapses = now + timedelta(days=interval), card.lapses
    else:
        repetitions, interval = 0, 0.0
        due, lapses = now + RELEARN, card.lapses + 1
    return replace(card, easiness=easiness, interval=interval, repetitions=repetitions, due=due,
                   lapses=lapses, last_quality=q, last_review=now, next_index=card.next_index + 1)


def order(families: list[str], cards: dict[str, Card], now: datetime, seed: int,
          difficulty: dict[str, int] | None = None) -> list[str]:
    """Families in the order to ask them: due (most overdue first), unseen (easiest first), the rest.

    Within a group a lower easiness (a weaker family) goes first; remaining ties are broken by
    a hash of (seed, family), so the order depends only on the seed, the cards and `now`.
    """
    difficulty = difficulty or {}

    def key(family: str):
        card = cards.get(family)
        tie = stable_seed("practice", seed, family)
        if card is None or card.due is None:
            return (1, difficulty.get(family, 0), 0.0, tie)
        group = 0 if card.due <= now else 2
        return (group, card.due.timestamp(), card.easiness, tie)

    return sorted(families, key=key)


def pick(families: list[str], cards: dict[str, Card], now: datetime, seed: int, asked: list[str],
         difficulty: dict[str, int] | None = None) -> str:
    """The next family: the first in `order` not asked this session, else (all asked) the first
    that is not the one just asked."""
    ranked = order(families, cards, now, seed, difficulty)
    fresh = [f for f in ranked if f not in asked]
    if fresh:
        return fresh[0]
    others = [f for f in ranked if not asked or f != asked[-1]]
    return (others or ranked)[0]
