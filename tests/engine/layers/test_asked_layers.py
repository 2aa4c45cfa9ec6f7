"""Every layer type a question can ask about (the AskedLayer facets of engine/layers/base.py): its rules'
TeX converts piece by piece (a writer renders each piece alone), every value a rule shows has a
symbol, every step has its text in both languages and every mistake is catalogued in both."""

import itertools

import pytest

from quizgen.engine.layers import TYPES
from quizgen.engine.mistakes import OTHER
from quizgen.messages import catalog
from quizgen.render.mathml import tex_inner

ASKED = [name for name, layer in TYPES.items() if hasattr(layer, "rules")]


def option_sets(layer):
    keys = list(layer.options)
    return [dict(zip(keys, combo)) for combo in itertools.product(*(layer.options[k] for k in keys))]


def rule_sets(layer):
    for options in option_sets(layer):
        yield options, layer.rules(options)
        for mistake in layer.mistakes:
            wrong = layer.mistaken(mistake, options)
            if wrong is not None:
                yield options, wrong


def test_the_shipped_asked_types():
    assert {"dropout", "batchnorm"} <= set(ASKED)


@pytest.mark.parametrize("name", ASKED)
def test_every_tex_piece_converts_alone_and_every_value_has_a_symbol(name):
    layer = TYPES[name]
    for options, rules in rule_sets(layer):
        for quantity, rule in rules.items():
            assert quantity in layer.symbols, (name, quantity)
            for piece in rule.parts:
                if piece.startswith("@"):
                    assert piece[1:] in layer.symbols, (name, quantity, piece)
                else:
                    assert "<mtext>" not in tex_inner(piece), (name, options, quantity, piece)


@pytest.mark.parametrize("name", ASKED)
def test_every_step_and_mistake_is_worded_in_both_languages(name):
    layer = TYPES[name]
    for lang in ("en", "zh"):
        words = catalog(lang)
        for options, rules in ((o, layer.rules(o)) for o in option_sets(layer)):
            for quantity, rule in rules.items():
                assert layer.step_keys[quantity] in words and rule.why in words, (lang, quantity)
            for key, value in options.items():
                assert f"layer.{name}.{key}_{value}" in words, (lang, key, value)
        assert f"layer.{name}.name" in words and f"layer.{name}.setting" in words, lang
    for mistake in layer.mistakes:
        assert mistake in OTHER, mistake
