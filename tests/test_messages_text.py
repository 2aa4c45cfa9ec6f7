"""Records hold message keys; `say` words them, and passes plain bank text through."""

from quizgen.messages import t
from quizgen.messages.text import say, text


def test_a_key_with_parameters_is_worded_from_the_catalog():
    assert say(text("cli.interrupted")) == t("cli.interrupted")


def test_plain_bank_text_passes_through_unchanged():
    assert say("A family author's own words, $x$") == "A family author's own words, $x$"
    assert say(None) is None


def test_a_template_fills_each_placeholder_once_with_worded_values():
    from quizgen.messages.text import template

    prompt = template("{{ a }} and {{b}} with {{ loss }}", a="{{ b }}", b="7", loss=text("engine.loss.mse"))
    assert say(prompt) == "{{ b }} and 7 with " + t("engine.loss.mse")  # never expanded twice
    assert say(template(text("prompts.network"), L="2")).startswith(t("prompts.network").split("{{")[0] + "2")


def test_paragraphs_are_worded_trimmed_and_blank_ones_dropped():
    assert say(["  one\n\n", text("cli.interrupted"), "", "two"]) == "one\n\n" + t("cli.interrupted") + "\n\ntwo"


def test_a_registry_name_without_catalog_words_is_its_own_words():
    """A toy activation or loss a test registers has no engine.toml entry: it is named as given."""
    from quizgen.messages.text import key_or_words

    assert key_or_words("engine.activation.relu", "relu") == text("engine.activation.relu")
    assert key_or_words("engine.activation.swish", "swish") == "swish"
    assert key_or_words("Poisson negative log-likelihood") == "Poisson negative log-likelihood"


def test_say_remembers_a_text_only_while_its_catalog_is_in_use(monkeypatch):
    """Guards say's memo (issue 15, speed): a text worded twice reads the same words, a float
    parameter is never confused with an int, and a catalog swapped in (or reloaded) is worded
    from, never answered from the old one."""
    from quizgen import messages

    step = text("steps.activation", act=text("engine.activation.relu"), layer=2)
    first = say(step)
    assert say(step) == first == t("steps.activation", act=t("engine.activation.relu"), layer=2)
    assert say(text("steps.activation", act="x", layer=1.0)) == t("steps.activation", act="x", layer=1.0)
    assert say(text("steps.activation", act="x", layer=1)) == t("steps.activation", act="x", layer=1)
    assert say(step, "zh") == t("steps.activation", "zh", act=t("engine.activation.relu", "zh"), layer=2)
    english = messages.catalog
    monkeypatch.setattr(messages, "catalog", lambda lang="en": {**english(lang), "steps.activation": "«{act}|{layer}»"})
    assert say(step) == "«" + t("engine.activation.relu") + "|2»"
    monkeypatch.undo()
    assert say(step) == first
