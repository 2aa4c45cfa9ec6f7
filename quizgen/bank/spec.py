"""The family format (question_bank/<topic>/<id>.toml), validated with every error collected.

See question_bank/README.md for the annotated format. A Family is plain data; sampling and
question building read it, nothing else mutates it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from quizgen.bank import localized
from quizgen.bank.prompts import PLACEHOLDER, prompt_problems
from quizgen.bank.fields import Collector, add_known, grid_holds_points, number_range, one_of, table, text, visible
from quizgen.bank.texcheck import text_problems
from quizgen.datafile import clip, key_name
from quizgen.engine.activations import parse_activation
from quizgen.engine.losses import NAMES as LOSS_NAMES
from quizgen.engine.mistakes import CATALOG, OTHER
from quizgen.errors import BankError
from quizgen.limits import (MAX_CHAIN, MAX_BATCH, MAX_DISTRACTORS, MAX_HIDDEN, MAX_HINTS, MAX_ID_LENGTH, MAX_LEARNING_RATE,
                            MAX_PROMPT, MAX_TAGS, MAX_TEXT, MAX_UNITS, MAX_VALUE)
from quizgen.messages import t
from quizgen.problem import MAX_L2

QUANTITIES = ("Z", "A", "dA", "dZ", "dW", "db", "W_new", "b_new", "loss", "dX")
GRIDS = {"integers": 1.0, "halves": 0.5, "tenths": 0.1, "quarters": 0.25}
LABELS = ("one_hot", "binary", "grid")
PROMPT_NAMES = frozenset({
    "asked", "asked_text", "network", "notation", "m", "L", "sizes", "loss", "loss_latex",
    "reduction", "learning_rate", "eps", "z", "activation", "activation_latex", "entry", "known",
    "param", "examples", "reduced", "optimizer", "count", "parameter",
    "layer", "setting", "layout",
    "ok", "bug",  # a gradient check's thresholds (bank/kinds/relative_error.py)
})
MISTAKE_IDS = set(CATALOG) | set(OTHER)
# Keys every family may have; each kind adds its own table (`Kind.table`: [optimizer], [layer], …), see top_keys().
COMMON_KEYS = {"id", "title", "topic", "tags", "difficulty", "source", "kind", "notation", "prompt",
               "summary", "network", "values", "ask", "min_distractors", "hints", "mistake_credit", "parts"}
NETWORK_KEYS = {"inputs", "hidden", "outputs", "batch", "activations", "bias", "loss", "reduction",
                "learning_rate", "l2"}
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
    parts: tuple = ()  # a multipart family's [[parts]] tables, checked by its kind (bank/kinds/multipart.py)
    table: dict = field(default_factory=dict)  # the kind's own table (Kind.table: [optimizer], [layer], …), checked by the kind
    texts: dict = field(default_factory=dict)  # language -> its own title/summary/source/hints/prompt (bank/localized.py)
    l2: float = 0.0  # [network] l2: the L2 coefficient λ, J gains (λ/2m)·Σ‖W‖² (engine/losses.py)

    @property
    def layers(self) -> int:
        return len(self.hidden) + 1


def __getattr__(name: str):
    """`KINDS`: the registered kinds' names, in registration order (quizgen.bank.kinds); `TOP_KEYS`: top_keys()."""
    if name == "KINDS":
        return tuple(_kinds())
    if name == "TOP_KEYS":
        return top_keys()
    raise AttributeError(name)


def table_owners() -> dict[str, tuple[str, ...]]:
    """Each kind table's name -> the kinds that read it (the layer kinds share [layer])."""
    owners: dict[str, tuple[str, ...]] = {}
    for kind in _kinds().values():
        if kind.table:
            owners[kind.table] = owners.get(kind.table, ()) + (kind.name,)
    return owners


def top_keys() -> set[str]:
    """Every key a family may have: the common ones and each registered kind's own table."""
    return COMMON_KEYS | set(table_owners())


def _kinds() -> dict:
    from quizgen.bank.kinds import KINDS  # the kind modules read Family from here: import late

    return KINDS


def _chain_ok(c: Collector, key: str, choice: str) -> bool:
    if choice.count("+") >= MAX_CHAIN:  # each activation is a pass over the layer (a 100,000-long chain ran away)
        c.add(key, t("family.chain_too_long", count=choice.count("+") + 1, limit=MAX_CHAIN))
        return False
    try:
        for part in choice.split("+"):
            parse_activation(part)
    except ValueError as exc:
        c.add(key, str(exc))
        return False
    return True


def parse_family(data: dict, path: str, family_id: str, topic: str) -> tuple[Family | None, list[BankError]]:
    """Validate one family table; return (family or None, every error found)."""
    c = Collector(path)
    known = top_keys()
    for key in sorted(set(data) - known - set(localized.other_languages())):
        add_known(c, key_name(key), "family.unknown_key", sorted(known))
    title = text(c, data, "title")
    if "title" in data and isinstance(data["title"], str) and not visible(data["title"]):
        c.add("title", t("family.empty"))
    for key in ("kind", "difficulty"):
        if key not in data:
            c.add(key, t("family.missing"))
    source = text(c, data, "source")
    summary = text(c, data, "summary", "")
    if "id" in data and data["id"] != family_id:
        c.add("id", t("family.id_mismatch", value=data["id"], family_id=family_id))
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", family_id):
        c.add("id", t("family.id_characters", family_id=family_id))
    elif len(family_id) > MAX_ID_LENGTH:
        c.add("id", t("family.id_too_long", length=len(family_id), limit=MAX_ID_LENGTH))
    kinds = _kinds()
    kind = data.get("kind")
    if kind is not None:
        kind = one_of(c, "kind", kind, tuple(kinds), "kind")
    if "topic" in data and not (isinstance(data["topic"], str) and data["topic"].strip()):
        c.add("topic", t("family.topic", value=data["topic"]))
    difficulty = data.get("difficulty", 1)
    if not isinstance(difficulty, int) or isinstance(difficulty, bool) or not 1 <= difficulty <= 5:
        c.add("difficulty", t("family.difficulty", value=difficulty))
    tags = data.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) and tag for tag in tags):
        c.add("tags", t("family.tags"))
        tags = []
    elif len(tags) > MAX_TAGS or any(len(tag) > MAX_TEXT for tag in tags):
        c.add("tags", t("family.tags_too_many", tags=MAX_TAGS, chars=MAX_TEXT))
        tags = []
    notation = data.get("notation", "column")
    if not isinstance(notation, str) or notation not in ("column", "row"):
        c.add("notation", t("family.notation", value=notation))
    prompt = data.get("prompt")
    if prompt is not None:
        if not isinstance(prompt, str):
            c.add("prompt", t("family.prompt_not_string"))
        elif len(prompt) > MAX_PROMPT:
            c.add("prompt", t("family.too_long", length=len(prompt), limit=MAX_PROMPT))
        else:
            problems = prompt_problems(prompt, PROMPT_NAMES)
            for problem in problems or text_problems(PLACEHOLDER.sub("x", prompt)):
                c.add("prompt", problem)

    net = table(c, data, "network", NETWORK_KEYS)
    units, examples = kinds[kind].limits if kind in kinds else (MAX_UNITS, MAX_BATCH)
    inputs = number_range(c, "network.inputs", net.get("inputs", [2, 2]), low=1, high=units)
    outputs = number_range(c, "network.outputs", net.get("outputs", [2, 2]), low=1, high=units)
    batch = number_range(c, "network.batch", net.get("batch", [1, 1]), low=1, high=examples)
    hidden_raw = net.get("hidden", [])
    hidden = []
    if not isinstance(hidden_raw, list):
        c.add("network.hidden", t("family.hidden"))
    elif len(hidden_raw) > MAX_HIDDEN:
        c.add("network.hidden", t("family.hidden_too_many", count=len(hidden_raw), limit=MAX_HIDDEN))
    else:
        for i, h in enumerate(hidden_raw, start=1):
            hidden.append(number_range(c, f"network.hidden[{i}]", h, low=1, high=units))
    acts_raw = net.get("activations", ["identity"] * (len(hidden) + 1))
    acts: list[tuple[str, ...]] = []
    if not isinstance(acts_raw, list) or not all(isinstance(a, str) for a in acts_raw):
        c.add("network.activations", t("family.activations"))
    elif len(acts_raw) != len(hidden) + 1:
        c.add("network.activations", t("family.activations_count", count=len(acts_raw), layers=len(hidden) + 1,
                                       hidden=len(hidden)))
    else:
        for i, spec in enumerate(acts_raw, start=1):
            choices = tuple(s.strip() for s in spec.split("|"))
            if all(_chain_ok(c, f"network.activations[{i}]", ch) for ch in choices):
                acts.append(choices)
    loss_raw = net.get("loss", "cross_entropy")
    if not isinstance(loss_raw, str):
        c.add("network.loss", t("family.loss", value=loss_raw))
        loss_raw = "cross_entropy"
    losses = tuple(s.strip() for s in loss_raw.split("|"))
    for name in losses:
        if name not in LOSS_NAMES:
            add_known(c, "network.loss", "family.unknown_loss", LOSS_NAMES, value=name)
    reduction = net.get("reduction", "mean")
    if not isinstance(reduction, str) or reduction not in ("mean", "sum"):
        c.add("network.reduction", t("family.reduction", value=reduction))
    lr = net.get("learning_rate")
    if lr is not None and (not isinstance(lr, (int, float)) or isinstance(lr, bool) or not 0 < lr <= MAX_LEARNING_RATE):
        c.add("network.learning_rate", t("family.learning_rate", limit=MAX_LEARNING_RATE, value=lr))
    l2 = net.get("l2", 0)
    if not isinstance(l2, (int, float)) or isinstance(l2, bool) or not 0 <= l2 <= MAX_L2:
        c.add("network.l2", t("family.l2", limit=MAX_L2, value=l2))
        l2 = 0
    bias = net.get("bias", True)
    if not isinstance(bias, bool):
        c.add("network.bias", t("family.boolean", value=bias))

    values = table(c, data, "values", VALUE_KEYS)
    grid = one_of(c, "values.grid", values.get("grid", "integers"), tuple(GRIDS), "grid")
    nonzero_weights = values.get("nonzero_weights", True)
    if not isinstance(nonzero_weights, bool):
        c.add("values.nonzero_weights", t("family.boolean", value=nonzero_weights))
    ranges = {}
    for name, default in (("X", [-2, 2]), ("W", [-2, 2]), ("b", [-1, 1])):
        r = number_range(c, f"values.{name}", values.get(name, default), integer=False, low=-MAX_VALUE, high=MAX_VALUE)
        if r:
            ranges[name] = r
    labels = one_of(c, "values.labels", values.get("labels", "one_hot"), LABELS, "labels")
    z_range = number_range(c, "values.z", values.get("z", [-2, 2]), integer=False, low=-MAX_VALUE, high=MAX_VALUE)
    if grid and z_range:
        for name, bounds in (("X", ranges.get("X")), ("W", ranges.get("W")), ("b", ranges.get("b")), ("z", z_range)):
            if bounds and (name != "b" or bias is True):
                nonzero = name in ("X", "z") or (name == "W" and nonzero_weights is True)
                grid_holds_points(c, f"values.{name}", bounds, GRIDS[grid], nonzero)
    eps = values.get("eps", 0.01)
    if not isinstance(eps, (int, float)) or isinstance(eps, bool) or not 0 < eps < 1:
        c.add("values.eps", t("family.eps", value=eps))

    ask = table(c, data, "ask", ASK_KEYS)
    quantity = one_of(c, "ask.quantity", ask.get("quantity", "dW"), QUANTITIES, "quantity")
    layer = ask.get("layer", 1)
    n_layers = len(hidden) + 1
    if not isinstance(layer, int) or isinstance(layer, bool) or not (1 <= layer <= n_layers or -n_layers <= layer <= -1):
        c.add("ask.layer", t("family.layer", layers=n_layers, value=layer))
        layer = 1
    elif layer < 0:
        layer = n_layers + 1 + layer
    entry = ask.get("entry", "random")
    if not isinstance(entry, str) or entry not in ("random", "all"):
        c.add("ask.entry", t("family.entry", value=entry))
    ask_act = ask.get("activation", "sigmoid|tanh|relu")
    if not isinstance(ask_act, str):
        c.add("ask.activation", t("family.ask_activation", value=ask_act))
        ask_act = "sigmoid"
    ask_acts = tuple(s.strip() for s in ask_act.split("|"))
    for a in ask_acts:
        _chain_ok(c, "ask.activation", a)
    if quantity in ("db", "b_new") and not bias:
        c.add("ask.quantity", t("family.no_bias", quantity=quantity))
    if "parts" in data and kind != "multipart":
        c.add("parts", t("family.parts_not_multipart"))
    for key, owners in sorted(table_owners().items()):
        if key in data and kind not in owners:
            c.add(key, t("kinds.table_other_kind", table=key, kind=t("kinds.table_owner_separator").join(owners)))
    own = kinds[kind].table if kind in kinds else None
    if kind in kinds:  # the kind's own rules (quizgen/bank/kinds/<kind>.py)
        kinds[kind].validate(c, {"hidden": hidden, "activations": acts, "losses": losses, "quantity": quantity,
                                 "entry": entry, "learning_rate": lr, "bias": bias, "layer": layer,
                                 "parts": data.get("parts"), "grid": grid, "table": data.get(own) if own else None})
    min_d = data.get("min_distractors", 1)
    if not isinstance(min_d, int) or isinstance(min_d, bool) or not 0 <= min_d <= MAX_DISTRACTORS:
        c.add("min_distractors", t("family.min_distractors", limit=MAX_DISTRACTORS, value=min_d))
    credit = data.get("mistake_credit", {})
    if not isinstance(credit, dict):
        c.add("mistake_credit", t("family.credit_table"))
        credit = {}
    for mid, share in sorted(credit.items()):
        if mid not in MISTAKE_IDS:
            near = difflib.get_close_matches(str(mid), sorted(MISTAKE_IDS), n=1)
            c.add(f"mistake_credit.{key_name(mid)}",
                  t("family.unknown_mistake_near", near=near[0]) if near else t("family.unknown_mistake"))
        elif isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
            c.add(f"mistake_credit.{key_name(mid)}", t("family.credit_share", value=clip(repr(share))))
    hints = data.get("hints", [])
    if not isinstance(hints, list) or not all(isinstance(h, str) for h in hints):
        c.add("hints", t("family.hints"))
        hints = []
    elif len(hints) > MAX_HINTS or any(len(hint) > MAX_TEXT for hint in hints):
        c.add("hints", t("family.hints_too_many", hints=MAX_HINTS, chars=MAX_TEXT))
        hints = []
    for i, hint in enumerate(hints, start=1):
        for problem in text_problems(hint):
            c.add(f"hints[{i}]", problem)
    texts = localized.parse(c, data, {"hints": hints, "prompt": prompt if isinstance(prompt, str) else None},
                            PROMPT_NAMES)

    if c.errors:
        return None, c.errors
    family = Family(
        id=family_id, path=path, title=title, topic=topic, tags=tuple(tags),
        difficulty=difficulty, source=source, kind=kind, notation=notation, prompt=prompt,
        summary=summary, inputs=inputs, hidden=tuple(hidden), outputs=outputs,
        batch=batch, activations=tuple(acts), bias=bias, losses=losses, reduction=reduction,
        learning_rate=float(lr) if lr is not None else None, grid=grid, ranges=ranges,
        labels=labels, nonzero_weights=nonzero_weights,
        z_range=z_range, eps=float(eps), quantity=quantity, layer=layer, entry=entry,
        ask_activation=ask_acts, min_distractors=min_d, hints=tuple(hints),
        mistake_credit={k: float(v) for k, v in sorted(credit.items())},
        parts=tuple(dict(p) for p in data.get("parts", ()) if isinstance(p, dict)),
        table=dict(data[own]) if own and isinstance(data.get(own), dict) else {},
        texts=texts,
        l2=float(l2),
    )
    return family, []
