"""Fixtures for the practice tests: the bank, and one family of each answer kind."""

from __future__ import annotations

import pytest

from practice_support import BANK, find_family
from quizgen.bank.load import load_bank


@pytest.fixture(scope="session")
def families():
    return load_bank(BANK)


@pytest.fixture(scope="session")
def number_family():
    """A one-number question with at least one named mistake."""
    return find_family(lambda q: q.answer.kind == "number" and q.distractors)


@pytest.fixture(scope="session")
def matrix_family():
    return find_family(lambda q: q.answer.kind == "matrix" and q.answer.shape[0] * q.answer.shape[1] >= 2
                       and q.distractors)


@pytest.fixture(scope="session")
def choice_family():
    return find_family(lambda q: q.answer.kind == "choice" and any(c.mistake for c in q.choices))
