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
