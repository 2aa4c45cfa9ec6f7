"""An activation is one registry entry: registering a toy one (swish) is all it takes to solve,
check, typeset, print and generate questions with it. Guards against facets drifting back into
`if name ==` chains elsewhere (which would leave the toy unsolvable, untypeset or unasked)."""

import numpy as np
import pytest

from quizgen.bank.generate import variant
from quizgen.bank.latex import act_tex, deriv_tex
from quizgen.bank.sample import activation_chain
from quizgen.bank.spec import parse_family
from quizgen.bank.texcheck import tex_problem
from quizgen.engine import activations, losses, mistakes
from quizgen.engine.activations import ActivationRule, elementwise_slips, parse_activation
from quizgen.engine.backprop import solve
from quizgen.engine.gradcheck import central_difference, numerical_gradients
from quizgen.problem import parse_problem
from quizgen.render.solution_text import render_solution
from quizgen.messages.text import say


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _swish(z, p):
    return z * _sigmoid(z)


def _swish_derivative(z, a, p):
    s = _sigmoid(z)
    return s + a * (1.0 - s)  # σ(z) + z σ(z)(1 − σ(z)), with a = z σ(z)


SWISH = ActivationRule(
    "swish", _swish, _swish_derivative,
    tex=r"\mathrm{swish}", deriv_tex=r"\sigma({z}) + {a} \odot (1 - \sigma({z}))",
    text="{dz} = {da} ⊙ (sigmoid({z}) + {a} ⊙ (1 − sigmoid({z})))",
    degenerate=activations.saturates(-0.27, 2.0),  # keep a draw off swish's flat minimum
    slips=elementwise_slips(_swish, _swish_derivative),
)


@pytest.fixture
def swish():
    """Swish registered for one test — the one place a new activation is added."""
    activations.register(SWISH)
    try:
        yield SWISH
    finally:
        activations.unregister("swish")
        activation_chain.cache_clear()


def _problem(notation="column"):
    o = (lambda a: a) if notation == "column" else (lambda a: np.array(a).T.tolist())  # row: transposed
    return {
        "notation": notation, "loss": "bce",
        "X": o([[1.0, -1.0], [0.5, 2.0]]), "Y": o([[1, 0]]),
        "layers": [
            {"W": o([[0.5, -0.25], [1.0, 0.5], [-0.5, 0.25]]), "b": [0.0, 0.1, -0.1], "activation": "swish"},
            {"W": o([[1.0, -1.0, 0.5]]), "b": [0.2], "activation": "sigmoid"},
        ],
    }


def test_a_registered_activation_is_known_and_an_unregistered_one_is_not(swish):
    assert "swish" in activations.NAMES and parse_activation("swish").elementwise
    with pytest.raises(ValueError, match=r"known: .*elu, swish\)"):
        parse_activation("swishh")
    activations.unregister("swish")
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        parse_activation("swish")
    activations.register(SWISH)
    with pytest.raises(ValueError, match="already registered"):
        activations.register(SWISH)


def test_swish_backward_is_the_vjp_of_its_forward(swish):
    act = parse_activation("swish")
    z = np.array([[-2.0, -0.5, 0.3], [0.5, 1.5, 3.0]])
    upstream = np.array([[0.7, -1.2, 0.4], [1.1, 0.2, -0.9]])
    numeric = central_difference(lambda zz: float(np.sum(upstream * act.forward(zz))), z.copy())
    np.testing.assert_allclose(act.backward(z, act.forward(z), upstream), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("notation", ["column", "row"])
def test_a_swish_network_solves_and_matches_central_differences(swish, notation):
    net = parse_problem(_problem(notation))
    tape = solve(net)
    numeric = numerical_gradients(net)
    for t, n in zip(tape.layers, numeric["layers"]):
        np.testing.assert_allclose(t.dW, n["dW"], rtol=1e-5, atol=1e-8)
        np.testing.assert_allclose(t.db, n["db"], rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(tape.dX, numeric["dX"], rtol=1e-5, atol=1e-8)


def test_swish_has_its_latex_and_its_terminal_text(swish):
    act = parse_activation("swish")
    assert act_tex(act) == r"\mathrm{swish}"
    derivative = deriv_tex(act, "Z^{[1]}", "A^{[1]}")
    assert derivative == r"\sigma(Z^{[1]}) + A^{[1]} \odot (1 - \sigma(Z^{[1]}))"
    assert tex_problem(derivative) is None
    text = render_solution(solve(parse_problem(_problem())))
    assert "= swish(Z1)" in text
    assert "dZ1 = dA1 ⊙ (sigmoid(Z1) + A1 ⊙ (1 − sigmoid(Z1)))" in text


def _family(kind, **sections):
    data = {"title": "Swish", "summary": "A toy activation.", "kind": kind, "notation": "column",
            "difficulty": 2, "source": "Ramachandran et al., 2017", "min_distractors": 0, **sections}
    family, errors = parse_family(data, "swish.toml", f"swish-{kind.replace('_', '-')}", "toy")
    assert not errors, [str(e) for e in errors]
    return family


def test_a_swish_family_generates_a_gradient_question_whose_answer_is_the_solve(swish):
    family = _family(
        "gradient_entry",
        network={"inputs": [2, 2], "hidden": [[2, 2]], "outputs": [1, 1], "batch": [2, 2],
                 "activations": ["swish", "sigmoid"], "loss": "bce"},
        values={"grid": "halves", "X": [-1, 1], "W": [-1, 1], "b": [-0.5, 0.5], "labels": "binary"},
        ask={"quantity": "dW", "layer": 1, "entry": "random"},
    )
    q = variant(family, 0)
    steps = " ".join(s.symbolic for s in q.steps)
    assert r"\mathrm{swish}" in steps and r"\sigma(Z^{[1]}) + A^{[1]}" in steps
    assert all(tex_problem(s.symbolic) is None for s in q.steps if s.symbolic)
    slips = {"sigma_for_derivative", "derivative_dropped", "derivative_at_output"}  # from the entry
    assert slips <= {d.mistake for d in q.distractors}
    tape = solve(parse_problem(q.problem))
    _, layer, quantity, row, col = q.target.split(".")  # layers.0.dW.1.0 (column notation: as shown)
    assert (layer, quantity) == ("0", "dW")  # layer index 0 is layer 1
    assert np.isclose(q.answer.value, tape.layers[0].dW[int(row), int(col)], rtol=1e-9, atol=0)


def test_a_swish_family_asks_its_derivative_at_a_point_with_its_slips_as_distractors(swish):
    family = _family("activation_derivative", values={"grid": "halves", "z": [-2, 2]},
                     ask={"activation": "swish"})
    q = variant(family, 3)
    z = float(q.given[0].value)
    act = parse_activation("swish")
    assert np.isclose(q.answer.value, _swish_derivative(z, _swish(z, None), None))
    wrong = mistakes.activation_mistakes(act, z)
    assert set(wrong) == {"sigma_for_derivative", "derivative_at_output"}
    assert {d.mistake for d in q.distractors} <= set(wrong) | {"rounded_too_early"}


def test_the_backward_mistakes_apply_to_a_swish_network_through_its_slips(swish):
    net = parse_problem(_problem())
    right = solve(net)
    for mid in ("sigma_for_derivative", "derivative_dropped", "derivative_at_output"):
        m = mistakes.get(mid)
        assert m.applies(net)
        assert not np.allclose(m.solve(net).layers[0].dW, right.layers[0].dW), mid
    assert not mistakes.get("tanh_sigmoid_swapped").applies(
        parse_problem({**_problem(), "layers": [{**_problem()["layers"][0], "W": [[1.0, 0.5]],
                                                 "b": [0.1]}], "Y": [[1, 0]]}))


def test_every_registered_entry_has_every_facet():
    for name, rule in activations.RULES.items():
        assert rule.tex and rule.text and "{dz}" in rule.text, name
        if rule.derivative is not None:
            assert tex_problem(rule.deriv_tex.replace("{z}", "z").replace("{a}", "a").replace("{p}", "0.1")) is None
        assert set(rule.slips) <= set(mistakes.CATALOG) and set(rule.mistakes) <= set(mistakes.CATALOG), name
    for name, rule in losses.RULES.items():
        assert rule.tex and rule.title and rule.text.startswith("dA = "), name
        assert tex_problem(rule.tex) is None, name
        assert rule.pairs_with is None or rule.pairs_with in activations.RULES, name
        assert set(rule.slips) <= set(mistakes.CATALOG) and set(rule.mistakes) <= set(mistakes.CATALOG), name


def _poisson(a, y):
    return np.sum(a - y * np.log(a), axis=0)


POISSON = losses.LossRule(
    "poisson", _poisson, lambda a, y: 1.0 - y / a,
    tex=r"\sum_{j}\left(a_j - y_j \log a_j\right)", title="Poisson negative log-likelihood",
    text="dA = 1 − Y/A",
    labels=lambda y: "poisson labels must be counts (≥ 0)" if np.any(y < 0) else None,
    degenerate=lambda out, y: "the loss takes log of a value near 0" if np.any(out < 0.01) else None,
)


@pytest.fixture
def poisson():
    """A toy loss registered for one test: one entry, like an activation."""
    losses.register(POISSON)
    try:
        yield POISSON
    finally:
        losses.unregister("poisson")


def test_a_registered_loss_solves_checks_prints_and_is_asked(poisson):
    data = {**_problem(), "loss": "poisson", "Y": [[2, 0]]}
    data["layers"][0]["activation"], data["layers"][1]["activation"] = "tanh", "softplus"
    net = parse_problem(data)
    tape = solve(net)
    numeric = numerical_gradients(net)
    np.testing.assert_allclose(tape.layers[0].dW, numeric["layers"][0]["dW"], rtol=1e-5, atol=1e-8)
    assert "dA2 (1, 2)   dA = 1 − Y/A / m" in render_solution(tape)
    with pytest.raises(Exception, match="poisson labels must be counts"):
        parse_problem({**data, "Y": [[-1, 0]]})
    family = _family(
        "gradient_entry",
        network={"inputs": [2, 2], "outputs": [1, 1], "batch": [2, 2], "activations": ["softplus"],
                 "loss": "poisson"},
        values={"grid": "halves", "X": [-1, 1], "W": [-1, 1], "b": [-0.5, 0.5], "labels": "binary"},
        ask={"quantity": "dW", "layer": 1, "entry": "random"},
    )
    q = variant(family, 0)
    assert r"\sum_{j}\left(a_j - y_j \log a_j\right)" in say(q.prompt)
    assert np.isclose(q.answer.value, solve(parse_problem(q.problem)).layers[0].dW[
        tuple(int(i) for i in q.target.split(".")[3:])], rtol=1e-9, atol=0)


def test_the_pairing_table_is_read_from_the_loss_entries():
    assert losses.pairings() == [("identity", "half_sse"), ("sigmoid", "bce"), ("softmax", "cross_entropy")]
    family, errors = parse_family(
        {"title": "t", "summary": "s", "kind": "formula_choice", "notation": "column", "difficulty": 2,
         "source": "s", "network": {"hidden": [[2, 2]], "activations": ["relu", "sigmoid"], "loss": "mse"}},
        "f.toml", "f", "toy")
    assert [str(e) for e in errors] == [
        "f.toml: network.activations: formula_choice writes dZ2 = (A2 − Y)/m, which is wrong for a 'sigmoid' "
        "output with the 'mse' loss (use identity + half_sse, sigmoid + bce or softmax + cross_entropy)"]


def _name_comparisons(path):
    """(line, name) of each comparison of something with a registered activation or loss name."""
    import ast

    names = set(activations.RULES) | set(losses.RULES)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Compare):
            continue
        for side in [node.left, *node.comparators]:
            found += [(node.lineno, c.value) for c in ast.walk(side)
                      if isinstance(c, ast.Constant) and c.value in names]
    return found


# Left for their owners (issue 15 split), wherever their code moves: a formula choice that drops
# the g(z)-for-g'(z) options at an identity layer, and the conventions sentence defining k for mse.
KNOWN = {"identity": 1, "mse": 1}


def test_no_module_branches_on_an_activation_or_loss_name():
    """Guards the registry: a facet written as `if act.name == "tanh"` elsewhere misses a new entry."""
    from pathlib import Path

    import quizgen

    root = Path(quizgen.__file__).parent
    found = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel not in ("engine/activations.py", "engine/losses.py"):
            for line, name in _name_comparisons(path):
                found.setdefault(name, []).append(f"{rel}:{line}")
    extra = {name: where for name, where in found.items() if len(where) > KNOWN.get(name, 0)}
    assert not extra, f"compares with a name instead of asking its registry entry: {extra}"
