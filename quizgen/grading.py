"""Read a typed answer without eval, then grade it: tolerance, shape, partial credit, mistakes.

templates/static/js/grader.js is the same grader for the study site, written to mirror this file
function by function; tests/data/grading_cases.json is the table both must pass, so change the
two together. Every word either grader says is in quizgen/messages/<lang>/grading.toml.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Sequence
from typing import Any

from quizgen.errors import AnswerError
from quizgen.messages import t
from quizgen.messages.text import say

__all__ = ["MAX_CHARS", "format_value", "grade", "parse_answer", "plain"]

MAX_CHARS = 10_000

_WS = " \t\n\r\f\v\u00a0"  # spelled out: Python's and JavaScript's ideas of "whitespace" differ
_WS_RUN = re.compile(f"[{_WS}]+")
_SLASH = re.compile(f"[{_WS}]*/[{_WS}]*")
_TOKEN = re.compile(f"[\\[\\];,]|[^{_WS}\\[\\];,]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NONFINITE = re.compile(r"[+-]?(?:[Nn][Aa][Nn]|[Ii][Nn][Ff](?:[Ii][Nn][Ii][Tt][Yy])?)")
_CHOICE = re.compile(r"\(?([A-Ha-h])\)?")
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]+")
# What a Chinese input method types for the ASCII an answer is written in: the full-width forms
# U+FF01–FF5E (０-９ ［］ （） ， ； ． － ／ ｅ Ａ-Ｈ ...), the ideographic space, comma 、 and full
# stop 。 (the period key in Chinese punctuation mode), 【】 (its bracket keys), and the minus sign −.
_PLAIN = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_PLAIN.update({0x3000: ord(" "), 0x3001: ord(","), 0x3002: ord("."), 0x3010: ord("["), 0x3011: ord("]"),
               0x2212: ord("-")})


# --- reading --------------------------------------------------------------------------------


def plain(text: str) -> str:
    """`text` with full-width digits, brackets and punctuation (and 、 。 【】 −) read as ASCII."""
    return text.translate(_PLAIN)


def parse_answer(text: str, lang: str | None = None) -> dict:
    """Read typed input as {kind, value, shape}; raise AnswerError naming what was not understood."""
    if not isinstance(text, str):
        raise AnswerError(t("grading.not_text", lang))
    if len(text) > MAX_CHARS:
        raise AnswerError(t("grading.too_long", lang, length=len(text), limit=MAX_CHARS))
    s = plain(text).strip(_WS)
    if not s:
        raise AnswerError(t("grading.nothing_typed", lang, accepted=t("grading.accepted", lang)))
    letter = _CHOICE.fullmatch(s)
    if letter:
        return {"kind": "choice", "value": letter.group(1).upper(), "shape": None}
    tokens = _TOKEN.findall(_SLASH.sub("/", s))
    rows, form = _structure(text, tokens, lang)
    if form == "matrix":
        values = [_row(text, row, t("grading.part_row", lang, row=i + 1), lang) for i, row in enumerate(rows)]
        for i, row in enumerate(values[1:], start=2):
            if len(row) != len(values[0]):
                _fail(text, t("grading.row_lengths_differ", lang, row=i, count=len(row), first=len(values[0])), lang)
        return {"kind": "matrix", "value": values, "shape": [len(values), len(values[0])]}
    values = _row(text, rows[0], t("grading.part_answer", lang), lang)
    if form == "flat" and len(values) == 1:
        return {"kind": "number", "value": values[0], "shape": []}
    return {"kind": "vector", "value": values, "shape": [len(values)]}


def _structure(text: str, tokens: list[str], lang: str) -> tuple[list[list[str]], str]:
    """Split tokens into rows; the form is "flat" (no brackets), "vector" or "matrix"."""
    if "[" not in tokens and "]" not in tokens:
        rows = _split(tokens, ";")
        return rows, ("matrix" if len(rows) > 1 else "flat")
    depth = deepest = 0
    for i, token in enumerate(tokens):
        if token == "[":
            depth += 1
            deepest = max(deepest, depth)
        elif token == "]":
            depth -= 1
            if depth < 0:
                _fail(text, t("grading.unmatched_close", lang), lang)
            if depth == 0 and i != len(tokens) - 1:
                _fail(text, t("grading.brackets_must_enclose", lang), lang)
    if depth > 0:
        _fail(text, t("grading.never_closed", lang), lang)
    if tokens[0] != "[":
        _fail(text, t("grading.brackets_must_enclose", lang), lang)
    if deepest > 2:
        _fail(text, t("grading.too_many_brackets", lang), lang)
    inner = tokens[1:-1]
    if not inner:
        _fail(text, t("grading.empty_brackets", lang), lang)
    if deepest == 1:
        return (_split(inner, ";"), "matrix") if ";" in inner else ([inner], "vector")
    rows: list[list[str]] = []
    last = "sep"
    i = 0
    while i < len(inner):
        token = inner[i]
        if token == "[":
            end = inner.index("]", i)  # at most two levels, so the next ] closes this row
            rows.append(inner[i + 1 : end])
            i, last = end + 1, "row"
            continue
        if token not in (",", ";"):
            _fail(text, t("grading.outside_inner_brackets", lang, atom=_quote(token, lang)), lang)
        if last != "row":
            _fail(text, t("grading.row_missing_between", lang), lang)
        i, last = i + 1, "sep"
    if last != "row":
        _fail(text, t("grading.row_missing_after", lang), lang)
    return rows, "matrix"


def _split(tokens: list[str], sep: str) -> list[list[str]]:
    rows: list[list[str]] = [[]]
    for token in tokens:
        if token == sep:
            rows.append([])
        else:
            rows[-1].append(token)
    return rows


def _row(text: str, tokens: list[str], part: str, lang: str) -> list[float]:
    """Entries separated by spaces and/or single commas; `part` names the row in messages."""
    values: list[float] = []
    last = ","  # as if a comma came before the first entry
    for token in tokens:
        if token == ",":
            if last == ",":
                _fail(text, t("grading.empty_entry", lang, part=part), lang)
            last = ","
        elif token == ";":
            _fail(text, t("grading.semicolon_in_brackets", lang, part=part), lang)
        else:
            values.append(_number(text, token, lang))
            last = "number"
    if not values:
        _fail(text, t("grading.part_empty", lang, part=part), lang)
    if last == ",":
        _fail(text, t("grading.empty_entry", lang, part=part), lang)
    return values


def _number(text: str, atom: str, lang: str) -> float:
    """One entry: integer, decimal, scientific notation or a fraction of two of those."""
    if _NONFINITE.fullmatch(atom):
        _fail(text, t("grading.not_finite", lang, atom=_quote(atom, lang)), lang)
    parts = atom.split("/")
    if len(parts) > 2 or not all(_NUMBER.fullmatch(p) for p in parts):
        _fail(text, t("grading.not_a_number", lang, atom=_quote(atom, lang)), lang)
    value = float(parts[0])
    if len(parts) == 2:
        denominator = float(parts[1])
        if denominator == 0:
            _fail(text, t("grading.divides_by_zero", lang, atom=_quote(atom, lang)), lang)
        value = value / denominator
    if not math.isfinite(value):
        _fail(text, t("grading.too_large", lang, atom=_quote(atom, lang)), lang)
    return value


def _quote(atom: str, lang: str, limit: int = 20) -> str:
    shown = atom if len(atom) <= limit else atom[:limit] + t("grading.ellipsis", lang)
    return t("grading.quoted", lang, text=shown)


def _snippet(text: str, lang: str) -> str:
    return _quote(_WS_RUN.sub(" ", text.strip(_WS)), lang, 40)


def _fail(text: str, reason: str, lang: str):
    accepted = t("grading.accepted", lang)
    raise AnswerError(t("grading.unreadable", lang, snippet=_snippet(text, lang), reason=reason, accepted=accepted))


def format_value(value: Any) -> str:
    """A number, vector or matrix as a student would type it: "[[1, 2], [3, 4]]"."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    x = float(value)
    if math.isfinite(x) and x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    return repr(x)


# --- grading --------------------------------------------------------------------------------


def grade(answer: Any, distractors: Sequence[Any], text: str, lang: str | None = None) -> dict:
    """Grade typed `text` against an Answer (record or dict) and its Distractors.

    Returns {correct, score, message, mistake, mistake_name, explanation, wrong_entries,
    expected_shape, parse_error}. Never raises on the text; a malformed answer is a ValueError.
    In order: correct; the right value given to fewer digits than asked; a catalogued wrong
    answer (its credit, 0 unless the record says otherwise); else the share of the informative
    entries that are right (entries where a catalogued wrong answer agrees with the right one
    say nothing about the student's work).
    """
    kind = _get(answer, "kind")
    if kind == "choice":
        return _grade_choice(answer, distractors or [], text, lang)
    if kind not in ("number", "vector", "matrix"):
        raise ValueError(f"cannot grade an answer of kind {kind!r}")
    want = _array(_get(answer, "value"), _get(answer, "shape"))
    if want is None:
        raise ValueError(f"answer value is not a number, vector or matrix: {_get(answer, 'value')!r}")
    rtol, atol = float(_get(answer, "rtol") or 0.0), float(_get(answer, "atol") or 0.0)
    tol = _tolerances(_get(answer, "tol"), want[0], rtol, atol)
    shape = want[1]
    try:
        parsed = parse_answer(text, lang)
    except AnswerError as exc:
        return _verdict(message=exc.message, expected_shape=shape, parse_error=True)
    if parsed["kind"] == "choice":
        reason = t("grading.expected_not_letter", lang, expected=_describe(shape, lang))
        message = t("grading.unreadable_here", lang, snippet=_snippet(text, lang), reason=reason)
        return _verdict(message=message, expected_shape=shape, parse_error=True)
    got = _array(parsed["value"])
    hits = _hits(want, got, tol)
    if hits is not None and all(hits):
        return _verdict(correct=True, score=1.0, message=t("grading.correct", lang), expected_shape=shape)
    distractors = distractors or []
    size = len(want[0])
    wrong = [_index(i, shape) for i, hit in enumerate(hits) if not hit] if hits and shape else []
    precision = _get(answer, "precision")
    if hits is not None and _rounded_short(want[0], got[0], hits, precision):
        message = t("grading.give_precision", lang, precision=str(say(_get(precision, "text"), lang)))
        return _verdict(message=message, wrong_entries=wrong, expected_shape=shape)
    cap = max(tol, default=0.0) if _exact_whole(precision, want[0]) else None
    found = _match_distractor(distractors, got, rtol, atol, cap)
    if found is not None:
        message = _mistake_message(found, lang)
        if hits is None:
            message = t("grading.two_sentences", lang, first=message, second=_shape_message(want, got, tol, lang))
        return _verdict(
            score=float(_get(found, "credit") or 0.0),
            message=message,
            mistake=_get(found, "mistake"),
            mistake_name=say(_get(found, "name"), lang),
            explanation=say(_get(found, "explanation"), lang),
            wrong_entries=wrong,
            expected_shape=shape,
        )
    if hits is not None and _transposed(want, got, tol):
        return _verdict(message=t("grading.transposed", lang), wrong_entries=wrong, expected_shape=shape)
    informative = _informative(want, distractors, tol)
    counted = [hit for hit, use in zip(hits, informative) if use] if hits is not None else []
    score = sum(counted) / len(counted) if counted else 0.0
    if hits is None and not shape and _DECIMAL_COMMA.fullmatch(plain(text).strip(_WS)):
        expected, typed = _describe(want[1], lang), _describe(got[1], lang)
        detail = t("grading.wrong_shape_decimal_comma", lang, expected=expected, got=typed)
    elif hits is None:
        detail = _shape_message(want, got, tol, lang)
    elif size == 1:
        detail = t("grading.not_quite", lang)
    elif not any(hits):
        detail = t("grading.none_right", lang, size=size)
    else:
        detail = t("grading.some_right", lang, right=sum(hits), size=size, where=_where(wrong, lang))
    return _verdict(score=score, message=detail, wrong_entries=wrong, expected_shape=shape)


def _grade_choice(answer: Any, distractors: Sequence[Any], text: str, lang: str) -> dict:
    right = str(_get(answer, "value")).strip(_WS).upper()
    choices = _get(answer, "choices") or []
    labels = [str(_get(c, "label")).strip(_WS).upper() for c in choices]
    try:
        parsed = parse_answer(text, lang)
    except AnswerError as exc:
        if not isinstance(text, str) or len(text) > MAX_CHARS or not text.strip(_WS):
            return _verdict(message=exc.message, parse_error=True)
        parsed = {"kind": None}  # there is text, just not a letter: say what a choice looks like
    if parsed["kind"] != "choice":
        reason = t("grading.needs_letter", lang)
        message = t("grading.unreadable_here", lang, snippet=_snippet(text, lang), reason=reason)
        return _verdict(message=message, parse_error=True)
    letter = parsed["value"]
    if labels and letter not in labels:
        listed = t("grading.list_separator", lang).join(labels)
        reason = t("grading.no_such_choice", lang, letter=letter, choices=listed)
        message = t("grading.unreadable_here", lang, snippet=_snippet(text, lang), reason=reason)
        return _verdict(message=message, parse_error=True)
    if letter == right:
        return _verdict(correct=True, score=1.0, message=t("grading.correct", lang))
    mistake = next((_get(c, "mistake") for c, label in zip(choices, labels) if label == letter), None)
    if mistake:
        found = next((d for d in distractors if _get(d, "mistake") == mistake), None)
    else:
        found = next((d for d in distractors if _letter(_get(d, "value")) == letter), None)
        mistake = _get(found, "mistake") if found is not None else None
    if found is not None:
        message = _mistake_message(found, lang)
    elif mistake:
        message = t("grading.choice_mistake", lang, letter=letter, mistake=mistake)
    else:
        message = t("grading.not_quite", lang)
    return _verdict(
        message=message,
        mistake=mistake or None,
        mistake_name=say(_get(found, "name"), lang) if found is not None else None,
        explanation=say(_get(found, "explanation"), lang) if found is not None else None,
    )


def _verdict(*, correct=False, score=0.0, message, mistake=None, mistake_name=None, explanation=None,
             wrong_entries=(), expected_shape=None, parse_error=False) -> dict:  # fmt: skip
    return {
        "correct": correct,
        "score": float(score),
        "message": message,
        "mistake": mistake,
        "mistake_name": mistake_name,
        "explanation": explanation,
        "wrong_entries": list(wrong_entries),
        "expected_shape": None if expected_shape is None else list(expected_shape),
        "parse_error": parse_error,
    }


def _get(obj: Any, key: str) -> Any:
    """A field of a record or of its to_dict() form."""
    return obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)


def _letter(value: Any) -> str | None:
    return value.strip(_WS).upper() if isinstance(value, str) else None


def _array(value: Any, shape: Any = None) -> tuple[list[float], list[int]] | None:
    """(entries in row-major order, shape) of a number, list or list of lists; None if not one."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if _is_number(value):
        flat, dims = [float(value)], []
    elif isinstance(value, (list, tuple)) and value and all(_is_number(v) for v in value):
        flat, dims = [float(v) for v in value], [len(value)]
    elif (
        isinstance(value, (list, tuple))
        and value
        and all(isinstance(r, (list, tuple)) and r and len(r) == len(value[0]) for r in value)
        and all(_is_number(v) for r in value for v in r)
    ):
        flat, dims = [float(v) for r in value for v in r], [len(value), len(value[0])]
    else:
        return None
    if len(dims) == 1 and isinstance(shape, (list, tuple)) and len(shape) == 2 and shape[0] * shape[1] == len(flat):
        dims = [int(shape[0]), int(shape[1])]  # a matrix stored flat, with its shape beside it
    return flat, dims


def _is_number(v: Any) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def _tolerances(tol: Any, want_flat: list[float], rtol: float, atol: float) -> list[float]:
    """Per-entry tolerance: the record's `tol` (a number, or the value's shape), else atol + rtol·|v|."""
    if tol is not None:
        if hasattr(tol, "tolist"):
            tol = tol.tolist()
        if _is_number(tol):
            return [float(tol)] * len(want_flat)
        flat = _array(tol)
        if flat is not None and len(flat[0]) == len(want_flat):
            return flat[0]
    return [atol + rtol * abs(v) for v in want_flat]


def _hits(want, got, tol: list[float]) -> list[bool] | None:
    """Entry-by-entry closeness, |x - v| <= tol; None if the shapes cannot line up."""
    (want_flat, want_shape), (got_flat, got_shape) = want, got
    if want_shape != got_shape:
        if len(want_shape) == 2 and len(got_shape) == 2:
            return None  # two explicit matrices: orientation matters
        if not (_vector_like(want_shape) and _vector_like(got_shape) and len(want_flat) == len(got_flat)):
            return None
    return [abs(x - v) <= e for x, v, e in zip(got_flat, want_flat, tol)]


def _rounded_short(want_flat: list[float], got_flat: list[float], hits: list[bool], precision: Any) -> bool:
    """Every entry right or the right value rounded to fewer digits than asked (but to two
    significant figures at least), at least one short."""
    rule, digits = _get(precision, "rule"), _get(precision, "digits")
    if rule not in ("sig", "dec", "exact") or not isinstance(digits, int) or isinstance(digits, bool):
        return False
    digits = min(digits, _MAX_DIGITS)
    short = False
    for x, v, hit in zip(got_flat, want_flat, hits):
        if hit:
            continue
        near = (v * (1 - _TIE), v * (1 + _TIE))  # a value exactly halfway rounds either way
        if rule == "sig":
            tries = [_round_sig(u, k) for k in range(2, digits) for u in near]
        else:  # roundings that keep at least two significant figures
            first = max(0, 1 - math.floor(math.log10(abs(v)))) if v else 0
            tries = [_round_dec(u, k) for k in range(first, digits if rule == "dec" else _EXACT_DECIMALS) for u in near]
        if not any(abs(x - r) <= 1e-9 * max(1.0, abs(r)) for r in tries):
            return False
        short = True
    return short


_EXACT_DECIMALS = 9  # decimals tried when an exact answer was typed rounded
_TIE = 1e-12  # relative nudge that sends a halfway value to each of its two roundings
_MAX_DIGITS = 17  # a double holds no more; a record asking for more is read as asking for 17


def _round_dec(v: float, k: int) -> float:
    """v rounded half away from zero to k decimals (the same arithmetic as grader.js)."""
    if k > 300:
        return math.nan  # a subnormal answer: no rounding of it is worth comparing with
    scale = 10.0**k
    if not math.isfinite(abs(v) * scale + 0.5):
        return math.nan  # beyond a double's range: no rounding to compare with
    return math.copysign(math.floor(abs(v) * scale + 0.5), v) / scale


def _round_sig(v: float, k: int) -> float:
    """v rounded half away from zero to k significant figures."""
    if v == 0:
        return 0.0
    shift = k - 1 - math.floor(math.log10(abs(v)))
    if shift >= 0:
        return _round_dec(v, shift)
    scale = 10.0**-shift
    return math.copysign(math.floor(abs(v) / scale + 0.5), v) * scale  # |v| ≥ 10^k here: finite


def _transposed(want, got, tol: list[float]) -> bool:
    """A square matrix typed as the transpose of the right one (and not symmetric)."""
    (_, shape), (got_flat, _) = want, got
    if len(shape) != 2 or shape[0] != shape[1] or shape[0] < 2:
        return False
    n = shape[0]
    back = [got_flat[j * n + i] for i in range(n) for j in range(n)]
    return all(_hits(want, (back, shape), tol))


def _informative(want, distractors: Sequence[Any], tol: list[float]) -> list[bool]:
    """Entries where no catalogued wrong answer agrees with the right one."""
    want_flat = want[0]
    use = [True] * len(want_flat)
    for distractor in distractors:
        value = _array(_get(distractor, "value"))
        if value is None or len(value[0]) != len(want_flat):
            continue
        for i, (d, v, e) in enumerate(zip(value[0], want_flat, tol)):
            if abs(d - v) <= e:
                use[i] = False
    return use


def _vector_like(shape: list[int]) -> bool:
    return len(shape) < 2 or min(shape) == 1


def _index(i: int, shape: list[int]) -> list[int]:
    return [i] if len(shape) == 1 else [i // shape[1], i % shape[1]]


def _where(wrong: list[list[int]], lang: str, limit: int = 6) -> str:
    parts = [
        t("grading.entry", lang, index=w[0] + 1) if len(w) == 1 else t("grading.cell", lang, row=w[0] + 1, col=w[1] + 1)
        for w in wrong[:limit]
    ]
    if len(wrong) > limit:
        parts.append(t("grading.ellipsis", lang))
    return t("grading.list_separator", lang).join(parts)


def _describe(shape: list[int], lang: str) -> str:
    if not shape:
        return t("grading.a_number", lang)
    if len(shape) == 1:
        return t("grading.a_vector", lang, length=shape[0])
    return t("grading.a_matrix", lang, rows=shape[0], cols=shape[1])


def _shape_message(want, got, tol: list[float], lang: str) -> str:
    (_, want_shape), (got_flat, got_shape) = want, got
    expected = _describe(want_shape, lang)
    if len(want_shape) != 2 or len(got_shape) != 2:
        return t("grading.wrong_shape", lang, expected=expected, got=_describe(got_shape, lang))
    typed = t("grading.dims", lang, rows=got_shape[0], cols=got_shape[1])
    rows, cols = want_shape
    if got_shape == [cols, rows]:
        transposed = [got_flat[j * rows + i] for i in range(rows) for j in range(cols)]  # (rows, cols)
        if all(_hits(want, (transposed, want_shape), tol)):
            return t("grading.wrong_shape_transposed", lang, expected=expected, got=typed)
    return t("grading.wrong_shape", lang, expected=expected, got=typed)


def _mistake_message(distractor: Any, lang: str) -> str:
    name = str(say(_get(distractor, "name"), lang) or "").strip(_WS).rstrip(".")
    mistake = _get(distractor, "mistake")
    if name:
        return t("grading.mistake_named", lang, name=name)
    return t("grading.mistake_unnamed", lang, mistake=mistake) if mistake else t("grading.not_quite", lang)


def _exact_whole(precision: Any, want_flat: list[float]) -> bool:
    """An exact answer whose every entry is a whole number (a count, a length, a shape)."""
    return _get(precision, "rule") == "exact" and all(math.isfinite(v) and v == round(v) for v in want_flat)


def _match_distractor(distractors: Sequence[Any], got, rtol: float, atol: float, cap: float | None = None) -> Any:
    """The first distractor whose every entry is within its tolerance of the student's. `cap`
    (an exact whole-number answer: its own largest tolerance): a whole-number mistake is named
    only for its exact value, whatever tolerance the record carries: 209600 is not the count
    that forgets the biases, 209650."""
    for distractor in distractors:
        value = _array(_get(distractor, "value"))
        if value is None:
            continue
        tol = _tolerances(_get(distractor, "tol"), value[0], rtol, atol)
        if cap is not None and all(math.isfinite(v) and v == round(v) for v in value[0]):
            tol = [min(e, cap) for e in tol]
        hits = _hits(value, got, tol)
        if hits is not None and all(hits):
            return distractor
    return None
