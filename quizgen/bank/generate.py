"""variant(family, index, bank_seed): one reproducible Question, redrawn past degenerate draws."""

from __future__ import annotations

from collections import Counter

import numpy as np

from quizgen.bank.conventions import with_conventions
from quizgen.bank.degenerate import Reason
from quizgen.bank.kinds import KINDS
from quizgen.bank.kinds.precision import sentence
from quizgen.bank.localized import pick
from quizgen.bank.prompts import default_sources, has_default, prompt_context, prompt_problems, prompt_record
from quizgen.bank.question import Question, question_id
from quizgen.bank.sample import Degenerate, Structure, draw_structure
from quizgen.bank.seeds import stable_seed
from quizgen.bank.spec import PROMPT_NAMES, Family
from quizgen.errors import BankError, FamilyExhausted
from quizgen.messages import t

MAX_DRAWS = 200
_PLACEHOLDERS = tuple(sorted(PROMPT_NAMES))  # every placeholder a family may use, sorted once


def variant(family: Family, index: int, bank_seed: int = 0) -> Question:
    """The index-th question of a family: the same on every machine for the same seed."""
    return draw(family, index, bank_seed)[0]


def sized(family: Family) -> bool:
    """Whether the family's kind draws a network structure first (an exam holds it equal)."""
    return KINDS[family.kind].sized


def structure(family: Family, index: int, bank_seed: int = 0) -> Structure | None:
    """The structure variant `index` is first drawn in (None for a kind without one), without
    building it: an exam scans many indices for those of its section's structure. A variant
    redrawn past a degenerate draw may end in another one, so the exam checks what it builds."""
    if not sized(family):
        return None
    return draw_structure(family, np.random.default_rng(stable_seed(bank_seed, family.id, index)))


def draw(family: Family, index: int, bank_seed: int = 0) -> tuple[Question, Counter]:
    """`variant`, with the reasons of the draws it rejected on the way (for `quizgen check`),
    counted by `Reason`: each carries its message key and the family key to change."""
    seed = stable_seed(bank_seed, family.id, index)
    rng = np.random.default_rng(seed)
    kind = KINDS[family.kind]
    build = kind.build
    reasons: Counter = Counter()
    draft = None
    with np.errstate(all="ignore"):  # once per question: the engine's passes inside set none of their own
        for _ in range(MAX_DRAWS):
            try:
                draft = build(family, rng)
                break
            except Degenerate as exc:
                reasons[Reason.of(exc)] += 1
    if draft is None:
        cause, count = reasons.most_common(1)[0]
        raise FamilyExhausted(t("reject.no_valid_variant", draws=MAX_DRAWS, cause=str(cause), count=count),
                              file=family.path, key=cause.key)
    context = dict.fromkeys(_PLACEHOLDERS, "")  # every placeholder a family may use
    context.update(prompt_context(draft.context))
    own = pick(family, "prompt")  # the author's words, in the language in use when the family has them
    if own or not has_default(family.kind):  # the author's own words (or a toy kind's)
        sources = [own or kind.prompt()]
        problems = prompt_problems(sources[0], context)
        if problems:
            raise BankError(problems[0], file=family.path, key="prompt")
    else:
        sources = draft.prompt or default_sources(family.kind)
    # kept unworded: paragraphs of catalog keys (or the author's text) with their values
    prompt = prompt_record(sources, context) + with_conventions(family.kind, context, draft.problem)  # issue 14
    for d in draft.distractors:  # a family may give a mistake credit; a shared value earns the least
        d.credit = min(family.mistake_credit.get(mid, 0.0) for mid in [d.mistake, *d.also])
    # what to give, stated where the question is asked (unless the kind's own prompt says it)
    if kind.states_precision and draft.answer.precision:
        prompt.append(sentence(draft.answer.precision))
    question = Question(
        id=question_id(family.id, bank_seed, index), family=family.id, seed=seed, index=index,
        bank_seed=bank_seed, kind=family.kind, title=pick(family, "title"), summary=pick(family, "summary"),
        topic=family.topic, tags=list(family.tags), difficulty=family.difficulty, source=pick(family, "source"),
        notation=draft.problem["notation"] if draft.problem else draft.context.get("notation") or None,
        prompt=prompt, given=draft.given, problem=draft.problem, target=draft.target,
        answer=draft.answer, choices=draft.choices, distractors=draft.distractors, steps=draft.steps,
        hints=list(pick(family, "hints")), parts=list(getattr(draft, "parts", [])),
    )
    question.layout = kind.layout(question)
    return question, reasons
