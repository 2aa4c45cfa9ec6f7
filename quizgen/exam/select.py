"""Which families each section asks, and which variant every version gets.

Versions share structure: a section asks the same families in the same slots in every version;
only the numbers differ. Each family hands out its variants in index order, skipping any whose
visible content, given data or numeric answer repeats one already handed out, so no two
versions (and no two questions of one version) ever show the same numbers, and copying a
neighbour's numeric answer never scores; for multiple choice, the letter differs from the
previous version's whenever the bank allows. Versions draw in order (A first), so asking for
one more version leaves the earlier ones unchanged.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass

import numpy as np

from quizgen.bank.generate import variant
from quizgen.bank.question import Question
from quizgen.bank.seeds import stable_seed
from quizgen.bank.spec import Family
from quizgen.errors import QuizgenError, SpecError
from quizgen.exam.spec import ExamSpec, SectionSpec

SCAN_BASE, SCAN_PER = 20, 10  # indices tried per family: SCAN_BASE + SCAN_PER × variants needed
LETTER_WINDOW = 20  # indices searched for another choice letter before a repeated one is accepted
NUMERIC = ("number", "vector", "matrix")


@dataclass(frozen=True)
class Plan:
    section: SectionSpec
    families: tuple[Family, ...]  # one per question slot, the same in every version


def _did_you_mean(word: str, known) -> str:
    close = difflib.get_close_matches(word, sorted(known), n=3)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


def _matches(family: Family, section: SectionSpec) -> bool:
    if not set(section.tags) <= set(family.tags):
        return False
    if section.topic is not None and family.topic != section.topic:
        return False
    lo, hi = section.difficulty or (1, 5)
    return lo <= family.difficulty <= hi


def _pick(pool: list[Family], count: int, rng: np.random.Generator) -> tuple[Family, ...]:
    """`count` families from the pool in pool order: whole rounds first, the rest drawn."""
    rounds, rest = divmod(count, len(pool))
    chosen = sorted(rng.choice(len(pool), size=rest, replace=False).tolist()) if rest else []
    return tuple(pool * rounds + [pool[i] for i in chosen])


def plan(spec: ExamSpec, families: list[Family]) -> tuple[list[Plan], list[SpecError]]:
    """Each section's family per slot; every unknown id, tag or topic reported."""
    by_id = {f.id: f for f in families}
    tags = {t for f in families for t in f.tags}
    topics = {f.topic for f in families}
    plans, errors = [], []

    def add(key: str, what: str) -> None:
        errors.append(SpecError(what, file=spec.path, key=key))

    for section in spec.sections:
        key = section.key
        before = len(errors)
        if section.families is not None:
            for name in section.families:
                if name not in by_id:
                    add(f"{key}.families", f"unknown family {name!r}{_did_you_mean(name, by_id)}")
            pool = [by_id[name] for name in section.families if name in by_id]
            default = len(section.families)
        else:
            for tag in section.tags:
                if tag not in tags:
                    add(f"{key}.tags", f"unknown tag {tag!r}{_did_you_mean(tag, tags)}")
            if section.topic is not None and section.topic not in topics:
                add(f"{key}.topic", f"unknown topic {section.topic!r} (known: {', '.join(sorted(topics))})")
            pool = [f for f in families if _matches(f, section)]
            if not pool and len(errors) == before:
                add(key, "no family matches this selection (tags, topic and difficulty must all hold)")
            default = 1
        if len(errors) > before:
            continue
        rng = np.random.default_rng(stable_seed(spec.seed, "exam-section", section.number))
        plans.append(Plan(section, _pick(pool, section.count or default, rng)))
    return plans, errors


def _canon(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


class _Variants:
    """One family's variants in index order, each distinct in everything a student sees."""

    def __init__(self, family: Family, bank_seed: int, limit: int):
        self.family, self.bank_seed, self.limit = family, bank_seed, limit
        self.next_index = 0
        self.seen: set[str] = set()
        self.deferred: list[Question] = []  # usable, but their choice letter matched a neighbour's
        self.handed_out = 0

    def keys(self, q: Question) -> list[str]:
        keys = ["show:" + _canon([q.prompt, [g.value for g in q.given], sorted(_canon(c.text) for c in q.choices)])]
        if q.given:
            keys.append("given:" + _canon([[g.name, g.value] for g in q.given]))
        if q.answer.kind in NUMERIC:
            keys.append("answer:" + q.answer.display)
        return keys

    def _hand_out(self, q: Question) -> Question:
        self.seen.update(self.keys(q))
        self.handed_out += 1
        return q

    def _fresh(self) -> list[Question]:
        return [q for q in self.deferred if self.seen.isdisjoint(self.keys(q))]

    def take(self, avoid: str | None = None) -> Question | None:
        """The next variant sharing nothing with those handed out, preferring one whose choice
        letter is not `avoid` (the previous version's); None when the limit is reached.

        The search for another letter spans LETTER_WINDOW indices, even past `limit`: the limit
        grows with the number of versions, and what version i gets must not depend on it.
        """
        for q in self._fresh():
            if q.answer.value != avoid:
                self.deferred.remove(q)
                return self._hand_out(q)
        start = self.next_index
        end = max(self.limit, start + LETTER_WINDOW) if avoid is not None else self.limit
        while self.next_index < end:
            if self.next_index - start >= LETTER_WINDOW and self._fresh():
                break  # a repeated letter beats a longer search
            q = variant(self.family, self.next_index, self.bank_seed)
            self.next_index += 1
            if not self.seen.isdisjoint(self.keys(q)):
                continue
            if avoid is not None and q.answer.value == avoid:
                self.deferred.append(q)
                continue
            return self._hand_out(q)
        fresh = self._fresh()
        if fresh:  # no better letter within the window: a repeated letter beats no question
            self.deferred.remove(fresh[0])
            return self._hand_out(fresh[0])
        return None


def draw(spec: ExamSpec, plans: list[Plan], versions: int) -> tuple[list[list[list[Question]]], list[QuizgenError]]:
    """questions[version][section][slot]; an error per section that runs out of variants."""
    needed: dict[str, int] = {}
    for p in plans:
        for f in p.families:
            needed[f.id] = needed.get(f.id, 0) + versions
    pools = {f.id: _Variants(f, spec.seed, SCAN_BASE + SCAN_PER * needed[f.id]) for p in plans for f in p.families}
    failed: dict[int, QuizgenError] = {}
    out = []
    for v in range(versions):
        sections = []
        for s, p in enumerate(plans):
            qs = []
            for k, family in enumerate(p.families):
                if p.section.number in failed:
                    break
                pool = pools[family.id]
                before = out[v - 1][s][k] if v and k < len(out[v - 1][s]) else None
                avoid = before.answer.value if before is not None and before.answer.kind == "choice" else None
                try:
                    q = pool.take(avoid)
                except QuizgenError as exc:  # a family that cannot produce variants at all
                    failed[p.section.number] = exc
                    break
                if q is None:
                    failed[p.section.number] = _exhausted(spec, p, family, pool, versions)
                    break
                qs.append(q)
            sections.append(qs)
        out.append(sections)
    return out, [failed[n] for n in sorted(failed)]


def _exhausted(spec: ExamSpec, p: Plan, family: Family, pool: _Variants, versions: int) -> SpecError:
    n = pool.handed_out
    slots = sum(1 for f in p.families if f.id == family.id)
    wanted = f"{versions} version{'s' if versions != 1 else ''}" + (f" × {slots} questions" if slots > 1 else "")
    return SpecError(f"only {n} distinct variant{'s' if n != 1 else ''} available for {wanted} "
                     f"(family {family.id!r}, indices 0–{max(pool.limit, pool.next_index) - 1} tried)",
                     file=spec.path, key=p.section.key)
