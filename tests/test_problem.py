"""Problem files -> Network: both formats, both notations, and one precise error per mistake.

Each tests/fixtures/problems/bad/*.toml starts with `# expect: <the error after "file: ">`.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from quizgen.engine import Activation, Notation, solve
from quizgen.errors import ProblemError
from quizgen.problem import load_problem, parse_problem

FIXTURES = Path(__file__).parent / "fixtures" / "problems"
BAD = sorted((FIXTURES / "bad").glob("*.toml"))

TOML = """\
notation = "column"
loss = "cross_entropy"
reduction = "sum"
learning_rate = 0.1
X = [[1.0, 2.0], [0.5, -1.0]]
Y = [[0, 1], [1, 0]]

[[layers]]
W = [[0.5, -1.0], [2.0, 0.0], [1.0, 1.0]]
b = [0.1, -0.2, 0.0]
activation = "leaky_relu(0.1)"

[[layers]]
W = [[1.0, -1.0, 0.5], [0.5, 0.5, 0.5]]
activation = ["tanh", "softmax"]
"""
PROBLEM = {
    "notation": "row", "loss": "mse",
    "X": [[1.0, 2.0], [0.5, -1.0], [0.0, 3.0]],  # (m = 3, features = 2)
    "Y": [[1.0], [0.0], [0.5]],
    "layers": [{"W": [[0.5], [-1.0]], "b": [0.25]}],  # (in = 2, out = 1), identity by default
}


def expected_line(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} must start with its expected error"
    return first.removeprefix("# expect: ")


def test_load_toml(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(TOML, encoding="utf-8")

    net = load_problem(path)

    assert net.notation is Notation.COLUMN and net.m == 2
    assert (net.loss.name, net.loss.reduction, net.learning_rate) == ("cross_entropy", "sum", 0.1)
    assert [layer.W.shape for layer in net.layers] == [(3, 2), (2, 3)]  # internal (out, in)
    np.testing.assert_array_equal(net.layers[0].b, [0.1, -0.2, 0.0])
    assert net.layers[1].b is None
    assert net.layers[0].activations == (Activation("leaky_relu", 0.1),)
    assert [a.name for a in net.layers[1].activations] == ["tanh", "softmax"]


def test_load_json_in_row_notation(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(PROBLEM), encoding="utf-8")

    net = load_problem(path)

    assert net.notation is Notation.ROW and net.m == 3
    assert net.X.shape == (2, 3) and net.Y.shape == (1, 3)  # stored internally as (units, m)
    np.testing.assert_array_equal(net.layers[0].W, [[0.5, -1.0]])
    assert net.layers[0].activations == (Activation("identity"),)
    assert (net.loss.reduction, net.learning_rate) == ("mean", None)


def test_toml_and_json_of_the_same_problem_solve_alike(tmp_path):
    (tmp_path / "p.json").write_text(json.dumps(PROBLEM), encoding="utf-8")
    (tmp_path / "p.toml").write_text(
        'notation = "row"\nloss = "mse"\nX = [[1.0, 2.0], [0.5, -1.0], [0.0, 3.0]]\nY = [[1.0], [0.0], [0.5]]\n'
        '[[layers]]\nW = [[0.5], [-1.0]]\nb = [0.25]\n', encoding="utf-8")
    assert solve(load_problem(tmp_path / "p.json")).to_json() == solve(load_problem(tmp_path / "p.toml")).to_json()


def test_fixture_problems_load():
    assert load_problem(FIXTURES / "column_tanh_sigmoid.toml").m == 2
    assert load_problem(FIXTURES / "row_relu_softmax.json").m == 2


@pytest.mark.parametrize("notation", ["column", "row"])
def test_one_dimensional_x_means_one_example(notation):
    net = parse_problem({"notation": notation, "loss": "half_sse", "X": [1.0, 2.0, 3.0], "Y": [0.5, -0.5],
                         "layers": [{"W": np.ones((2, 3) if notation == "column" else (3, 2)).tolist()}]})
    assert net.m == 1
    assert net.X.shape == (3, 1) and net.Y.shape == (2, 1)
    np.testing.assert_array_equal(net.X[:, 0], [1.0, 2.0, 3.0])


def test_to_problem_round_trips():
    net = parse_problem(PROBLEM)
    again = parse_problem(net.to_problem())
    assert solve(again).to_json() == solve(net).to_json()


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_file_names_the_file_and_the_key(path):
    with pytest.raises(ProblemError) as caught:
        load_problem(path)
    assert str(caught.value).startswith(f"{path}: {expected_line(path)}")
    assert caught.value.file == str(path)
    assert "\n" not in str(caught.value)


def test_layer_shape_message_is_the_documented_one():
    path = FIXTURES / "bad" / "layer_shape.toml"
    with pytest.raises(ProblemError) as caught:
        load_problem(path)
    assert caught.value.key == "layers[2].W"
    assert "layer 2: W is (3, 4) but layer 1 outputs 5 units" in str(caught.value)


def test_invalid_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"loss": "mse", "X": [[1.0]', encoding="utf-8")
    with pytest.raises(ProblemError) as caught:
        load_problem(path)
    assert str(caught.value).startswith(f"{path}: not valid JSON: ")


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.toml"
    with pytest.raises(ProblemError) as caught:
        load_problem(path)
    assert str(caught.value) == f"{path}: no such file"


def test_a_directory_is_not_readable(tmp_path):
    with pytest.raises(ProblemError, match="is a directory, not a regular file"):  # was "cannot read" (issue 13)
        load_problem(tmp_path)


@pytest.mark.parametrize("change, key", [
    ({"X": [[1.0, True], [0.0, 1.0], [1.0, 1.0]]}, "X"),  # a boolean is not a number
    ({"X": []}, "X"),
    ({"Y": "1"}, "Y"),
    ({"layers": []}, "layers"),
    ({"layers": ["relu"]}, "layers[1]"),
    ({"layers": [{"W": [[0.5], [-1.0]], "activation": []}]}, "layers[1].activation"),
    ({"layers": [{"W": [[0.5], [-1.0]], "activation": 3}]}, "layers[1].activation"),
    ({"notation": ["row"]}, "notation"),
    ({"learning_rate": True}, "learning_rate"),
])
def test_json_only_mistakes_name_their_key(change, key):
    with pytest.raises(ProblemError) as caught:
        parse_problem({**PROBLEM, **change}, source="p.json")
    assert caught.value.key == key
    assert str(caught.value).startswith(f"p.json: {key}: ")


def test_a_non_table_document_names_only_the_file():
    with pytest.raises(ProblemError) as caught:
        parse_problem([1, 2], source="p.json")
    assert str(caught.value) == "p.json: must be a table of keys"


def test_forward_overflow_is_reported():
    problem = {**PROBLEM, "X": [[1e300, 1e300]] * 3, "layers": [{"W": [[1e300], [1e300]]}]}
    with pytest.raises(ProblemError, match="overflows"):
        parse_problem(problem, source="p.json")


# --- Regressions for bugs in quizgen/problem.py (these fail until it is fixed) ---------------------


def test_huge_integer_is_a_problem_error_not_a_crash(tmp_path):
    """Guards _is_number: float(10**400) raises OverflowError, which escaped as a traceback."""
    path = tmp_path / "huge.toml"
    path.write_text('loss = "mse"\nX = [[1' + "0" * 400 + ']]\nY = [[1.0]]\n[[layers]]\nW = [[1.0]]\n',
                    encoding="utf-8")
    with pytest.raises(ProblemError) as caught:
        load_problem(path)
    assert str(caught.value).startswith(f"{path}: X: ")


def test_a_loss_that_overflows_is_rejected():
    """Guards the final validation: finite outputs whose loss is inf made `solve --json` print Infinity."""
    problem = {**PROBLEM, "X": [[1e160, 0.0]] * 3, "layers": [{"W": [[1.0], [0.0]]}]}  # outputs 1e160, loss 1e320
    with pytest.raises(ProblemError):
        parse_problem(problem, source="p.json")


def test_a_gradient_that_overflows_is_rejected():
    """Guards the final validation: loss 713 is finite, but dJ/dA = −1/e^−713 overflows and dZ became NaN."""
    problem = {"loss": "cross_entropy", "X": [[1.0]], "Y": [[1], [0]],
               "layers": [{"W": [[0.0], [713.0]], "activation": "softmax"}]}
    with pytest.raises(ProblemError):
        parse_problem(problem, source="p.json")
