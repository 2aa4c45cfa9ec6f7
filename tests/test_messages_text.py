"""Records hold message keys; `say` words them, and passes plain bank text through."""

from quizgen.messages import t
from quizgen.messages.text import say, text


def test_a_key_with_parameters_is_worded_from_the_catalog():
    assert say(text("cli.interrupted")) == t("cli.interrupted")


def test_plain_bank_text_passes_through_unchanged():
    assert say("A family author's own words, $x$") == "A family author's own words, $x$"
    assert say(None) is None
