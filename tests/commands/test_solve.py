"""`quizgen solve`: text and JSON Lines output, one-line errors, and a published exam value."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from quizgen.cli import main

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "problems"
COLUMN = FIXTURES / "column_tanh_sigmoid.toml"  # layer 1 with b, layer 2 without; learning_rate
ROW = FIXTURES / "row_relu_softmax.json"  # one layer with b; no learning_rate
BAD = FIXTURES / "bad" / "layer_shape.toml"
EXAM = ROOT / "examples" / "exam_relu_softmax.toml"
LAYER_KEYS = {"Z", "A", "dA", "dZ", "dW", "H"}


def quizgen(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "quizgen", *args], capture_output=True, text=True, timeout=60)


def test_text_output_names_every_quantity(capsys):
    assert main(["solve", str(COLUMN)]) == 0
    out = capsys.readouterr().out
    for name in ("Z1", "A1", "Z2", "A2", "dA2", "dZ2", "dW1", "db1", "dW2", "dX", "loss", "W1_new", "b1_new"):
        assert name in out, name
    assert "db2" not in out and "b2_new" not in out  # layer 2 has no bias
    assert out.startswith(f"{COLUMN}\n")


def test_text_output_of_several_files_is_separated(capsys):
    assert main(["solve", str(COLUMN), str(ROW)]) == 0
    out = capsys.readouterr().out
    assert f"\n\n{ROW}\n" in out
    assert "row notation" in out and "column notation" in out


def test_json_lines_have_exactly_the_documented_keys(capsys):
    assert main(["solve", "--json", str(COLUMN), str(ROW)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    column, row = (json.loads(line) for line in lines)

    for doc in (column, row):
        assert set(doc) == {"loss", "layers", "dX"}
    first, second = column["layers"]
    assert set(first) == LAYER_KEYS | {"db", "W_new", "b_new"}
    assert set(second) == LAYER_KEYS | {"W_new"}
    (only,) = row["layers"]
    assert set(only) == LAYER_KEYS | {"db"}
    assert np.array(only["dW"]).shape == (3, 2)  # row notation: (units_in, units_out)
    assert np.array(row["dX"]).shape == (2, 3)  # (m, features)
    assert len(first["H"]) == 1 and len(only["H"]) == 2  # one entry per activation in the chain


def test_subprocess_json_matches_in_process(capsys):
    result = quizgen("solve", "--json", str(ROW))
    assert result.returncode == 0, result.stderr
    assert main(["solve", "--json", str(ROW)]) == 0
    assert result.stdout == capsys.readouterr().out
    assert result.stderr == ""


def test_bad_file_is_one_line_on_stderr_with_exit_2():
    result = quizgen("solve", str(BAD))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"{BAD}: layers[2].W: layer 2: W is (3, 4) but layer 1 outputs 5 units")
    assert "Traceback" not in result.stderr


def test_missing_file_in_process(capsys, tmp_path):
    missing = tmp_path / "missing.toml"
    assert main(["solve", str(missing)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"{missing}: no such file\n"
    assert captured.out == ""


@pytest.mark.parametrize("as_json", [False, True])
def test_one_bad_file_among_several_prints_nothing(capsys, as_json):
    argv = ["solve", *(["--json"] if as_json else []), str(COLUMN), str(BAD), str(ROW)]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"{BAD}: ") and captured.err.count("\n") == 1


def test_one_bad_file_among_several_in_a_subprocess():
    result = quizgen("solve", "--json", str(COLUMN), str(BAD))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(f"{BAD}: ") and "Traceback" not in result.stderr


def test_exam_network_dw1_matches_the_hand_computation(capsys):
    """The university final (examples/exam_relu_softmax.toml), worked in plain NumPy."""
    x, y = np.array([1.0, 2.0]), np.array([0.0, 1.0])
    W1, b1 = np.array([[0.5, -1.0], [1.0, 0.5], [-0.5, 1.0]]), np.array([0.5, 0.0, -0.5])
    W2, b2 = np.array([[1.0, -0.5, 0.5], [0.5, 1.0, -1.0]]), np.array([0.0, 0.5])
    z1 = W1 @ x + b1  # (3,) = [-1, 2, 1]
    h1 = np.maximum(z1, 0)  # [0, 2, 1]
    z2 = W2 @ h1 + b2  # (2,) = [-0.5, 1.5]
    h2 = np.maximum(z2, 0)  # [0, 1.5]
    y_hat = np.exp(h2) / np.exp(h2).sum()
    dh2 = y_hat - y  # softmax + cross-entropy
    dz2 = dh2 * (z2 > 0)
    dz1 = (W2.T @ dz2) * (z1 > 0)
    dW1 = np.outer(dz1, x)  # (3, 2)

    s = 1 / (1 + np.exp(1.5))  # ŷ₁ = 0.1824...
    np.testing.assert_allclose(dW1, [[0, 0], [-s, -2 * s], [s, 2 * s]], rtol=1e-12)
    np.testing.assert_allclose(dW1, [[0, 0], [-0.1824, -0.3649], [0.1824, 0.3649]], atol=5e-5)  # as published

    assert main(["solve", "--json", str(EXAM)]) == 0
    doc = json.loads(capsys.readouterr().out)
    np.testing.assert_allclose(doc["layers"][0]["dW"], dW1, rtol=1e-12, atol=1e-15)
    assert doc["loss"] == pytest.approx(-np.log(y_hat[1]), rel=1e-12)
