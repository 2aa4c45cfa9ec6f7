"""Regression guards for the flashcard deck (issue 14): mistake cards do not give the mistake away
on their front, and numeric cards are neither duplicates nor trivial."""

from __future__ import annotations

from quizgen.writers.site_cards import mistake_cards, number_cards
from quizgen.writers.site_env import messages
from quizgen.writers.site_math import value


def entry(id_, mistakes=(), card=None, title="Logistic regression: the bias gradient"):
    return {"id": id_, "title": title, "mistakes": list(mistakes), "card": card}


def number_card(id_, front, answer):
    return {"id": f"n-{id_}", "front": front, "back": str(value(answer, display=True)), "worked": [],
            "href": f"questions/{id_}.html"}


FORGOT = ("forgot_1_over_m", "forget the 1/m of the mean over the batch.", "The loss averages over m examples.")


def test_mistake_front_shows_the_wrong_value_not_the_mistake():
    cards = mistake_cards([entry("q1", [FORGOT + ({"right": "0.25", "wrong": "1"},)])], messages())
    (card,) = cards
    assert "1/m" not in card["front"] and "forget" not in card["front"]
    assert "0.25" in card["front"] and "1" in card["front"] and "What went wrong?" in card["front"]
    assert "forget the 1/m of the mean over the batch" in card["back"]
    assert card["href"] == "questions/q1.html"


def test_mistake_card_prefers_an_entry_with_an_example():
    cards = mistake_cards([entry("q1", [FORGOT + (None,)]), entry("q2", [FORGOT + ({"right": "2", "wrong": "4"},)])],
                          messages())
    assert len(cards) == 1 and cards[0]["href"] == "questions/q2.html" and "forget" not in cards[0]["front"]


def test_numeric_cards_skip_duplicates_and_bare_zero_or_one():
    """softplus′(−0.5) appeared twice (two families) and ELU′(0.5) = 1 was a card."""
    softplus = "<p>Compute the derivative of softplus at z = -0.5</p>"
    entries = [entry("a", card=number_card("a", softplus, 0.3775)),
               entry("b", card=number_card("b", softplus, 0.3775)),
               entry("c", card=number_card("c", "<p>ELU at 0.5</p>", 1.0)),
               entry("d", card=number_card("d", "<p>ReLU at -1</p>", 0.0)),
               entry("e", card=number_card("e", "<p>sigmoid at 0.5</p>", 0.235))]
    assert [c["id"] for c in number_cards(entries)] == ["n-a", "n-e"]
