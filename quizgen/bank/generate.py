"""variant(family, index, bank_seed): one reproducible Question, redrawn past degenerate draws."""

from __future__ import annotations

from collections import Counter

import numpy as np

from quizgen.bank.conventions import with_conventions
from quizgen.bank.kinds import KINDS
from quizgen.bank.kinds.precision import sentence
from quizgen.bank.localized import pick
from quizgen.bank.prompts import prompt_context, render_prompt
from quizgen.bank.question import Question, question_id
from quizgen.bank.sample import Degenerate
from quizgen.bank.seeds import stable_seed
from quizgen.bank.spec import PROMPT_NAMES, Family
from quizgen.errors import BankError, FamilyExhausted
from quizgen.messages.text import say

MAX_DRAWS = 200
# The family key to change when a rejection reason keeps coming back (first match wins).
CAUSES = (("distractors", "min_distractors"), ("value range", "values"), ("saturated", "values"),
          ("kink", "values"), ("nearly 0", "values"), ("log of a value", "values"),
          ("not finite", "values"), ("too small", "values"), ("is 0", "values"), ("all zeros", "values"),
          ("underflows", "values"))


def worded(draft) -> None:
    """Word the kind's text(...) fields in English, in place.

    Kinds write prose as message keys (quizgen/messages/en/kinds.toml); until every writer calls
    messages.text.say() on every text field, the record keeps them worded. Dropping this call is
    the one change that makes records language-neutral."""
    for s in draft.steps:  # the step writer's own texts (steps.*) stay keys: every writer words those
        s.title, s.explanation = _kind_worded(s.title), _kind_worded(s.explanation)
    for c in draft.choices:
        c.text, c.rationale = say(c.text), say(c.rationale)


def _kind_worded(value):
    """A kind's own text (kinds.*) in English; any other text stays a key."""
    return say(value) if isinstance(value, dict) and str(value.get("key", "")).startswith("kinds.") else value


def cause_key(cause: str) -> str:
    """The key an author should look at for a rejection reason (`network` when none fits better)."""
    return next((key for words, key in CAUSES if words in cause), "network")


def variant(family: Family, index: int, bank_seed: int = 0) -> Question:
    """The index-th question of a family: the same on every machine for the same seed."""
    return draw(family, index, bank_seed)[0]


def draw(family: Family, index: int, bank_seed: int = 0) -> tuple[Question, Counter]:
    """`variant`, with the reasons of the draws it rejected on the way (for `quizgen check`)."""
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
                reasons[str(exc)] += 1
    if draft is None:
        cause, count = reasons.most_common(1)[0]
        raise FamilyExhausted(f"no valid variant in {MAX_DRAWS} draws (most often: {cause}, {count}×)",
                              file=family.path, key=cause_key(cause))
    worded(draft)
    context = dict.fromkeys(sorted(PROMPT_NAMES), "")  # every placeholder a family may use
    context.update(prompt_context(draft.context))
    try:
        prompt = render_prompt(pick(family, "prompt") or kind.prompt(), context)
    except ValueError as exc:
        raise BankError(str(exc), file=family.path, key="prompt") from None
    prompt = with_conventions(prompt.strip(), family.kind, context, draft.problem)  # issue 14: one notation
    for d in draft.distractors:  # a family may give a mistake credit; a shared value earns the least
        d.credit = min(family.mistake_credit.get(mid, 0.0) for mid in [d.mistake, *d.also])
    # what to give, stated where the question is asked (unless the kind's own prompt says it)
    asked = sentence(draft.answer.precision) if kind.states_precision else ""
    prompt = prompt.strip() + ("\n\n" + asked if asked else "")
    question = Question(
        id=question_id(family.id, bank_seed, index), family=family.id, seed=seed, index=index,
        bank_seed=bank_seed, kind=family.kind, title=pick(family, "title"), summary=pick(family, "summary"),
        topic=family.topic, tags=list(family.tags), difficulty=family.difficulty, source=pick(family, "source"),
        notation=draft.problem["notation"] if draft.problem else context.get("notation") or None,
        prompt=prompt.strip(), given=draft.given, problem=draft.problem, target=draft.target,
        answer=draft.answer, choices=draft.choices, distractors=draft.distractors, steps=draft.steps,
        hints=list(pick(family, "hints")), parts=list(getattr(draft, "parts", [])),
    )
    question.layout = kind.layout(question)
    return question, reasons
