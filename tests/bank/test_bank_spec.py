"""The shipped bank as data: complete metadata, every kind and difficulty, documented format."""

from __future__ import annotations

import re
import tomllib
from collections import Counter

import pytest
from bankcheck import BANK, NUMERIC, ROOT, families

from quizgen.bank import spec
from quizgen.bank.load import family_files

REQUIRED = ("title", "summary", "tags", "difficulty", "source", "kind", "notation")
BACKWARD = ("output_delta", "gradient_entry", "gradient_matrix", "sgd_update")


def raw(path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_bank_has_enough_families_and_every_kind():
    fams = families()
    assert len(fams) >= 26
    assert {f.kind for f in fams} == set(spec.KINDS)


def test_difficulties_span_one_to_five_several_at_each_level():
    counts = Counter(f.difficulty for f in families())
    assert all(counts[level] >= 3 for level in range(1, 6)), counts


@pytest.mark.parametrize("path", family_files(BANK), ids=lambda p: p.stem)
def test_every_family_states_its_metadata_explicitly(path):
    """Defaults exist, but a shipped family spells out what a study site shows about it."""
    data = raw(path)
    missing = [key for key in REQUIRED if key not in data]
    assert not missing, f"{path.relative_to(ROOT)} lacks {missing}"
    assert data["summary"].endswith(".") and "\n" not in data["summary"], "summary: one sentence"
    assert data["tags"], "at least one tag"
    assert path.parent.parent == BANK, "families live in question_bank/<topic>/<id>.toml"


def test_titles_are_unique_and_short():
    titles = Counter(f.title for f in families())
    assert [t for t, n in titles.items() if n > 1] == []
    assert all(len(t) <= 80 for t in titles), "titles read as one line on a study site"


def test_ids_are_unique_across_topics():
    ids = Counter(p.stem for p in family_files(BANK))
    assert [i for i, n in ids.items() if n > 1] == []


def test_backward_families_carry_distractors():
    """Every numeric question about the backward pass offers at least two computed wrong answers."""
    low = [f.id for f in families() if f.kind in BACKWARD and f.min_distractors < 2]
    assert low == []


def test_forward_and_loss_families_ask_for_no_distractors():
    """The catalog models backward-pass mistakes only; asking for more would exhaust the family."""
    assert all(f.min_distractors == 0 for f in families() if f.kind in ("forward_value", "loss_value"))


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_every_seed_note_has_families(name):
    assert any(f"Seed note {name}" in f.source or f"seed note {name}" in f.source for f in families())


def test_numeric_kinds_are_covered_in_both_notations():
    notations = {f.notation for f in families() if f.kind in NUMERIC}
    assert notations == {"column", "row"}


def test_seed_networks_are_all_present():
    """The networks the seed notes work through, by their defining features."""
    def has(pred) -> bool:
        return any(pred(f) for f in families())

    def acts(f):
        return [c for choices in f.activations for c in choices]

    assert has(lambda f: f.batch == (1, 1) and acts(f)[-1] == "relu+softmax" and f.notation == "column")
    assert has(lambda f: not f.bias and f.notation == "row" and f.reduction == "sum" and f.quantity == "dW")
    assert has(lambda f: not f.bias and f.notation == "row" and f.reduction == "mean" and f.layer == 1)
    assert has(lambda f: acts(f) == ["sigmoid", "softmax"] and f.notation == "row")
    assert has(lambda f: acts(f) == ["tanh", "sigmoid"] and f.losses == ("bce",) and f.notation == "column")
    assert has(lambda f: acts(f) == ["sigmoid"] and f.losses == ("bce",) and f.layers == 1)
    assert has(lambda f: f.layers >= 3 and f.notation == "row")
    assert has(lambda f: f.losses == ("mse",) and acts(f)[-1] == "identity")
    assert has(lambda f: f.losses == ("half_sse",) and acts(f)[-1] == "identity")
    assert has(lambda f: "leaky_relu(0.1)" in acts(f))
    assert has(lambda f: any(a.startswith(("softplus", "elu")) for a in acts(f) + list(f.ask_activation)))


# -- the annotated format (question_bank/README.md) ----------------------------------------
README = (BANK / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", sorted(spec.TOP_KEYS))
def test_readme_documents_every_top_level_key(key):
    assert re.search(rf"^\s*#?\s*{key}\s*=", README, re.M) or f"`{key}`" in README


@pytest.mark.parametrize("key", sorted(spec.NETWORK_KEYS | spec.VALUE_KEYS | spec.ASK_KEYS))
def test_readme_documents_every_table_key(key):
    assert re.search(rf"^\s*#?\s*{key}\s*=", README, re.M) or f"`{key}`" in README


@pytest.mark.parametrize("name", sorted(spec.KINDS) + sorted(spec.PROMPT_NAMES) + sorted(spec.QUANTITIES))
def test_readme_documents_every_kind_placeholder_and_quantity(name):
    assert f"`{name}`" in README


def test_readme_examples_parse():
    """Every ```toml block in the README is a valid family (the docs cannot drift from the code)."""
    blocks = re.findall(r"```toml\n(.*?)```", README, re.S)
    assert blocks
    for i, block in enumerate(blocks):
        family, errors = spec.parse_family(tomllib.loads(block), f"README block {i + 1}", "readme-example", "docs")
        assert errors == [], [str(e) for e in errors]


def test_entry_matches_the_kind():
    """gradient_entry asks one number, gradient_matrix the whole array (the builder reads ask.entry)."""
    assert [f.id for f in families() if f.kind == "gradient_entry" and f.entry != "random"] == []
    assert [f.id for f in families() if f.kind == "gradient_matrix" and f.entry != "all"] == []
