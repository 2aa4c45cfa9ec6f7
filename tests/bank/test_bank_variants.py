"""Every shipped family makes valid questions; what a question shows is exactly what it grades."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from bankcheck import NUMERIC, ROOT, allclose, family, family_ids, network_of, questions

from quizgen.bank.generate import variant
from quizgen.bank.kinds.base import ROLES
from quizgen.bank.question import SCHEMA, Question
from quizgen.bank.spec import GRIDS
from quizgen.engine import parse_activation, solve
from quizgen.engine.backprop import backward
from quizgen.engine.tape import LayerTape, Tape
from quizgen.render.numbers import round_sig

KEYS = {"id", "family", "seed", "index", "bank_seed", "kind", "title", "summary", "topic", "tags", "difficulty", "source",
        "notation", "prompt", "given", "problem", "target", "answer", "choices", "distractors", "steps", "hints", "layout"}
ANSWER_KINDS = {"number": 0, "vector": 1, "matrix": 2}


@pytest.mark.parametrize("fid", family_ids())
def test_family_generates_valid_records(fid):
    f = family(fid)
    for i, q in enumerate(questions(fid)):
        assert q.id == f"{fid}--s0-v{i}" and (q.family, q.index, q.bank_seed) == (fid, i, 0)
        assert (q.kind, q.title, q.summary, q.difficulty, q.topic) == (f.kind, f.title, f.summary, f.difficulty, f.topic)
        d = q.to_dict()
        assert set(d) == KEYS | ({"parts"} if q.kind == "multipart" else set())
        text = json.dumps({"schema": SCHEMA, "questions": [d]}, allow_nan=False)  # strict JSON: no NaN/inf
        assert Question.from_dict(json.loads(text)["questions"][0]) == q
        assert q.prompt and "{{" not in q.prompt and "{%" not in q.prompt
        assert q.steps and all(s.title and s.explanation for s in q.steps)
        assert all(s.role in ROLES for s in q.steps), [s.role for s in q.steps]  # schema 2: every step says what it does


@pytest.mark.parametrize("fid", family_ids())
def test_answer_record_is_consistent(fid):
    for q in questions(fid):
        a = q.answer
        assert a.rtol >= 0 and a.atol >= 0 and a.display and a.latex
        if a.kind in ANSWER_KINDS:
            arr = np.asarray(a.value, dtype=float)
            assert arr.ndim == ANSWER_KINDS[a.kind] and list(arr.shape) == a.shape
            assert np.all(np.isfinite(arr))
        elif a.kind == "choice":
            correct = [c.label for c in q.choices if c.correct]
            assert correct == [a.value]
            assert [c.label for c in q.choices] == list("ABCDEFGH"[: len(q.choices)])
            assert len({c.text for c in q.choices}) == len(q.choices), "two choices read the same"
        else:
            assert a.kind == "matrix" and q.kind == "shapes_table"


@pytest.mark.parametrize("fid", family_ids(NUMERIC))
def test_worked_solution_ends_at_the_answer(fid):
    """The last step's result is the graded answer (an entry question reads it off the matrix)."""
    for q in questions(fid):
        assert allclose(q.steps[-1].result, q.answer.value, 1e-12, 1e-12), q.id


# -- what is shown is what is graded -------------------------------------------------------
def on_grid(values, lo: float, hi: float, step: float, nonzero: bool) -> bool:
    arr = np.asarray(values, dtype=float)
    k = arr / step
    return bool(np.all(np.abs(k - np.round(k)) < 1e-9) and np.all((arr >= lo - 1e-12) & (arr <= hi + 1e-12))
                and (not nonzero or np.all(arr != 0)))


@pytest.mark.parametrize("fid", family_ids(NUMERIC + ("gradient_check", "find_error")))
def test_given_data_lie_on_the_family_grid_and_are_what_is_solved(fid):
    f = family(fid)
    step = GRIDS[f.grid]
    for q in questions(fid):
        problem = q.problem
        shown = {g.name: g for g in q.given}
        assert np.array_equal(shown["X"].value, problem["X"])
        assert on_grid(problem["X"], *f.ranges["X"], step, nonzero=True)
        for l, layer in enumerate(problem["layers"], start=1):
            if f"W{l}" not in shown:  # a forward question shows the layers up to the asked one
                assert q.kind == "forward_value"
                continue
            assert np.array_equal(shown[f"W{l}"].value, layer["W"])
            assert on_grid(layer["W"], *f.ranges["W"], step, f.nonzero_weights)
            if f.bias:
                assert np.array_equal(np.ravel(shown[f"b{l}"].value), layer["b"])
                assert on_grid(layer["b"], *f.ranges["b"], step, nonzero=False)
            else:
                assert "b" not in layer and f"b{l}" not in shown
        Y = np.asarray(problem["Y"], dtype=float)
        if "Y" in shown:
            assert np.array_equal(shown["Y"].value, problem["Y"])
        if f.labels == "one_hot" or problem["loss"] == "cross_entropy":
            assert set(np.unique(Y)) <= {0.0, 1.0}
            assert np.all(Y.sum(axis=1 if q.notation == "row" else 0) == 1)
        elif f.labels == "binary":
            assert set(np.unique(Y)) <= {0.0, 1.0}
        else:
            assert on_grid(Y, *f.ranges["X"], step, nonzero=False)
        if f.learning_rate is not None:
            assert shown["eta"].value == problem["learning_rate"] == f.learning_rate


@pytest.mark.parametrize("fid", family_ids(NUMERIC))
def test_approximate_givens_are_the_rounded_engine_values(fid):
    for q in questions(fid):
        tape = solve(network_of(q))
        for g in q.given:
            if g.approx:
                l = int(g.name[1:])
                exact = tape.network.notation.orient(tape.layers[l - 1].A)
                assert np.array_equal(np.asarray(g.value), round_sig(exact, 4)), (q.id, g.name)


@pytest.mark.parametrize("fid", family_ids(("activation_derivative",)))
def test_activation_point_is_on_the_grid_and_its_value_rounded(fid):
    f = family(fid)
    for q in questions(fid):
        shown = {g.name: g for g in q.given}
        z = shown["z"].value
        assert on_grid(z, *f.z_range, GRIDS[f.grid], nonzero=True)
        if "a" in shown:
            assert shown["a"].approx
            acts = [parse_activation(a) for a in f.ask_activation]
            values = [round_sig(act.forward(np.array([[z]]))[0, 0], 4) for act in acts]
            assert shown["a"].value in values


def student_tape(q: Question) -> Tape:
    """The backward pass a student does from the rounded activations the question supplies."""
    net = network_of(q)
    exact = solve(net)
    rounded = {int(g.name[1:]): net.notation.orient(np.asarray(g.value, dtype=float)) for g in q.given if g.approx}
    records, A = [], net.X
    for l, t in enumerate(exact.layers, start=1):
        H = list(t.H)
        if l in rounded:
            H[-1] = rounded[l]
        records.append(LayerTape(A_prev=A, Z=t.Z, H=H))
        A = H[-1]
    dX = backward(net, records)
    return Tape(network=net, layers=records, loss=exact.loss, dX=dX)


@pytest.mark.parametrize("fid", family_ids(("output_delta", "gradient_entry", "gradient_matrix", "sgd_update")))
def test_working_from_the_rounded_givens_is_graded_right(fid):
    """A student who uses the supplied 4-digit activations lands inside the answer's tolerance."""
    for q in questions(fid):
        if not any(g.approx for g in q.given):
            continue
        value = student_tape(q).value_at(q.target)
        assert allclose(value, q.answer.value, q.answer.rtol, q.answer.atol), q.id


# -- docs/schema.md ------------------------------------------------------------------------
SCHEMA_DOC = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", sorted(KEYS))
def test_schema_doc_lists_every_field(key):
    assert f"`{key}`" in SCHEMA_DOC


def test_schema_doc_example_is_a_real_record():
    """The example is trimmed from a real export; everything it shows must still be true."""
    block = re.search(r"## Example.*?```json\n(.*?)```", SCHEMA_DOC, re.S).group(1)
    document = json.loads(block)
    assert document["schema"] == SCHEMA
    shown = document["questions"][0]
    real = json.loads(json.dumps(variant(family(shown["family"]), shown["index"], shown["bank_seed"]).to_dict()))
    assert set(shown) == KEYS
    for key in KEYS - {"distractors", "steps"}:
        assert shown[key] == real[key], key
    assert all(d in real["distractors"] for d in shown["distractors"])
    assert all(s in real["steps"] for s in shown["steps"])
