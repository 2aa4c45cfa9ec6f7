"""Forward + backward solves per second on prebuilt networks: `python benchmarks/bench_solve.py`."""

from __future__ import annotations

import time

import numpy as np

from quizgen.engine import solve
from quizgen.engine.network import Network
from quizgen.problem import parse_problem

SECONDS = 2.0


def network(units: list[int], m: int, activations: list, loss: str, seed: int = 0) -> Network:
    """A column-notation problem with a bias in every layer, built through the problem-file path."""
    rng = np.random.default_rng(seed)
    Y = np.eye(units[-1])[:, rng.integers(0, units[-1], m)]  # one-hot, (k, m)
    return parse_problem({
        "loss": loss,
        "learning_rate": 0.1,
        "X": rng.uniform(-1, 1, (units[0], m)).tolist(),  # (features, m)
        "Y": Y.tolist(),
        "layers": [{"W": rng.uniform(-1, 1, (n_out, n_in)).tolist(),  # (n_out, n_in)
                    "b": rng.uniform(-0.5, 0.5, n_out).tolist(), "activation": act}
                   for n_in, n_out, act in zip(units, units[1:], activations)],
    }, source="bench")


def rate(net: Network, seconds: float = SECONDS) -> float:
    """Solves per second over about `seconds` of wall time."""
    solve(net)  # warm up
    count, start = 0, time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(100):
            solve(net)
        count += 100
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start)


def main() -> None:
    cases = {
        "2-layer": network([4, 8, 3], 16, ["tanh", "softmax"], "cross_entropy"),
        "4-layer": network([8, 16, 16, 8, 4], 32, ["relu", "tanh", "leaky_relu", ["relu", "softmax"]],
                           "cross_entropy"),
    }
    for name, net in cases.items():
        print(f"solve {name}: {rate(net):.0f} solves/s", flush=True)


if __name__ == "__main__":
    main()
