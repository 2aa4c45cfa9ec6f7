"""Which families each section asks, and which variant every version gets.

Versions share structure: a section asks the same families in the same slots in every version,
each in the same network structure (sizes.py), so only the numbers differ. A family is asked
once per exam unless the spec says allow_repeat. Each family hands out its variants in index order, skipping any whose
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

from quizgen.bank.generate import structure, variant
from quizgen.bank.sample import Structure
from quizgen.bank.question import Question
from quizgen.bank.seeds import stable_seed
from quizgen.bank.spec import Family
from quizgen.errors import QuizgenError, SpecError
from quizgen.exam import sizes
from quizgen.exam.spec import ExamSpec, SectionSpec
from quizgen.messages import t

SCAN_BASE, SCAN_PER = 20, 10  # indices tried per family: SCAN_BASE + SCAN_PER × variants needed
SCAN_WIDE = 100_000  # indices looked at, at most, for those of one structure
LETTER_WINDOW = 20  # indices searched for another choice letter before a repeated one is accepted
NUMERIC = ("number", "vector", "matrix")


@dataclass(frozen=True)
class Plan:
    section: SectionSpec
    families: tuple[Family, ...]  # one per question slot, the same in every version
    shapes: tuple[Structure | None, ...] = ()  # per slot: the structure every version asks it in


def _did_you_mean(word: str, known) -> str:
    close = difflib.get_close_matches(word, sorted(known), n=3)
    return t("spec.did_you_mean", names=", ".join(repr(c) for c in close)) if close else ""


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
    """Each section's family per slot; every unknown id, tag or topic, family asked twice and
    size a family cannot take reported (broken sections are checked too, never planned)."""
    by_id = {f.id: f for f in families}
    tags = {t for f in families for t in f.tags}
    topics = {f.topic for f in families}
    plans, errors = [], []
    listed = {}  # family id -> the section that first lists it
    for section in spec.sections:
        for name in section.families or ():
            listed.setdefault(name, section.key)
    used = set(listed)  # asked somewhere: a selection picks others unless repeats are allowed

    def add(key: str, what: str) -> None:
        errors.append(SpecError(what, file=spec.path, key=key))

    for section in spec.sections:
        key = section.key
        before = len(errors)
        repeat = spec.allow_repeat or section.allow_repeat
        pool, default = [], 1
        if section.families is not None:
            for i, name in enumerate(section.families):
                if name not in by_id:
                    add(f"{key}.families", t("spec.unknown_family", name=name, near=_did_you_mean(name, by_id)))
                elif not repeat and (name in section.families[:i] or listed[name] != key):
                    where = key if name in section.families[:i] else listed[name]
                    add(f"{key}.families", t("spec.repeated_family", family=name, where=where))
            pool = [by_id[name] for name in section.families if name in by_id]
            default = len(section.families)
            if not repeat and section.count is not None and section.count > len(section.families):
                add(f"{key}.count", t("spec.repeated_count", count=section.count, listed=len(section.families)))
        if section.tags or section.topic is not None or section.difficulty is not None:
            for tag in section.tags:
                if tag not in tags:
                    add(f"{key}.tags", t("spec.unknown_tag", tag=tag, near=_did_you_mean(tag, tags)))
            if section.topic is not None and section.topic not in topics:
                add(f"{key}.topic", t("spec.unknown_topic", topic=section.topic, known=", ".join(sorted(topics))))
            if section.families is None:
                pool = [f for f in families if _matches(f, section)]
                if not pool and len(errors) == before:
                    add(key, t("spec.no_match"))
        if section.families is None and pool:
            fitting = [f for f in pool if not sizes.problems(f, section.sizes)]
            if not fitting:
                add(f"{key}.sizes", t("spec.no_fitting_family"))
            pool = fitting if repeat else [f for f in fitting if f.id not in used]
            count = section.count or default
            if fitting and not repeat and len(pool) < count:
                add(f"{key}.count" if section.count else key,
                    t("spec.too_few_families", count=count, available=len(pool)))
        else:
            for family in {f.id: f for f in pool}.values():
                for where, what in sizes.problems(family, section.sizes):
                    add(f"{key}.sizes" + (f".{where}" if where else ""), what)
        if section.broken or len(errors) > before:
            continue
        rng = np.random.default_rng(stable_seed(spec.seed, "exam-section", section.number))
        picked = _pick(pool, section.count or default, rng)
        used.update(f.id for f in picked)
        shapes = {f.id: sizes.structure(spec, section, f) for f in picked}
        plans.append(Plan(section, picked, tuple(shapes[f.id] for f in picked)))
    return plans, errors


def _canon(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


class _Variants:
    """One family's variants of one structure (None: any) in index order, each distinct in
    everything a student sees, also from those of its other structures (`seen` is shared)."""

    def __init__(self, family: Family, bank_seed: int, limit: int, shape: Structure | None = None,
                 seen: set[str] | None = None):
        self.family, self.bank_seed, self.limit, self.shape = family, bank_seed, limit, shape
        self.spelled = sizes.spelled(shape) if shape is not None else None
        self.next_index = 0  # the next index looked at
        self.tried = 0  # variants of this structure built so far: what `limit` counts
        self.wide = min(SCAN_WIDE, limit * sizes.choices(family) * 4) if shape is not None else limit
        self.seen: set[str] = set() if seen is None else seen
        self.deferred: list[Question] = []  # usable, but their choice letter matched a neighbour's
        self.handed_out = 0

    def _next(self) -> Question | None:
        """The next variant of this structure (its structure is known without building it)."""
        while self.shape is None or self.next_index < self.wide:
            index = self.next_index
            self.next_index += 1
            if self.shape is not None and structure(self.family, index, self.bank_seed) != self.shape:
                continue
            q = variant(self.family, index, self.bank_seed)
            if self.shape is not None and sizes.shape_of(q) != self.spelled:
                continue  # redrawn past a degenerate draw into another structure
            self.tried += 1
            return q
        return None

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
        start = self.tried
        end = max(self.limit, start + LETTER_WINDOW) if avoid is not None else self.limit
        while self.tried < end:
            if self.tried - start >= LETTER_WINDOW and self._fresh():
                break  # a repeated letter beats a longer search
            q = self._next()
            if q is None:
                break
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
    needed: dict[tuple, int] = {}
    for p in plans:
        for f, shape in zip(p.families, p.shapes or [None] * len(p.families)):
            needed[f.id, shape] = needed.get((f.id, shape), 0) + versions
    seen: dict[str, set[str]] = {}  # per family, across its structures
    pools = {(f.id, shape): _Variants(f, spec.seed, SCAN_BASE + SCAN_PER * needed[f.id, shape], shape,
                                      seen.setdefault(f.id, set()))
             for p in plans for f, shape in zip(p.families, p.shapes or [None] * len(p.families))}
    failed: dict[int, QuizgenError] = {}
    out = []
    for v in range(versions):
        sections = []
        for s, p in enumerate(plans):
            qs = []
            for k, family in enumerate(p.families):
                if p.section.number in failed:
                    break
                pool = pools[family.id, p.shapes[k] if p.shapes else None]
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
    wanted = t("spec.wanted_versions" if versions != 1 else "spec.wanted_version", versions=versions) + (
        t("spec.wanted_slots", slots=slots) if slots > 1 else "")
    held = (t("cli.clause_separator") + t("spec.exhausted_sizes", units=list(pool.shape.units), batch=pool.shape.batch)
            if pool.shape is not None else "")
    return SpecError(t("spec.exhausted" if n != 1 else "spec.exhausted_one", n=n, wanted=wanted, family=family.id,
                       last=max(pool.limit, pool.next_index) - 1) + held,
                     file=spec.path, key=p.section.key)
