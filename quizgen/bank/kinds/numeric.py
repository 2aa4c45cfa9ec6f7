"""The builder the tape-quantity kinds share (forward values, loss, deltas, gradients, SGD): each
kind module says which quantity of which layer it asks, this draws, solves and explains it."""

from __future__ import annotations

import numpy as np

from quizgen.bank.kinds import precision
from quizgen.bank.kinds.base import with_role
from quizgen.bank.kinds.common import (
    DISPLAY_FLOOR, Distractors, Draft, add_rounded_too_early, approximations, asked_precision, base_context,
    engine_distractors, is_exact, make_answer, network_given, require,
)
from quizgen.bank.latex import sym
from quizgen.bank.sample import Degenerate, draw_network, one_of, solved
from quizgen.bank.spec import Family
from quizgen.bank.steps import StepWriter
from quizgen.engine.loss_mistakes import value_slips
from quizgen.messages.text import text

def asked_tex(quantity: str, l: int, index: tuple | None) -> str:
    sub = ",".join(str(i + 1) for i in index) if index else ""
    if quantity == "loss":
        return "J"
    if quantity == "dX":
        return r"\frac{\partial J}{\partial X" + (f"_{{{sub}}}" if sub else "") + "}"
    if quantity.startswith("d"):
        return r"\frac{\partial J}{\partial " + sym(quantity[1:], l, sub) + "}"
    if quantity.endswith("_new"):
        base = quantity[0]
        name = sym(base, l) + r"_{\text{new}}"
        return f"\\left({name}\\right)_{{{sub}}}" if sub else name
    return sym(quantity, l, sub)


def noun(title: dict) -> dict:
    """A step writer's title as the noun a sentence names it by (steps.toml [noun])."""
    return text(f"steps.noun.{title['key'].removeprefix('steps.')}", **title["params"])


def asked_text(quantity: str, l: int, index: tuple | None):
    """What is asked in words (`{{ asked_text }}`), a text: "∂J/∂W1 entry (1, 2)"."""
    if quantity == "loss":
        return text("prompts.asked_loss")
    name = "∂J/∂X" if quantity == "dX" else quantity.replace("_new", "") + str(l)
    if quantity.startswith("d") and quantity != "dX":
        name = f"∂J/∂{name[1:]}"
    if quantity.endswith("_new"):
        name = text("prompts.asked_after_step", name=name)
    return text("prompts.asked_entry", name=name, entry=", ".join(str(i + 1) for i in index)) if index else name


def build(family: Family, rng: np.random.Generator, quantity: str | None = None, l: int | None = None) -> Draft:
    """The question asking `quantity` of layer `l` (default: the family's ask.quantity and ask.layer)."""
    quantity, l = quantity or family.quantity, l or family.layer
    net = draw_network(family, rng)
    tape = solved(net)

    if quantity == "loss":
        target = "loss"
    elif quantity == "dX":
        target = "dX"
    else:
        target = f"layers.{l - 1}.{quantity}"
    whole = np.asarray(tape.value_at(target), dtype=float)
    index = None
    if family.entry == "random" and whole.ndim > 0:
        flat = np.flatnonzero(np.abs(whole) >= DISPLAY_FLOOR)
        if flat.size == 0:
            raise Degenerate("reject.every_entry_zero", key="values")
        index = tuple(int(i) for i in np.unravel_index(int(one_of(rng, flat)), whole.shape))
        target += "." + ".".join(str(i) for i in index)
    value = np.asarray(tape.value_at(target), dtype=float)
    if value.ndim == 0 and abs(float(value)) < DISPLAY_FLOOR:
        raise Degenerate("reject.asked_value_zero", key="values")
    if value.ndim > 0 and np.all(np.abs(value) < DISPLAY_FLOOR):
        raise Degenerate("reject.asked_quantity_zero", key="values")

    forward_kind = quantity in ("Z", "A")
    exact = is_exact(net) and not (quantity == "loss" and not net.loss.exact)
    if quantity.endswith("_new") and not (exact and precision.exact_decimals(value) is not None):
        # W − η·dW: ask for the decimals that show the step η·dW to SIG figures, not a share of W.
        grad = np.asarray(tape.value_at(target.replace("W_new", "dW").replace("b_new", "db")))
        step = float(net.learning_rate * np.max(np.abs(grad)))
        decimals = max(0, precision.SIG - 1 - int(np.floor(np.log10(step)))) if step > 0 else precision.SIG
        asked = precision.precision("dec", decimals, precision.CARRY)
    else:
        asked = asked_precision(value, exact)
    widen = 0.0 if asked["rule"] == "exact" else precision.carried(net, target, precision.CARRY) - value
    answer = make_answer(value, asked, widen)

    found = Distractors(answer) if forward_kind or quantity == "loss" else engine_distractors(tape, target, answer)
    if quantity == "loss":  # mistakes about J itself (an L2 penalty, a multi-label BCE, logits)
        for mistake_id, wrong in value_slips(tape):
            found.add(wrong, mistake_id)
    require(found.kept, family.min_distractors)
    add_rounded_too_early(found, net, target)
    distractors = found.kept

    # written after the distractors: a draw they reject (Inseparable, too few) typesets no steps
    writer, symbol = StepWriter(tape), asked_tex(quantity, l, index)
    if quantity == "Z":
        steps = with_role("forward", writer.forward(l - 1) + writer.forward_layer(l, through_activation=False))
    elif quantity == "A":
        steps = with_role("forward", writer.forward(l))
    elif quantity == "loss":
        steps = with_role("forward", writer.forward()) + with_role("loss", writer.loss_steps())
    else:
        steps = with_role("forward", writer.forward()) + with_role("backward", writer.backward_to(l, quantity))
        if quantity.endswith("_new"):
            steps[-1].role = "update"
    if index is not None:
        last = steps[-1]
        steps += with_role("read", [writer.step(text("kinds.read_entry_title"), symbol, [{"tex": f"{symbol} ="},
                                                                                     {"num": value}], value,
                                 text("kinds.read_entry_row", row=index[0] + 1, what=noun(last.title))
                                 if len(index) == 1 else
                                 text("kinds.read_entry_cell", row=index[0] + 1, col=index[1] + 1,
                                      what=noun(last.title)))])

    upto = l if forward_kind else len(net.layers)
    given = network_given(net, upto=upto, labels=not forward_kind)
    if not forward_kind and quantity != "loss":
        given += approximations(tape, len(net.layers))
    context = base_context(net)
    context.update(asked=symbol, asked_text=asked_text(quantity, l, index),
                   entry=",".join(str(i + 1) for i in index) if index else "")
    return Draft(answer=answer, steps=steps, given=given, context=context, problem=net.to_problem(),
                 target=target, distractors=distractors)
