"""Batch normalization in training mode over the batch, per feature: μ, the biased variance σ² (1/m),
x̂ = (x − μ)/√(σ² + ε), y = γ ⊙ x̂ + β; backward dβ = Σ dy, dγ = Σ dy ⊙ x̂ and the full
dx = γ/√(σ² + ε) ⊙ g with g = dy − dβ/m − x̂ ⊙ dγ/m, which keeps μ's and σ²'s dependence on x.

Internal orientation: x is (features, m); μ, σ², γ, β and their gradients are per feature, (features,).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from quizgen.engine.layers.base import Rule, register

MISTAKES = ("bn_mean_dependence_ignored", "bn_unbiased_variance", "bn_eps_forgotten", "bn_divide_by_variance",
            "bn_dgamma_without_xhat", "bn_dgamma_with_x", "bn_sum_wrong_axis", "bn_dbeta_averaged")


def col(v) -> np.ndarray:
    """A per-feature vector as a column, to broadcast over the batch: (features,) -> (features, 1)."""
    return np.asarray(v, dtype=float)[:, None]


def normalize(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> dict[str, np.ndarray]:
    """The forward pass, every quantity by name."""
    mu = x.mean(axis=1)  # (n,)
    var = ((x - col(mu)) ** 2).mean(axis=1)  # (n,) biased: 1/m
    std = np.sqrt(var + eps)  # (n,)
    xhat = (x - col(mu)) / col(std)  # (n, m)
    return {"mu": mu, "var": var, "std": std, "xhat": xhat, "y": col(gamma) * xhat + col(beta)}


RULES = {
    "mu": Rule((r"\mu = \frac{1}{m}\sum_{i}", "@x"), lambda v: v["x"].mean(axis=1), "layer.batchnorm.mu_why"),
    "var": Rule((r"\sigma^{2} = \frac{1}{m}\sum_{i}", r"\left(", "@x", "-", "@mu", r"\right)", "^{2}"),
                lambda v: ((v["x"] - col(v["mu"])) ** 2).mean(axis=1), "layer.batchnorm.var_why"),
    "std": Rule((r"\sqrt{\sigma^{2} + \varepsilon} =", r"\left(", "@var", "+", "@eps", r"\right)", "^{1/2}"),
                lambda v: np.sqrt(v["var"] + v["eps"]), "layer.batchnorm.std_why", aside=True),
    "xhat": Rule((r"\hat{x} =", r"\left(", "@x", "-", "@mu", r"\right)", "/", "@std"),
                 lambda v: (v["x"] - col(v["mu"])) / col(v["std"]), "layer.batchnorm.xhat_why"),
    "y": Rule((r"y =", "@gamma", r"\odot", "@xhat", "+", "@beta"),
              lambda v: col(v["gamma"]) * v["xhat"] + col(v["beta"]), "layer.batchnorm.y_why"),
    "dbeta": Rule((r"d\beta = \sum_{i}", "@dy"), lambda v: v["dy"].sum(axis=1), "layer.batchnorm.dbeta_why"),
    "dgamma": Rule((r"d\gamma = \sum_{i}", "@dy", r"\odot", "@xhat"), lambda v: (v["dy"] * v["xhat"]).sum(axis=1),
                   "layer.batchnorm.dgamma_why"),
    "g": Rule((r"g =", "@dy", "-", "@dbeta", "/", "@m", "-", "@xhat", r"\odot", "@dgamma", "/", "@m"),
              lambda v: v["dy"] - col(v["dbeta"]) / v["m"] - v["xhat"] * col(v["dgamma"]) / v["m"],
              "layer.batchnorm.g_why"),
    "dA_prev": Rule((r"dx =", "@gamma", "/", "@std", r"\odot", "@g"),
                    lambda v: col(v["gamma"] / v["std"]) * v["g"], "layer.batchnorm.dx_why"),
}
# Each mistake: the rules a student who makes it writes instead of the right ones.
WRONG = {
    "bn_mean_dependence_ignored": {"dA_prev": Rule((r"dx =", "@gamma", "/", "@std", r"\odot", "@dy"),
                                                   lambda v: col(v["gamma"] / v["std"]) * v["dy"], "")},
    "bn_unbiased_variance": {"var": Rule((r"\sigma^{2} = \frac{1}{m - 1}\sum_{i}", r"\left(", "@x", "-", "@mu",
                                          r"\right)", "^{2}"),
                                         lambda v: ((v["x"] - col(v["mu"])) ** 2).sum(axis=1) / (v["x"].shape[1] - 1),
                                         "")},
    "bn_eps_forgotten": {"std": Rule((r"\sqrt{\sigma^{2}} =", r"\left(", "@var", r"\right)", "^{1/2}"),
                                     lambda v: np.sqrt(v["var"]), "", aside=True)},
    "bn_divide_by_variance": {"xhat": Rule((r"\hat{x} =", r"\left(", "@x", "-", "@mu", r"\right)", "/", r"\left(",
                                            "@var", "+", "@eps", r"\right)"),
                                           lambda v: (v["x"] - col(v["mu"])) / col(v["var"] + v["eps"]), "")},
    "bn_dgamma_without_xhat": {"dgamma": Rule((r"d\gamma = \sum_{i}", "@dy"), lambda v: v["dy"].sum(axis=1), "")},
    "bn_dgamma_with_x": {"dgamma": Rule((r"d\gamma = \sum_{i}", "@dy", r"\odot", "@x"),
                                        lambda v: (v["dy"] * v["x"]).sum(axis=1), "")},
    "bn_sum_wrong_axis": {"dbeta": Rule((r"d\beta = \sum_{j}", "@dy"), lambda v: v["dy"].sum(axis=0), "")},
    "bn_dbeta_averaged": {"dbeta": Rule((r"d\beta = \frac{1}{m}\sum_{i}", "@dy"), lambda v: v["dy"].mean(axis=1), "")},
}


@dataclass(frozen=True)
class BatchNorm:
    name: str = "batchnorm"
    params: tuple[str, ...] = ("gamma", "beta")
    forward_quantities: tuple[str, ...] = ("mu", "var", "std", "xhat", "y")
    backward_quantities: tuple[str, ...] = ("dbeta", "dgamma", "g", "dA_prev")
    step_keys: MappingProxyType = field(default_factory=lambda: MappingProxyType({
        q: f"layer.batchnorm.{q}" for q in ("mu", "var", "std", "xhat", "y", "dbeta", "dgamma", "g", "dA_prev")}))
    options: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    scalars: MappingProxyType = field(default_factory=lambda: MappingProxyType({"eps": (0.0, 1.0, (0.01,))}))
    symbols: MappingProxyType = field(default_factory=lambda: MappingProxyType({
        "x": "x", "y": "y", "dy": "dy", "dA_prev": "dx", "mu": r"\mu", "var": r"\sigma^{2}",
        "std": r"\sqrt{\sigma^{2} + \varepsilon}", "xhat": r"\hat{x}", "gamma": r"\gamma", "beta": r"\beta",
        "dgamma": r"d\gamma", "dbeta": r"d\beta", "g": "g", "eps": r"\varepsilon", "m": "m"}))
    mistakes: tuple[str, ...] = MISTAKES
    soft: frozenset = frozenset({"bn_eps_forgotten"})

    # --- the layer protocol (engine/layers/base.py): params gamma, beta and the stated eps ---
    def forward(self, x, params):
        cache = normalize(x, params["gamma"], params["beta"], params.get("eps", 0.0))
        return cache["y"], cache

    def backward(self, dy, params, cache):
        dbeta, dgamma = dy.sum(axis=1), (dy * cache["xhat"]).sum(axis=1)
        m = dy.shape[1]
        g = dy - col(dbeta) / m - cache["xhat"] * col(dgamma) / m  # (n, m): dy less the batch's shared part
        return col(params["gamma"] / cache["std"]) * g, {"dbeta": dbeta, "dgamma": dgamma, "g": g}

    # --- what a question asks (bank/kinds/layer_forward.py, layer_backward.py) ---
    def rules(self, options):
        return dict(RULES)

    def mistaken(self, mistake, options):
        return {**RULES, **WRONG[mistake]}

    def draw(self, rng, x_shape, pick, settings):
        """γ (nonzero) from the family's W range, β from its b range, one per feature."""
        return {"gamma": pick("W", (x_shape[0],), True), "beta": pick("b", (x_shape[0],), False)}

    def exact(self, options):
        return False

    def reject(self, values):
        """A feature constant over the batch normalizes to 0 whatever its values: nothing to practise."""
        x = np.asarray(values["x"])
        return "reject.constant_feature" if (x.max(axis=1) == x.min(axis=1)).any() else None


BATCHNORM = register(BatchNorm())
