"""Question records -> what the study site's templates and scripts need (MathML inline, typeset
bare: without the xmlns that site pages drop anyway).

Reads the Question record only; numbers are typeset from their values, never re-parsed.
`entry()` is the small, picklable summary of a question that the collection pages (index,
family pages, practice, flashcards) are built from, so worker processes return it instead
of the whole record.
"""

from __future__ import annotations

from dataclasses import replace

from markupsafe import Markup, escape

from quizgen.bank.question import Question, question_id, typed_shape, whole_number
from quizgen import messages
from quizgen.messages import t
from quizgen.present.words import say
from quizgen.present import view as present
from quizgen.present.math import equals, md, parts, tex, value
from quizgen.render.numbers import example_answer, fmt
from quizgen.writers import site_env
from quizgen.writers.site_env import View, macros

NUMERIC = present.NUMERIC
PRACTICE_VARIANTS = 3  # variants per family embedded in practice.html (keeps the page small)
CARD_VARIANTS = 3  # activation_derivative variants per family that become numeric flashcards


def given(v: present.QuestionView) -> list[dict]:
    """Each given as one formula `W^{[1]} = [matrix]`, with ≈ for values the prompt rounded."""
    return [View(math=equals(g.latex, g.value, g.approx, bare=True), approx=g.approx) for g in v.given]


def choices(v: present.QuestionView) -> list[dict]:
    return [View(label=c.label, html=md(c.text, inline=True, bare=True)) for c in v.choices]


def shape_text(shape: list[int] | None, m: dict) -> str:
    if not shape:
        return ""
    if len(shape) == 1:
        return m["shape_vector"].format(n=shape[0])
    return m["shape_matrix"].format(rows=shape[0], cols=shape[1])


def step(s: present.StepView, m: dict) -> dict:
    """One worked step: the rule, the rule with this variant's numbers, the result, its shape."""
    symbolic = tex(s.symbolic, display=True, bare=True) if s.symbolic else None
    worked = result = None
    if s.numbers:
        items = s.parts
        if s.result is not None and not s.shows_result:
            items = (*items, {"tex": "="}, {"num": s.result})
        worked = parts(items, bare=True)
    else:
        if s.rewritten:
            worked = parts(s.parts, bare=True)
        if s.result is not None:
            result = value(s.result, display=True, bare=True)
    return View(number=s.number, label=m.step_n.format(n=s.number), title=s.title, symbolic=symbolic,
                worked=worked, result=result, shape=shape_text(s.shape, m), explanation=s.explanation)


def _format_example(shape) -> dict:
    """An example answer of exactly the asked shape (issue 14: not "[1, 2]" for 3 numbers)."""
    bracketed, plain = example_answer(shape)
    return {"bracketed": bracketed, "plain": plain}


def format_hint(q: Question, m: dict) -> str:
    a = q.answer
    if a.kind == "choice":
        labels = [c.label for c in q.choices] or ["A"]
        return m["format_choice"].format(first=labels[0], last=labels[-1])
    shape = typed_shape(a.shape) if a.kind in ("vector", "matrix") else []
    if len(shape) == 2:
        return m["format_matrix"].format(rows=shape[0], cols=shape[1], **_format_example(shape))
    if shape:
        key = "format_vector_one" if shape[0] == 1 else "format_vector"
        return m[key].format(n=shape[0], **_format_example(shape))
    return m["format_whole" if whole_number(q) else "format_number"]


def tolerance(a: present.AnswerView, m: dict) -> str:
    if a.kind in NUMERIC and a.precision:  # what is asked, the same statement as the prompt's
        p = a.precision
        return t(p.get("ask") or f"answer.ask_{p['rule']}", digits=p["digits"], text=say(p["text"]))
    if a.kind not in NUMERIC or (not a.rtol and not a.atol):
        return ""
    if a.rtol and a.atol:
        return m["tolerance_both"].format(percent=fmt(a.rtol * 100), atol=fmt(a.atol))
    if a.rtol:
        return m["tolerance_rel"].format(percent=fmt(a.rtol * 100))
    return m["tolerance_abs"].format(atol=fmt(a.atol))


def final_answer(v: present.QuestionView) -> Markup:
    a = v.answer
    if a.kind == "choice":
        text = md(a.choice.text, inline=True, bare=True) if a.choice else ""
        return Markup(f"<strong>{escape(a.value)}</strong> {text}")
    return value(a.value, bare=True) if a.kind in NUMERIC else md(a.latex, inline=True, bare=True)


def grading(q: Question, m: dict | None = None, words=None) -> dict:
    """What QuizgenGrader.grade needs, embedded as JSON next to the answer box (the record's
    values, untouched: what is graded; its prose worded, or `words`: the view's own wording of
    the distractors, present.view.worded); a multi-part question adds its parts for gradeParts
    (templates/static/js/parts.js)."""
    out = _graded(q.answer, q.choices, q.distractors, words)
    if q.parts:
        out["parts"] = [dict(_graded(p.answer, [], p.distractors), name=p.name, label=p.label, asked=p.asked_text,
                             points=p.points, carry=p.carry,
                             format=format_hint(replace(q, answer=p.answer), m) if m else "")
                        for p in q.parts]
    return out


def _graded(a, choices, distractors, words=None) -> dict:
    answer = {"kind": a.kind, "value": a.value, "rtol": a.rtol, "atol": a.atol, "shape": a.shape,
              "precision": dict(a.precision, text=say(a.precision.get("text"))) if a.precision else a.precision,
              "tol": a.tol}
    if a.kind == "choice":
        answer["choices"] = [{"label": c.label, "mistake": c.mistake} for c in choices]
    return {"answer": answer,
            "distractors": [{"value": d.value, "mistake": d.mistake, "name": name,
                             "explanation": explanation, "tol": d.tol, "credit": d.credit}
                            for d, (name, explanation) in zip(distractors, words or present.worded(distractors))]}


def part_answers(q: Question, m: dict) -> list[dict]:
    """Each part's key on a question page: its label, what it asks, its points and its value."""
    return [View(label=p.label, asked=md(f"${p.asked}$", inline=True, bare=True), points=fmt(p.points),
                 points_label=m["part_points"].format(n=fmt(p.points)), answer=value(p.answer.value, bare=True),
                 display=p.answer.display, tolerance=say(p.answer.precision.get("text")) if p.answer.precision else "")
            for p in q.parts]


def wrong_answers(v: present.QuestionView) -> list[dict]:
    return [View(name=d.name, explanation=d.explanation, value=value(d.value, bare=True)) for d in v.distractors]


def question_page(q: Question, variants: int, m: dict) -> dict:
    """The template context of questions/<id>.html; `labels` are its sentences worded here, once,
    rather than by a template call per use, and `body` (prompt, givens, options) is the practice
    pool's body too."""
    v = present.view(q, cleaned=False)  # every value here is printed through fmt (noise as 0)
    prev = question_id(q.family, q.bank_seed, q.index - 1) if q.index > 0 else None
    nxt = question_id(q.family, q.bank_seed, q.index + 1) if q.index + 1 < variants else None
    prompt, shown, options = md(v.prompt, scroll=True, bare=True), given(v), choices(v)
    any_approx = any(g.approx for g in v.given)
    steps = [step(s, m) for s in v.steps]
    variant = q.index + 1
    labels = View(variant=m.variant_n.format(n=variant), variant_of=m.variant_of.format(n=variant, count=variants),
                  difficulty=difficulty(m, q.difficulty), tags=tags(m, q.tags),
                  notation=m.get(f"notation_{q.notation}", q.notation) if q.notation else "",
                  solution=m.solution_nojs.format(n=len(steps)), shape=m.colon.format(label=m.shape),
                  as_typed=m.colon.format(label=m.as_typed), colon=m.colon.format(label=""))
    return {
        "q": q, "prompt": prompt, "given": shown, "choices": options, "any_approx": any_approx,
        "body": macros().body(m, prompt, shown, options, any_approx), "hints": list(v.hints), "steps": steps,
        "answer": final_answer(v), "answer_display": v.answer.display if v.answer.kind in NUMERIC else "",
        "tolerance": tolerance(v.answer, m), "wrong": wrong_answers(v), "format": format_hint(q, m),
        "grading": grading(q, m, v.words), "parts": part_answers(q, m), "variant": variant, "variants": variants, "prev": prev,
        "next": nxt, "labels": labels, "view": v,
    }


_BADGES: dict = {}
BADGES_LIMIT = 4096  # remembered difficulty and tag lists: a bank has a few hundred


def difficulty(m: dict, n: int) -> Markup:
    """macros.html's difficulty badge, made once per wording and level (it reads only these)."""
    key = ("difficulty", m["difficulty_of"], n)
    html = _BADGES.get(key)
    if html is None:
        html = _remember(key, macros().difficulty(m, n))
    return html


def tags(m: dict, items: list[str]) -> Markup:
    """macros.html's tag list, made once per wording, tags and catalog (site_env.tag_name reads
    the catalog of the language in use)."""
    key = ("tags", m["tags_label"], tuple(items), site_env.catalog, messages.current())
    html = _BADGES.get(key)
    if html is None:
        html = _remember(key, macros().tags(m, items))
    return html


def _remember(key: tuple, html: Markup) -> Markup:
    if len(_BADGES) >= BADGES_LIMIT:
        _BADGES.clear()
    _BADGES[key] = html
    return html


def _card(q: Question, m: dict, page: dict | None = None) -> dict | None:
    """A numeric flashcard (kinds whose layout asks for one): prompt in front, answer behind
    (from the question page's context `page` when given: the same view, already laid out)."""
    if not q.layout.get("flashcard") or q.index >= CARD_VARIANTS:
        return None
    if page is None:
        v = present.view(q)
        prompt, worked = md(v.prompt, scroll=True, bare=True), [step(s, m)["worked"] for s in v.steps]
    else:
        v, prompt, worked = page["view"], page["prompt"], [s["worked"] for s in page["steps"]]
    return {"id": f"n-{q.id}", "kind": "number", "front": str(prompt),
            "back": str(value(v.answer.value, display=True)), "worked": [str(w) for w in worked if w],
            "href": f"questions/{q.id}.html"}


def entry(q: Question, m: dict, body: str | None = None, page: dict | None = None) -> dict:
    """The summary of a question the collection pages are built from (plain, picklable);
    `page`, the question page's context, saves laying the question out again."""
    title = page["view"].title if page else say(q.title)
    words = page["view"].words if page else present.worded(q.distractors)
    practice = None
    if q.index < PRACTICE_VARIANTS and body is not None:  # its body, and its JSON for practice.html's pool
        practice = {"id": q.id, "topic": q.topic, "difficulty": q.difficulty, "body": body, "json": site_env.json_text({
            "id": q.id, "topic": q.topic, "difficulty": q.difficulty, "title": title,
            "format": page["format"] if page else format_hint(q, m),
            "tolerance": page["tolerance"] if page else tolerance(present.answer(q), m),
            **(page["grading"] if page else grading(q, m))})}
    return {"id": q.id, "family": q.family, "index": q.index, "title": title, "topic": q.topic,
            "tags": list(q.tags), "difficulty": q.difficulty, "kind": q.kind, "source": q.source,
            "notation": q.notation, "answer_kind": q.answer.kind, "practice": practice, "card": _card(q, m, page),
            "mistakes": [(d.mistake, name, explanation, _example(q, d.value))
                         for d, (name, explanation) in zip(q.distractors, words)
                         if d.name and d.explanation and not d.also]}  # a card names one mistake


def _example(q: Question, wrong) -> dict | None:
    """The right and the mistaken value of a one-number question, for a mistake card's note."""
    if q.answer.kind == "number" and isinstance(wrong, (int, float)) and isinstance(q.answer.value, (int, float)):
        return {"right": fmt(q.answer.value), "wrong": fmt(wrong)}
    return None
