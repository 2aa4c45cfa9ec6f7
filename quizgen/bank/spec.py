"""The family format (question_bank/<topic>/<id>.toml), validated with every error collected.

See question_bank/README.md for the annotated format. A Family is plain data; sampling and
question building read it, nothing else mutates it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import jinja2
import jinja2.meta

from quizgen.engine.activations import parse_activation
from quizgen.engine.losses import NAMES as LOSS_NAMES
from quizgen.engine.mistakes import CATALOG, OTHER
from quizgen.errors import BankError

KINDS = (
    "forward_value", "loss_value", "output_delta", "gradient_entry", "gradient_matrix",
    "shapes_table", "sgd_update", "activation_derivative", "gradient_check",
    "formula_choice", "find_error",
)
QUANTITIES = ("Z", "A", "dA", "dZ", "dW", "db", "W_new", "b_new", "loss", "dX")
GRIDS = {"integers": 1.0, "halves": 0.5, "tenths": 0.1, "quarters": 0.25}
LABELS = ("one_hot", "binary", "grid")
PROMPT_NAMES = frozenset({
    "asked", "asked_text", "network", "notation", "m", "L", "sizes", "loss", "loss_latex",
    "reduction", "learning_rate", "eps", "z", "activation", "activation_latex", "entry", "known",
    "param",
})
MISTAKE_IDS = set(CATALOG) | set(OTHER)
TOP_KEYS = {"id", "title", "topic", "tags", "difficulty", "source", "kind", "notation", "prompt",
            "summary", "network", "values", "ask", "min_distractors", "hints", "mistake_credit"}
NETWORK_KEYS = {"inputs", "hidden", "outputs", "batch", "activations", "bias", "loss", "reduction",
                "learning_rate"}
VALUE_KEYS = {"grid", "X", "W", "b", "labels", "nonzero_weights", "z", "eps"}
ASK_KEYS = {"quantity", "layer", "entry", "activation"}


@dataclass(frozen=True)
class Family:
    id: str
    path: str
    title: str
    topic: str
    tags: tuple[str, ...]
    difficulty: int
    source: str
    kind: str
    notation: str
    prompt: str | None
    summary: str
    inputs: tuple[int, int]
    hidden: tuple[tuple[int, int], ...]
    outputs: tuple[int, int]
    batch: tuple[int, int]
    activations: tuple[tuple[str, ...], ...]  # per layer: choices, each "relu" or "relu+softmax"
    bias: bool
    losses: tuple[str, ...]
    reduction: str
    learning_rate: float | None
    grid: str
    ranges: dict = field(default_factory=dict)  # "X" | "W" | "b" -> (lo, hi)
    labels: str = "one_hot"
    nonzero_weights: bool = True
    z_range: tuple[float, float] = (-2.0, 2.0)
    eps: float = 0.01
    quantity: str = "dW"
    layer: int = 1
    entry: str = "random"  # random | all
    ask_activation: tuple[str, ...] = ()
    min_distractors: int = 1
    hints: tuple[str, ...] = ()
    mistake_credit: dict = field(default_factory=dict)  # mistake id -> share of the points it earns (else 0)

    @property
    def layers(self) -> int:
        return len(self.hidden) + 1


class _Collector:
    def __init__(self, path: str):
        self.path, self.errors = path, []

    def add(self, key: str, what: str):
        self.errors.append(BankError(what, file=self.path, key=key))


def _range(c: _Collector, key: str, value, *, integer: bool = True, low=None):
    ok_type = int if integer else (int, float)
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, ok_type) and not isinstance(v, bool) for v in value)):
        c.add(key, f"must be [min, max] of {'whole numbers' if integer else 'numbers'}, got {value!r}")
        return None
    lo, hi = value
    if lo > hi:
        c.add(key, f"min {lo} is greater than max {hi}")
        return None
    if low is not None and lo < low:
        c.add(key, f"must be at least {low}, got {lo}")
        return None
    return (lo, hi)


def _table(c: _Collector, data: dict, name: str, known: set[str]) -> dict:
    """A sub-table of the family (empty if absent), with its unknown keys reported."""
    table = data.get(name, {})
    if not isinstance(table, dict):
        c.add(name, "must be a table")
        return {}
    for key in sorted(set(table) - known):
        c.add(f"{name}.{key}", f"unknown key (known: {', '.join(sorted(known))})")
    return table


def _chain_ok(c: _Collector, key: str, choice: str) -> bool:
    try:
        for part in choice.split("+"):
            parse_activation(part)
    except ValueError as exc:
        c.add(key, str(exc))
        return False
    return True


def parse_family(data: dict, path: str, family_id: str, topic: str) -> tuple[Family | None, list[BankError]]:
    """Validate one family table; return (family or None, every error found)."""
    c = _Collector(path)
    for key in sorted(set(data) - TOP_KEYS):
        c.add(key, f"unknown key (known: {', '.join(sorted(TOP_KEYS))})")
    for key in ("title", "kind", "difficulty", "source"):
        if key not in data:
            c.add(key, "missing")
    if "id" in data and data["id"] != family_id:
        c.add("id", f"is {data['id']!r} but the file name says {family_id!r} (the path is the id)")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", family_id):
        c.add("id", f"{family_id!r}: use lowercase letters, digits, '-' and '_' in the file name")
    kind = data.get("kind")
    if kind is not None and kind not in KINDS:
        c.add("kind", f"unknown kind {kind!r} (known: {', '.join(KINDS)})")
    difficulty = data.get("difficulty", 1)
    if not isinstance(difficulty, int) or isinstance(difficulty, bool) or not 1 <= difficulty <= 5:
        c.add("difficulty", f"must be a whole number from 1 to 5, got {difficulty!r}")
    tags = data.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and t for t in tags):
        c.add("tags", "must be a list of non-empty strings")
        tags = []
    notation = data.get("notation", "column")
    if notation not in ("column", "row"):
        c.add("notation", f"must be 'column' or 'row', got {notation!r}")
    prompt = data.get("prompt")
    if prompt is not None:
        if not isinstance(prompt, str):
            c.add("prompt", "must be a string (Markdown + LaTeX with Jinja2 placeholders)")
        else:
            try:
                names = jinja2.meta.find_undeclared_variables(jinja2.Environment().parse(prompt))
                for name in sorted(names - PROMPT_NAMES):
                    c.add("prompt", f"placeholder {{{{ {name} }}}} does not exist "
                                    f"(available: {', '.join(sorted(PROMPT_NAMES))})")
            except jinja2.TemplateSyntaxError as exc:
                c.add("prompt", f"template syntax error on line {exc.lineno}: {exc.message}")

    net = _table(c, data, "network", NETWORK_KEYS)
    inputs = _range(c, "network.inputs", net.get("inputs", [2, 2]), low=1)
    outputs = _range(c, "network.outputs", net.get("outputs", [2, 2]), low=1)
    batch = _range(c, "network.batch", net.get("batch", [1, 1]), low=1)
    hidden_raw = net.get("hidden", [])
    hidden = []
    if not isinstance(hidden_raw, list):
        c.add("network.hidden", "must be a list of [min, max] unit ranges, one per hidden layer")
    else:
        for i, h in enumerate(hidden_raw, start=1):
            hidden.append(_range(c, f"network.hidden[{i}]", h, low=1))
    acts_raw = net.get("activations", ["identity"] * (len(hidden) + 1))
    acts: list[tuple[str, ...]] = []
    if not isinstance(acts_raw, list) or not all(isinstance(a, str) for a in acts_raw):
        c.add("network.activations", 'must be a list of strings, one per layer, e.g. ["relu", "relu+softmax"]')
    elif len(acts_raw) != len(hidden) + 1:
        c.add("network.activations", f"has {len(acts_raw)} entries but the network has "
                                     f"{len(hidden) + 1} layers ({len(hidden)} hidden + output)")
    else:
        for i, spec in enumerate(acts_raw, start=1):
            choices = tuple(s.strip() for s in spec.split("|"))
            if all(_chain_ok(c, f"network.activations[{i}]", ch) for ch in choices):
                acts.append(choices)
    loss_raw = net.get("loss", "cross_entropy")
    losses = tuple(s.strip() for s in str(loss_raw).split("|"))
    for name in losses:
        if name not in LOSS_NAMES:
            c.add("network.loss", f"unknown loss {name!r} (known: {', '.join(LOSS_NAMES)})")
    reduction = net.get("reduction", "mean")
    if reduction not in ("mean", "sum"):
        c.add("network.reduction", f"must be 'mean' or 'sum', got {reduction!r}")
    lr = net.get("learning_rate")
    if lr is not None and (not isinstance(lr, (int, float)) or isinstance(lr, bool) or lr <= 0):
        c.add("network.learning_rate", f"must be a positive number, got {lr!r}")
    bias = net.get("bias", True)
    if not isinstance(bias, bool):
        c.add("network.bias", f"must be true or false, got {bias!r}")

    values = _table(c, data, "values", VALUE_KEYS)
    grid = values.get("grid", "integers")
    if grid not in GRIDS:
        c.add("values.grid", f"unknown grid {grid!r} (known: {', '.join(GRIDS)})")
    ranges = {}
    for name, default in (("X", [-2, 2]), ("W", [-2, 2]), ("b", [-1, 1])):
        r = _range(c, f"values.{name}", values.get(name, default), integer=False)
        if r:
            ranges[name] = r
    labels = values.get("labels", "one_hot")
    if labels not in LABELS:
        c.add("values.labels", f"unknown labels {labels!r} (known: {', '.join(LABELS)})")
    z_range = _range(c, "values.z", values.get("z", [-2, 2]), integer=False)
    eps = values.get("eps", 0.01)
    if not isinstance(eps, (int, float)) or not 0 < eps < 1:
        c.add("values.eps", f"must be a number between 0 and 1, got {eps!r}")

    ask = _table(c, data, "ask", ASK_KEYS)
    quantity = ask.get("quantity", "dW")
    if quantity not in QUANTITIES:
        c.add("ask.quantity", f"unknown quantity {quantity!r} (known: {', '.join(QUANTITIES)})")
    layer = ask.get("layer", 1)
    n_layers = len(hidden) + 1
    if not isinstance(layer, int) or isinstance(layer, bool) or not (1 <= layer <= n_layers or -n_layers <= layer <= -1):
        c.add("ask.layer", f"must be 1..{n_layers} (or -1 for the output layer), got {layer!r}")
        layer = 1
    elif layer < 0:
        layer = n_layers + 1 + layer
    entry = ask.get("entry", "random")
    if entry not in ("random", "all"):
        c.add("ask.entry", f"must be 'random' or 'all', got {entry!r}")
    ask_act = ask.get("activation", "sigmoid|tanh|relu")
    ask_acts = tuple(s.strip() for s in str(ask_act).split("|"))
    for a in ask_acts:
        _chain_ok(c, "ask.activation", a)
    if quantity in ("db", "b_new") and not bias:
        c.add("ask.quantity", f"asks for {quantity} but network.bias is false")
    if quantity in ("W_new", "b_new") and lr is None and kind in ("sgd_update",):
        c.add("network.learning_rate", "an sgd_update family needs a learning rate")
    if kind == "sgd_update" and lr is None:
        if not any(e.key == "network.learning_rate" for e in c.errors):
            c.add("network.learning_rate", "an sgd_update family needs a learning rate")
    if kind in ("gradient_entry", "gradient_matrix") and entry != ("random" if kind == "gradient_entry" else "all"):
        c.add("ask.entry", f"a {kind} family asks {'one entry' if kind == 'gradient_entry' else 'the whole array'}: "
                           f"set entry = {'random' if kind == 'gradient_entry' else 'all'!r}")
    if kind == "forward_value" and quantity not in ("Z", "A"):
        c.add("ask.quantity", f"a forward_value family asks Z or A, got {quantity!r}")
    if kind == "formula_choice" and acts:
        if len(hidden) != 1:
            c.add("network.hidden", "a formula_choice family needs exactly one hidden layer (its formulas are for dW1 of two layers)")
        pairs = {("softmax", "cross_entropy"), ("sigmoid", "bce"), ("identity", "half_sse")}
        for choice in acts[-1]:
            last = choice.split("+")[-1].split("(")[0]
            for name in losses:
                if (last, name) not in pairs:
                    c.add("network.activations", f"formula_choice writes dZ2 = (A2 − Y)/m, which is wrong for "
                                                 f"a {last!r} output with the {name!r} loss (use softmax + cross_entropy, "
                                                 "sigmoid + bce or identity + half_sse)")
    min_d = data.get("min_distractors", 1)
    if not isinstance(min_d, int) or min_d < 0:
        c.add("min_distractors", f"must be a whole number ≥ 0, got {min_d!r}")
    credit = data.get("mistake_credit", {})
    if not isinstance(credit, dict):
        c.add("mistake_credit", "must be a table of mistake id = share of the points (0 to 1)")
        credit = {}
    for mid, share in sorted(credit.items()):
        if mid not in MISTAKE_IDS:
            c.add(f"mistake_credit.{mid}", f"unknown mistake (known: {', '.join(sorted(MISTAKE_IDS))})")
        elif isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
            c.add(f"mistake_credit.{mid}", f"must be a share of the points from 0 to 1, got {share!r}")
    hints = data.get("hints", [])
    if not isinstance(hints, list) or not all(isinstance(h, str) for h in hints):
        c.add("hints", "must be a list of strings")
        hints = []

    if c.errors:
        return None, c.errors
    family = Family(
        id=family_id, path=path, title=data["title"], topic=topic, tags=tuple(tags),
        difficulty=difficulty, source=data["source"], kind=kind, notation=notation, prompt=prompt,
        summary=data.get("summary", ""), inputs=inputs, hidden=tuple(hidden), outputs=outputs,
        batch=batch, activations=tuple(acts), bias=bias, losses=losses, reduction=reduction,
        learning_rate=float(lr) if lr is not None else None, grid=grid, ranges=ranges,
        labels=labels, nonzero_weights=bool(values.get("nonzero_weights", True)),
        z_range=z_range, eps=float(eps), quantity=quantity, layer=layer, entry=entry,
        ask_activation=ask_acts, min_distractors=min_d, hints=tuple(hints),
        mistake_credit={k: float(v) for k, v in sorted(credit.items())},
    )
    return family, []
