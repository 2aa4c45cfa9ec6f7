"""Fair versions (issue 16): every version of a section asks each family in the same network
structure (units, batch, activations, loss), drawn once from the spec's seed or held by the
spec's `sizes`; only the numbers differ."""

from __future__ import annotations

import re

from exam_helpers import MIDTERM

from quizgen.bank.generate import sized
from quizgen.bank.load import load_bank
from quizgen.exam.build import prepare
from quizgen.exam.select import draw, plan
from quizgen.exam.spec import read_spec
from quizgen.problem import parse_problem

VERSIONS = 30
# Families without network sizes that cannot give 30 distinct versions at all (as before issue 16).
UNSIZED_SMALL = {"shapes-mnist-two-layer", "activation-derivative", "sigmoid-or-tanh-derivative",
                 "smooth-activation-derivative"}


def shape(q):
    """What sets the amount of arithmetic, read off the record's problem (None: no network)."""
    if q.problem is None:
        return None
    net = parse_problem(q.problem)
    units = (net.layers[0].units_in, *(layer.units_out for layer in net.layers))
    return units, net.m, tuple(layer.activations for layer in net.layers), net.loss.name


def assert_sections_fair(versions, families_by_id):
    """versions[v][section][slot] questions: one structure per (section, slot) across versions."""
    for s in range(len(versions[0])):
        for k in range(len(versions[0][s])):
            q0 = versions[0][s][k]
            shapes = {shape(v[s][k]) for v in versions}
            assert len(shapes) == 1, (s + 1, q0.family, shapes)
            assert (shape(q0) is None) == (not sized(families_by_id[q0.family])), q0.family


def test_midterm_sizes_are_equal_across_30_versions():
    exam = prepare(MIDTERM, versions=VERSIONS)
    by_id = {f.id: f for f in load_bank()}
    versions = [[[item.question for item in items] for _, items in v.sections] for v in exam.versions]
    assert_sections_fair(versions, by_id)
    numbers = {tuple(q.id for s in v for q in s) for v in versions}
    assert len(numbers) == VERSIONS  # only the numbers differ


def test_every_family_holds_its_structure_across_30_versions(tmp_path):
    families = load_bank()
    by_id = {f.id: f for f in families}
    short, full_count = {}, 0
    for start in range(0, len(families), 25):  # a spec holds at most 50 sections
        batch = families[start:start + 25]
        spec_path = tmp_path / f"every-{start}.toml"
        spec_path.write_text('title = "Every family"\nseed = 3\n' + "".join(
            f'[[sections]]\nfamilies = ["{f.id}"]\npoints = 1\n' for f in batch), encoding="utf-8")
        spec, errors = read_spec(spec_path)
        plans, problems = plan(spec, batch)
        assert errors == problems == []
        drawn, shortages = draw(spec, plans, VERSIONS)
        for e in shortages:  # a tiny family held to one structure may have too few distinct answers
            family = e.message.split("family '")[1].split("'")[0]
            assert family in UNSIZED_SMALL or "every version asks it with units" in e.message, e.message
            short[family] = e.message
        full = [i for i, p in enumerate(plans) if p.families[0].id not in short]
        assert_sections_fair([[v[i] for i in full] for v in drawn], by_id)
        full_count += len(full)
    assert full_count >= len(families) - len(UNSIZED_SMALL) - 4, sorted(short)


def test_held_sizes_are_used_by_every_version(tmp_path):
    spec_path = tmp_path / "held.toml"
    spec_path.write_text('title = "Held"\nseed = 5\n[[sections]]\nfamilies = ["lecture-relu-softmax-dw2"]\n'
                         'sizes = { units = [3, 2, 3], batch = 2 }\npoints = 4\n'
                         '[[sections]]\nfamilies = ["sgd-step-mse"]\nsizes = { batch = 3 }\npoints = 4\n',
                         encoding="utf-8")
    exam = prepare(spec_path, versions=8)
    first = [shape(v.items[0].question)[:2] for v in exam.versions]
    assert set(first) == {((3, 2, 3), 2)}
    assert {shape(v.items[1].question)[1] for v in exam.versions} == {3}


def test_sizes_depend_on_the_seed_and_section_not_on_the_version_count(tmp_path):
    """Asking for more versions never changes the sizes (nor the earlier versions)."""
    few, many = prepare(MIDTERM, versions=2), prepare(MIDTERM, versions=6)
    assert [[i.question.id for i in v.items] for v in few.versions] == \
        [[i.question.id for i in v.items] for v in many.versions[:2]]
    spec_path = tmp_path / "seeds.toml"
    shapes = set()
    for seed in range(6):
        spec_path.write_text(f'title = "S"\nseed = {seed}\n[[sections]]\nfamilies = ["lecture-relu-softmax-dw2"]\n'
                             'points = 1\n', encoding="utf-8")
        shapes.add(shape(prepare(spec_path, versions=1).versions[0].items[0].question))
    assert len(shapes) > 1  # drawn from the seed, not one fixed size for every exam


def test_a_structure_with_too_few_variants_says_how_to_get_more(tmp_path, run_exam):
    spec_path = tmp_path / "small.toml"
    spec_path.write_text('title = "Small"\nseed = 3\n[[sections]]\nfamilies = ["softmax-ce-loss"]\npoints = 1\n',
                         encoding="utf-8")
    code, _, err = run_exam(spec_path, "--versions", 30, "--out", tmp_path / "o")
    assert code == 2 and len(err) == 1
    assert re.search(r"every version asks it with units \[2, \d\] and batch \d; hold larger sizes", err[0])
