"""Versions share structure and differ in their numbers; shuffles are seeded and consistent."""

from __future__ import annotations

import itertools
import json

from exam_helpers import MIDTERM, ROOT, THREE

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.exam.assemble import MAX_VERSIONS, version_codes
from quizgen.exam.build import prepare
from quizgen.exam.roster import rows
from quizgen.messages.text import say
from quizgen.writers import exam as exam_writer


def slots(version):
    """Questions keyed by (section, family, k-th of that family in the section): the same slot
    in every version, whatever the shuffled order."""
    out, seen = {}, {}
    for section, items in version.sections:
        for item in sorted(items, key=lambda i: i.question.index):
            key = (section.number, item.question.family)
            seen[key] = seen.get(key, 0) + 1
            out[key + (seen[key],)] = item
    return out


def test_versions_share_structure(three_exam):
    shapes = [sorted((s, f, k, i.points, i.question.difficulty) for (s, f, k), i in slots(v).items())
              for v in three_exam.versions]
    assert shapes[0] == shapes[1] == shapes[2]
    assert [v.code for v in three_exam.versions] == ["A", "B", "C"]
    assert {v.total for v in three_exam.versions} == {2 * 10 + 2 * 5 + 2 * 6 + 3.5}


def test_no_two_versions_share_a_variant_or_its_numbers(three_exam):
    for a, b in itertools.combinations(three_exam.versions, 2):
        ids_a = {i.question.id for i in a.items}
        assert ids_a.isdisjoint(i.question.id for i in b.items), (a.code, b.code)
        sa, sb = slots(a), slots(b)
        for key in sa:
            qa, qb = sa[key].question, sb[key].question
            given_a, given_b = ([[g.name, g.value] for g in q.given] for q in (qa, qb))
            assert not given_a or given_a != given_b, (key, a.code, b.code)
            if qa.answer.kind != "choice":
                assert qa.answer.display != qb.answer.display, (key, a.code, b.code)
            shown = [(say(q.prompt), q.given, sorted(say(c.text) for c in q.choices)) for q in (qa, qb)]
            assert shown[0] != shown[1], (key, a.code, b.code)


def test_questions_within_a_version_are_distinct(three_exam):
    for version in three_exam.versions:
        ids = [i.question.id for i in version.items]
        assert len(ids) == len(set(ids))
        sgd = [i.question for i in version.items if i.question.family == "sgd-step-mse"]
        assert len(sgd) == 2 and sgd[0].given != sgd[1].given


def test_asking_for_more_versions_keeps_the_earlier_ones():
    two, three = prepare(THREE, versions=2), prepare(THREE, versions=3)
    for v2, v3 in zip(two.versions, three.versions):
        assert [(i.number, i.question.id, i.choice_order) for i in v2.items] == \
               [(i.number, i.question.id, i.choice_order) for i in v3.items]


def test_numbering_is_continuous_and_sections_keep_their_order(three_exam):
    for version in three_exam.versions:
        assert [i.number for i in version.items] == list(range(1, len(version.items) + 1))
        assert [s.number for s, _ in version.sections] == [1, 2, 3, 4]


def test_shuffled_choices_keep_the_right_answer_and_the_solution_consistent(three_exam):
    families = {f.id: f for f in load_bank(THREE.parent.parent / "bank")}
    checked = 0
    for version in three_exam.versions:
        for item in version.items:
            q = item.question
            if not q.choices:
                continue
            original = variant(families[q.family], q.index, q.bank_seed)
            right = next(c for c in q.choices if c.correct)
            assert q.answer.value == right.label
            assert right.text == next(c for c in original.choices if c.correct).text
            if q.layout["ordered_choices"]:
                assert item.choice_order == () and q.choices == original.choices
                continue
            checked += 1
            assert [c.label for c in original.choices if c.label in item.choice_order] == sorted(item.choice_order)
            assert [c.text for c in q.choices] == [
                next(o.text for o in original.choices if o.label == label) for label in item.choice_order]
            for choice in q.choices:  # schema 2: each option keeps its mistake and rationale by identity
                bank = next(o for o in original.choices if o.text == choice.text)
                assert (choice.mistake, choice.rationale, choice.correct) == (bank.mistake, bank.rationale, bank.correct)
                assert (choice.rationale is None) == choice.correct
    assert checked == 3


def test_version_codes():
    """Issue 13: codes past Z continue AA, AB, ... and never rename A ... Z (they were V01 ... V27)."""
    assert version_codes(3) == ["A", "B", "C"]
    assert version_codes(26)[-1] == "Z"
    assert version_codes(27)[:2] == ["A", "B"] and version_codes(27)[-1] == "AA"
    assert version_codes(MAX_VERSIONS)[26:29] == ["AA", "AB", "AC"] and version_codes(52)[-1] == "AZ"
    assert version_codes(53)[-1] == "BA" and version_codes(702)[-1] == "ZZ" and version_codes(703)[-1] == "AAA"
    assert len(set(version_codes(MAX_VERSIONS))) == MAX_VERSIONS


def _printed(exam) -> dict[str, str]:
    """Everything a version prints: its exam, its key and its roster rows."""
    out = {}
    for version in exam.versions:
        out[f"exam-{version.code}.html"] = exam_writer.exam_html(exam, version)
        out[f"key-{version.code}.html"] = exam_writer.key_html(exam, version)
        out[f"rows-{version.code}"] = [row for row in rows(exam) if row["version"] == version.code]
    return out


def test_version_i_prints_the_same_for_any_number_of_versions(tmp_path):
    """Issue 13: --versions 27 renamed A…Z to V01… and re-seeded every shuffle, so version A's
    printed key no longer matched a re-run. A … Z of 27 versions must equal those of 26 and 1."""
    spec = tmp_path / "midterm.toml"
    text = MIDTERM.read_text(encoding="utf-8")
    spec.write_text(text.replace("shuffle_questions = false", "shuffle_questions = true"), encoding="utf-8")
    many = _printed(prepare(spec, versions=27))
    assert [k for k in many if k.startswith("exam-")][-2:] == ["exam-Z.html", "exam-AA.html"]
    for n in (26, 1):
        fewer = _printed(prepare(spec, versions=n))
        assert [k for k in fewer if fewer[k] != many[k]] == [], n


def test_roster_regenerates_every_question(tmp_path, run_exam):
    out = tmp_path / "out"
    assert run_exam(THREE, "--versions", 3, "--out", out)[0] == 0
    roster = json.loads((out / "roster.json").read_text(encoding="utf-8"))
    families = {f.id: f for f in load_bank(THREE.parent.parent / "bank")}
    assert [v["code"] for v in roster["versions"]] == ["A", "B", "C"]
    for v in roster["versions"]:
        for row in v["questions"]:
            q = variant(families[row["family"]], row["index"], row["bank_seed"])
            assert q.id == row["question_id"]
            if row["choice_order"]:  # the answer is the printed label of the bank's right option
                right = next(c.label for c in q.choices if c.correct)
                assert row["answer"] == "ABCDEFGH"[row["choice_order"].index(right)]
            else:
                assert row["answer"] == q.answer.display
    csv_lines = (out / "roster.csv").read_text(encoding="utf-8").splitlines()
    assert csv_lines[0] == "version,question,section,points,family,index,bank_seed,question_id,choice_order,answer"
    assert len(csv_lines) == 1 + 3 * 7


def test_neighbouring_versions_get_different_letters_for_fixed_order_choices(three_exam):
    """find_error's options keep the derivation's order, so its letter is chosen at draw time."""
    for before, after in zip(three_exam.versions, three_exam.versions[1:]):
        for key, item in slots(after).items():
            if item.question.layout["ordered_choices"]:
                assert item.question.answer.value != slots(before)[key].question.answer.value, key


def test_the_choice_letter_search_does_not_depend_on_the_number_of_versions():
    """The variant scan's limit grows with --versions; the search for a new letter must not, or
    version i could get a different variant when more versions are asked for."""
    from quizgen.exam.select import _Variants

    families = {f.id: f for f in load_bank(ROOT / "question_bank")}
    for family_id in ("find-error-tanh-sigmoid", "formula-dw1-choice"):
        small, large = (_Variants(families[family_id], 3, limit) for limit in (21, 1000))
        got = {"small": [], "large": []}
        for pool, taken in ((small, got["small"]), (large, got["large"])):
            avoid = None
            for _ in range(12):
                q = pool.take(avoid)
                if q is None:
                    break
                taken.append(q.index)
                avoid = q.answer.value  # every take avoids the previous letter, as versions do
        assert got["small"] and got["small"] == got["large"][:len(got["small"])], (family_id, got)
