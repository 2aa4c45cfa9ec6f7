"""Question -> the one per-question view model every output lays out (site, exam, terminal).

The view holds what a reader sees, in no format yet: prose worded by `say()` (so a record field
may be plain text or a message key), LaTeX as the record gives it, values with floating-point
noise shown as 0. Writers lay it out (present.math for HTML, present.terminal for text) and
never re-read the record's prose themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizgen.bank.question import Question, Step, ask_key, shown_steps
from quizgen.messages import current
from quizgen.present.words import say
from quizgen.present.math import clean
from quizgen.render.numbers import fmt

NUMERIC = ("number", "vector", "matrix")


@dataclass(slots=True)
class GivenView:
    name: str
    latex: str
    value: object
    approx: bool


@dataclass(slots=True)
class ChoiceView:
    label: str
    text: str  # Markdown + $math$
    correct: bool
    mistake: str | None
    name: str = ""  # the mistake a wrong option stands for, "you get this if you …" ("": none)
    explanation: str = ""  # what went wrong there: the mistake's explanation, else the rationale


@dataclass(slots=True)
class StepView:
    number: int
    title: str
    explanation: str
    symbolic: str  # LaTeX with symbols only ("" when none)
    parts: tuple  # ({"tex"} | {"num"}, ...) this variant's numbers, noise shown as 0
    result: object  # None when the step has no value
    shape: list | None
    numbers: bool  # whether `parts` holds values
    rewritten: bool  # symbolic-only parts that differ from `symbolic`
    shows_result: bool  # the last value in `parts` already prints as `result`


@dataclass(slots=True)
class DistractorView:
    value: object
    mistake: str
    name: str
    explanation: str
    tol: object = None  # how close to `value` counts as this mistake (the value's shape)


@dataclass(slots=True)
class AnswerView:
    kind: str
    value: object
    display: str
    latex: str
    rtol: float
    atol: float
    shape: list | None
    precision: dict | None  # the record's, with `text` worded
    tol: object
    choice: ChoiceView | None  # the right option of a multiple-choice question


@dataclass(slots=True)
class PartView:
    """One part of a multi-part question, with its own answer (precision, tolerance), points,
    answer box and catalogued wrong values, so a writer lays out every part without the record."""
    name: str
    label: str
    asked: str  # LaTeX
    asked_text: str  # plain
    points: float
    answer: AnswerView
    box: dict  # this part's answer box ({"kind": "number"} or a grid with rows and cols)
    distractors: tuple  # DistractorView, this part's


@dataclass(slots=True)
class QuestionView:
    title: str
    prompt: str  # Markdown + $math$
    hints: tuple
    given: tuple
    choices: tuple
    steps: tuple
    answer: AnswerView
    distractors: tuple  # numeric distractors only (those a page can show as a value)
    box: dict
    space_cm: float
    parts: tuple = ()  # PartView per part of a multi-part question (answer/distractors are part (a)'s); else ()
    words: tuple = ()  # (name, explanation) of each of the record's distractors, worded (see `worded`)


def same(a, b) -> bool:
    """Equal as printed (4 significant digits), number by number."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b or fmt(a) == fmt(b)  # equal numbers print alike (fmt reads float(x))
    return False


def _as_is(v):
    return v


def step(s: Step, number: int, lang: str | None = None, tidy=clean) -> StepView:
    parts, numbers = [], False
    for p in s.parts:  # one pass: clean each value and note whether there is one
        if "num" in p:
            numbers = True
            if tidy is not _as_is or len(p) != 1:  # uncleaned, a {"num"} part is what its copy would be
                p = {"num": tidy(p["num"])}
        parts.append(p)
    parts = tuple(parts)
    rewritten = bool(parts) and not numbers and " ".join(p["tex"] for p in parts) != s.symbolic
    result = tidy(s.result)
    shows = numbers and "num" in parts[-1] and result is not None and same(parts[-1]["num"], result)
    return StepView(number=number, title=say(s.title, lang), explanation=say(s.explanation, lang),
                    symbolic=s.symbolic or "", parts=parts, result=result, shape=s.shape, numbers=numbers,
                    rewritten=rewritten, shows_result=shows)


def answer_box(q: Question) -> dict:
    """What the student fills in, as the record's layout says (the kind decides it): a bubble per
    option, one box, a bracketed grid, or a shapes table with its rows labelled in LaTeX."""
    box = dict((q.layout or {}).get("answer_box") or {"kind": "number"})
    if box["kind"] == "shapes":
        box.setdefault("latex", True)
    return box


def space_cm(q: Question) -> float:
    """Room to work, in cm, as the record's layout says."""
    return float((q.layout or {}).get("space_cm", 2.5))


def worded(ds, lang: str | None = None) -> tuple:
    """(name, explanation) of each distractor, worded once per question: its options, its wrong
    values and a writer's grading data all show them."""
    return tuple((say(d.name, lang), say(d.explanation, lang)) for d in ds)


def choice(c, lang: str | None = None, distractors=(), words=None) -> ChoiceView:
    """An option, with the words of the mistake it stands for (found by its id, never its letter);
    `words`, the distractors' `worded` texts, if the caller has them."""
    i = next((i for i, d in enumerate(distractors) if c.mistake and d.mistake == c.mistake), None)
    if i is None:
        name, explanation = "", say(c.rationale, lang) if c.rationale else ""
    else:
        name, explanation = words[i] if words else worded(distractors[i:i + 1], lang)[0]
    return ChoiceView(label=c.label, text=say(c.text, lang), correct=c.correct, mistake=c.mistake,
                      name=name, explanation=explanation)


def answer(q: Question, lang: str | None = None, tidy=clean) -> AnswerView:
    return answer_of(q.answer, q.choices, q.distractors, lang, tidy)


def answer_of(a, choices=(), distractors=(), lang: str | None = None, tidy=clean, words=None) -> AnswerView:
    """The view of an answer record (a question's or a part's); `words` as for `choice`."""
    precision = (dict(a.precision, text=say(a.precision.get("text"), lang), ask=ask_key(a.precision))
                 if a.precision else None)
    right = next((c for c in choices if c.label == a.value), None) if a.kind == "choice" else None
    return AnswerView(kind=a.kind, value=tidy(a.value) if a.kind in NUMERIC else a.value, display=a.display,
                      latex=a.latex, rtol=a.rtol, atol=a.atol, shape=a.shape, precision=precision, tol=a.tol,
                      choice=choice(right, lang, distractors, words) if right else None)


def distractors(ds, lang: str | None = None, tidy=clean, words=None) -> tuple:
    """The numeric distractors (those a page can show as a value); `words` as for `choice`."""
    words = words or worded(ds, lang)
    return tuple(DistractorView(tidy(d.value), d.mistake, *said, d.tol)
                 for d, said in zip(ds, words) if isinstance(d.value, (int, float, list)))


def parts(q: Question, box: dict, lang: str | None = None, tidy=clean) -> tuple:
    """Each part's view; its box is the one the record's layout gives it (a plain box if none)."""
    boxes = list(box.get("parts") or [])
    return tuple(PartView(name=p.name, label=p.label, asked=p.asked, asked_text=say(p.asked_text, lang),
                          points=p.points, answer=answer_of(p.answer, lang=lang, tidy=tidy),
                          box=dict(boxes[i]) if i < len(boxes) else {"kind": "number"},
                          distractors=distractors(p.distractors, lang, tidy))
                 for i, p in enumerate(q.parts))


def view(q: Question, lang: str | None = None, cleaned: bool = True) -> QuestionView:
    """The view model of one question, its prose worded in `lang` (default: the language in use).
    cleaned=False keeps the record's values as they are, for a writer that prints every number
    through render.numbers.fmt (which writes float noise as 0 itself): nothing reads the copy."""
    lang = lang or current()
    box = answer_box(q)
    tidy = clean if cleaned else _as_is
    words = worded(q.distractors, lang)
    return QuestionView(
        title=say(q.title, lang), prompt=say(q.prompt, lang), hints=tuple(say(h, lang) for h in q.hints),
        given=tuple(GivenView(g.name, g.latex, tidy(g.value), g.approx) for g in q.given),
        choices=tuple(choice(c, lang, q.distractors, words) for c in q.choices),
        steps=tuple(step(s, i, lang, tidy) for i, s in enumerate(shown_steps(q), start=1)),
        answer=answer_of(q.answer, q.choices, q.distractors, lang, tidy, words),
        distractors=distractors(q.distractors, lang, tidy, words), box=box, space_cm=space_cm(q),
        parts=parts(q, box, lang, tidy), words=words)
