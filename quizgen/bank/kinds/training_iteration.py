"""training_iteration: one full SGD iteration on a small network (engine/training.py): forward,
loss, backward, update, forward again, and the new loss (or the loss decrease, or one updated
weight).

The family's [training] table says what is asked; the network is drawn like every network kind
(bank/sample.py, [network] with its learning_rate). Distractors are real computations: each
update slip of engine/training.py SLIPS, and each backward-pass mistake of the catalog followed
by a correct update.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from quizgen.bank.fields import add_known, one_of
from quizgen.bank.kinds import precision
from quizgen.bank.kinds.base import Kind, register, with_role
from quizgen.bank.kinds.common import (
    DISPLAY_FLOOR, Distractors, Draft, approximations, asked_precision, base_context, engine_distractors, is_exact,
    make_answer, network_given, require,
)
from quizgen.bank.kinds.numeric import asked_tex, noun
from quizgen.bank.prompts import DEFAULTS
from quizgen.bank.sample import Degenerate, draw_network, solved
from quizgen.bank.spec import Family
from quizgen.bank.steps import StepWriter
from quizgen.engine import mistakes, training
from quizgen.engine.network import Layer, Network
from quizgen.messages import t
from quizgen.messages.text import text
from quizgen.render.numbers import fmt

KEYS = {"ask", "layer"}
ASKS = ("new_loss", "decrease", "weight")
ASKED = {"new_loss": r"J_{\text{new}}", "decrease": r"J - J_{\text{new}}"}
SAME_AS_SLIP = {"sign_flipped"}  # a backward mistake that is one of the update slips (gradient ascent)


def validate(c, seen: dict) -> None:
    raw = seen.get("table")
    if seen["learning_rate"] is None and not any(e.key == "network.learning_rate" for e in c.errors):
        c.add("network.learning_rate", t("kinds.training_rate"))
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        c.add("training", t("kinds.training_table"))
        return
    for key in sorted(set(raw) - KEYS):
        add_known(c, f"training.{key}"[:80], "kinds.training_unknown_key", sorted(KEYS))
    one_of(c, "training.ask", raw.get("ask", "new_loss"), ASKS, "ask")
    layer = raw.get("layer", 1)
    layers = len(seen["hidden"]) + 1
    if not isinstance(layer, int) or isinstance(layer, bool) or not (1 <= layer <= layers or -layers <= layer <= -1):
        c.add("training.layer", t("family.layer", layers=layers, value=str(layer)[:40]))


# A layer's symbol (W^{[1]}, b^{[2]}, Z^{[1]}, A^{[2]}, H^{[1]}_{2}) and the loss J opening a formula.
LAYER_SYMBOL = re.compile(r"(?<![A-Za-z\\}])([WbZAH])\^\{\[(\d+)\]\}(?:_\{([^{}]*)\})?")
LOSS_SYMBOL = re.compile(r"^J(?= =)")
NEW = r"\text{new}"


def renamed(tex: str) -> str:
    """A formula of the second forward pass in the updated symbols: W^{[1]} -> W^{[1]}_{new}, J -> J_new."""
    tex = LAYER_SYMBOL.sub(lambda m: f"{m[1]}^{{[{m[2]}]}}_{{{NEW}" + (f",{m[3]}" if m[3] else "") + "}", tex)
    return LOSS_SYMBOL.sub(lambda m: f"J_{{{NEW}}}", tex)


@lru_cache(maxsize=1024)
def _renamed_symbols(tex: str) -> str:
    """renamed() of a formula without numbers (a step's symbolic form or a tex part): the same few
    dozen strings in every variant, so renamed once each (a substituted line holds numbers)."""
    return renamed(tex)


def after(step):
    """A step of the second forward pass: its title says so, and its symbols carry "new" as its
    numbers are the updated ones (W^{[1]}_{new}, Z^{[1]}_{new}, J_new), as the prompt names them."""
    step.title = text("kinds.training_after_title", step=step.title)
    step.symbolic, step.substituted = _renamed_symbols(step.symbolic), renamed(step.substituted)
    step.parts = [{"tex": _renamed_symbols(p["tex"])} if "tex" in p else p for p in step.parts]
    return step


def gradient_steps(writer: StepWriter) -> list:
    """Every gradient an update needs: the output error, then dW and db of each layer, going down."""
    net = writer.net
    steps = writer.output_steps()
    for l in range(writer.L, 0, -1):
        steps.append(writer.weight_step(l))
        if net.layers[l - 1].b is not None:
            steps.append(writer.bias_step(l))
        if l > 1:
            steps.append(writer.propagate_step(l - 1))
            steps += writer.activation_steps(l - 1, list(range(len(net.layers[l - 2].activations) - 1, -1, -1)))
    return steps


def update_steps(writer: StepWriter) -> list:
    out = []
    for l, layer in enumerate(writer.net.layers, start=1):
        out.append(writer.sgd_step(l, "W_new"))
        if layer.b is not None:
            out.append(writer.sgd_step(l, "b_new"))
    return out


def _round(x, digits: int):
    return None if x is None else np.asarray(precision.round_sig(np.asarray(x, dtype=float), digits), dtype=float)


def carried(net: Network, ask: str, digits: int) -> float:
    """New loss (or decrease) of a student who carries `digits` significant figures throughout."""
    o = net.notation.orient
    tape = precision.carried_tape(net, digits)  # one pass gives every W_new, b_new and the loss
    layers = []
    for i, layer in enumerate(net.layers):
        W = o(np.asarray(tape.value_at(f"layers.{i}.W_new"), dtype=float))
        b = np.asarray(tape.value_at(f"layers.{i}.b_new"), dtype=float) if layer.b is not None else None
        layers.append(Layer(W=_round(W, digits), b=_round(b, digits), activations=layer.activations))
    updated = Network(net.notation, layers, net.loss, net.X, net.Y, net.learning_rate)
    new = float(precision.carried_tape(updated, digits, gradients=False).loss)
    return new if ask == "new_loss" else float(tape.loss) - new


def _value(it: training.Iteration, ask: str) -> float:
    return float(it.after.loss) if ask == "new_loss" else it.decrease


def build(family: Family, rng: np.random.Generator) -> Draft:
    raw = family.table
    ask = raw.get("ask", "new_loss")
    l = raw.get("layer", 1)
    l = l if l > 0 else len(family.hidden) + 2 + l  # -1: the output layer
    net = draw_network(family, rng)
    tape = solved(net)
    if ask == "weight":
        return _weight(family, rng, net, tape, l)
    it = training.iterate(net, before=tape)  # the backward pass `solved` made, not redone per iteration
    value = _value(it, ask)
    if abs(value) < DISPLAY_FLOOR:
        raise Degenerate("reject.asked_value_zero", key="values")
    asked = asked_precision(value, is_exact(net) and net.loss.exact)
    widen = 0.0 if asked["rule"] == "exact" else carried(net, ask, precision.CARRY) - value
    answer = make_answer(value, asked, widen)

    found = Distractors(answer)
    for slip in training.SLIPS:
        if training.applies(net, slip):
            found.add(_value(training.iterate(net, slip=slip, before=tape), ask), slip)
    if any(d.also for d in found.kept):
        raise Degenerate("reject.mistakes_coincide", key="network")
    for mistake in mistakes.CATALOG.values():
        if mistake.id in SAME_AS_SLIP or not mistake.applies(net):
            continue
        try:  # the mistake's backward pass reuses the correct tape's forward pass and unchanged values
            wrong = _value(training.iterate(net, before=mistake.backward(tape)), ask)
        except (mistakes.NotApplicable, ValueError, TypeError):  # shapes that do not multiply
            continue
        found.add(wrong, mistake.id)  # a student making it must not be marked right: else redraw
    require(found.kept, family.min_distractors)
    digits = precision.CARRY if asked["rule"] == "exact" else precision.EARLY
    found.add(carried(net, ask, digits), "rounded_too_early", strict=False)

    writer, again = StepWriter(it.before), StepWriter(it.after)
    steps = (with_role("forward", writer.forward()) + with_role("loss", [writer.loss_step()])
             + with_role("backward", gradient_steps(writer)) + with_role("update", update_steps(writer))
             + with_role("forward", [after(s) for s in again.forward()]) + with_role("loss", [after(again.loss_step())]))
    if ask == "decrease":
        steps.append(writer.step(text("kinds.training_decrease_title"), r"J - J_{\text{new}}",
                                 [{"tex": r"J - J_{\text{new}} ="}, {"num": it.before.loss}, {"tex": "-"},
                                  {"num": it.after.loss}, {"tex": "="}], value,
                                 text("kinds.training_decrease_explanation")))
        steps[-1].role = "loss"
    given = network_given(net) + approximations(tape, len(net.layers))
    context = base_context(net)
    context.update(asked=ASKED[ask], asked_text=text(f"kinds.training_asked_{ask}"), entry="",
                   learning_rate=fmt(net.learning_rate))
    return Draft(answer=answer, steps=steps, given=given, context=context, problem=net.to_problem(),
                 distractors=found.kept)


def _weight(family: Family, rng, net: Network, tape, l: int) -> Draft:
    """One entry of W_new of layer l: the iteration up to its update, then the entry read off."""
    target = f"layers.{l - 1}.W_new"
    whole = np.asarray(tape.value_at(target), dtype=float)
    index = tuple(int(i) for i in np.unravel_index(int(rng.integers(whole.size)), whole.shape))
    target += "." + ".".join(str(i) for i in index)
    value = float(whole[index])
    step = float(net.learning_rate * abs(np.asarray(tape.value_at(f"layers.{l - 1}.dW"))[index]))
    if abs(value) < DISPLAY_FLOOR or step < DISPLAY_FLOOR:
        raise Degenerate("reject.asked_value_zero", key="values")
    exact = is_exact(net)
    if exact and precision.exact_decimals(value) is not None:
        asked = precision.precision("exact")
    else:  # ask the decimals that show the step η·dW to SIG figures, not a share of W
        decimals = max(0, precision.SIG - 1 - int(np.floor(np.log10(step))))
        asked = precision.precision("dec", decimals, precision.CARRY)
    widen = 0.0 if asked["rule"] == "exact" else float(precision.carried(net, target, precision.CARRY)) - value
    answer = make_answer(value, asked, widen)
    found = engine_distractors(tape, target, answer)
    internal = index if net.notation.value == "column" else index[::-1]
    for slip in ("gradient_ascent", "learning_rate_forgotten", "output_layer_only"):
        if training.applies(net, slip):
            updated = training.stepped(net, tape, slip)  # `tape` is the backward pass; no second forward pass
            found.add(float(np.asarray(updated.layers[l - 1].W)[internal]), slip)
    require(found.kept, family.min_distractors)
    digits = precision.CARRY if asked["rule"] == "exact" else precision.EARLY
    found.add(precision.carried(net, target, digits), "rounded_too_early", strict=False)

    writer = StepWriter(tape)
    steps = with_role("forward", writer.forward()) + with_role("backward", writer.backward_to(l, "W_new"))
    steps[-1].role = "update"
    shown = asked_tex("W_new", l, index)
    steps += with_role("read", [writer.step(text("kinds.read_entry_title"), shown, [{"tex": f"{shown} ="},
                                                                                    {"num": value}], value,
                                            text("kinds.read_entry_cell", row=index[0] + 1, col=index[1] + 1,
                                                 what=noun(steps[-1].title)))])
    given = network_given(net) + approximations(tape, len(net.layers))
    context = base_context(net)
    context.update(asked=shown, asked_text=text("kinds.training_asked_weight", layer=l,
                                                entry=",".join(str(i + 1) for i in index)),
                   entry=",".join(str(i + 1) for i in index), learning_rate=fmt(net.learning_rate))
    return Draft(answer=answer, steps=steps, given=given, context=context, problem=net.to_problem(),
                 target=target, distractors=found.kept,
                 prompt=[text("prompts.network"), text("prompts.training_iteration_weight")])  # no second pass


KIND = register(Kind("training_iteration", build, lambda: DEFAULTS["training_iteration"], validate, table="training", network_prompt=True))
