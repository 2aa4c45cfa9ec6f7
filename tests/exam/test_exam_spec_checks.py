"""Spec checks of issue 16: every problem in one run, dates that are dates, a family asked twice
only with allow_repeat."""

from __future__ import annotations

import pytest

from exam_helpers import SPECS

BANK = SPECS / "bank"


def write(tmp_path, text: str):
    path = tmp_path / "spec.toml"
    path.write_text(f'bank = "{BANK}"\n' + text, encoding="utf-8")
    return path


ONE = '\n[[sections]]\nfamilies = ["sgd-step-mse"]\npoints = 2\n'


@pytest.mark.parametrize("date, shown", [
    ('"14/03/2025"', "'14/03/2025'"),
    ('"next Tuesday"', "'next Tuesday'"),
    ('"2025-13-45"', "'2025-13-45'"),
    ("20250314", "20250314"),
    ('"<script>alert(1)</script>"', "'<script>alert(1)</script>'"),
])
def test_a_date_that_is_not_a_date_is_named(tmp_path, run_exam, date, shown):
    spec = write(tmp_path, f'title = "x"\ndate = {date}' + ONE)
    code, out, err = run_exam(spec, "--out", tmp_path / "o")
    assert (code, out) == (2, "")
    assert err == [f"{spec}: date: must be a date written like 2025-03-14, got {shown}"]
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("date", ["2025-13-45", "14/03/2025", "next Tuesday"])
def test_a_bare_toml_date_that_does_not_parse_names_the_date_and_its_line(tmp_path, run_exam, date):
    """Regression: `date = 2025-13-45` used to be a TOML error that did not name the date."""
    spec = write(tmp_path, f'title = "x"\ndate = {date}' + ONE)
    code, _, err = run_exam(spec, "--out", tmp_path / "o")
    assert code == 2
    assert err == [f"{spec}: date: not a date: {date} (line 3); write it like 2025-03-14"]


@pytest.mark.parametrize("date, printed", [("2025-03-14", "2025-03-14"), ('"2025-03-14"', "2025-03-14"),
                                           ('""', "")])
def test_real_dates_pass(tmp_path, date, printed):
    from quizgen.exam.spec import load_spec
    assert load_spec(write(tmp_path, f'title = "x"\ndate = {date}' + ONE)).date == printed


def test_an_unknown_tag_is_reported_with_an_unknown_family(tmp_path, run_exam):
    """Regression: problems of a section the spec itself already faults were not checked against the bank."""
    spec = write(tmp_path, 'title = "x"\n[[sections]]\nfamilies = ["nope"]\ntags = ["no-tag"]\npoints = 1\n'
                 '[[sections]]\nfamilies = ["sgd-step-mse"]\npoints = "two"\ncolour = 1\n'
                 '[[sections]]\ntags = ["also-no-tag"]\npoints = 1\n')
    code, _, err = run_exam(spec, "--out", tmp_path / "o")
    assert code == 2
    assert [line.split(": ", 1)[1] for line in err] == [
        "sections[1]: give either families = [...] or a selection (tags, topic, difficulty), not both",
        "sections[1].families: unknown family 'nope'",
        "sections[1].tags: unknown tag 'no-tag'",
        "sections[2].colour: unknown key (known: allow_repeat, count, difficulty, families, points, sizes, space, tags, "
        "title, topic)",
        "sections[2].points: must be a positive multiple of 0.5 up to 1000 (points per question), got 'two'",
        "sections[3].tags: unknown tag 'also-no-tag'",
    ]


REPEATS = {
    "twice in one section": ('[[sections]]\nfamilies = ["sgd-step-mse", "sgd-step-mse"]\npoints = 1\n',
                             "sections[1].families: family 'sgd-step-mse' is already asked in sections[1]"),
    "in two sections": ('[[sections]]\nfamilies = ["sgd-step-mse"]\npoints = 1\n'
                        '[[sections]]\nfamilies = ["sgd-step-mse"]\npoints = 1\n',
                        "sections[2].families: family 'sgd-step-mse' is already asked in sections[1]"),
    "by count": ('[[sections]]\nfamilies = ["sgd-step-mse"]\ncount = 2\npoints = 1\n',
                 "sections[1].count: asks 2 questions of 1 listed families, so a family is asked twice"),
    "by a selection": ('[[sections]]\nfamilies = ["output-delta-sigmoid-softmax"]\npoints = 1\n'
                       '[[sections]]\ntags = ["softmax"]\ncount = 3\npoints = 1\n',
                       "sections[2].count: asks 3 questions but only 2 matching families are not asked elsewhere"),
}


@pytest.mark.parametrize("name", REPEATS)
def test_a_family_asked_twice_is_an_error_unless_allowed(tmp_path, run_exam, name):
    sections, expected = REPEATS[name]
    spec = write(tmp_path, 'title = "x"\n' + sections)
    code, _, err = run_exam(spec, "--out", tmp_path / "o")
    assert code == 2 and len(err) == 1
    assert err[0].startswith(f"{spec}: {expected}") and "allow_repeat = true" in err[0]
    top = write(tmp_path, 'title = "x"\nallow_repeat = true\n' + sections)
    assert run_exam(top, "--out", tmp_path / "o")[0] == 0
    last = sections.rsplit("points = 1\n", 2)
    here = write(tmp_path, 'title = "x"\n' + "points = 1\n".join(last[:-1]) + "points = 1\nallow_repeat = true\n")
    assert run_exam(here, "--out", tmp_path / "o2")[0] == 0


def test_a_selection_picks_families_not_asked_elsewhere(tmp_path):
    from quizgen.exam.build import prepare
    for seed in range(4):
        spec = write(tmp_path, f'title = "x"\nseed = {seed}\n[[sections]]\nfamilies = ["output-delta-sigmoid-softmax"]\n'
                     'points = 1\n[[sections]]\ntags = ["softmax"]\ncount = 2\npoints = 1\n')
        version = prepare(spec).versions[0]
        families = [i.question.family for i in version.items]
        assert len(families) == len(set(families)) == 3, families


@pytest.mark.parametrize("sizes, expected", [
    ('"big"', "sections[1].sizes: must be a table such as sizes = { units = [2, 3, 2], batch = 2 }, got 'big'"),
    ("{ units = [2] }", "sections[1].sizes.units: must list the units of every layer, inputs to outputs, as 2 or "
                        "more whole numbers from 1 to 10, got [2]"),
    ("{ batch = 0 }", "sections[1].sizes.batch: must be a whole number of examples from 1 to 10, got 0"),
    ("{ batch = true }", "sections[1].sizes.batch: must be a whole number of examples from 1 to 10, got True"),
    ("{ units = [1, 1], batch = 9 }", "sections[1].sizes.units: family 'sgd-step-mse' allows 2–3 units in the "
                                      "inputs, got 1"),
])
def test_sizes_a_family_cannot_take_are_one_line_each(tmp_path, run_exam, sizes, expected):
    spec = write(tmp_path, f'title = "x"\n[[sections]]\nfamilies = ["sgd-step-mse"]\nsizes = {sizes}\npoints = 1\n')
    code, _, err = run_exam(spec, "--out", tmp_path / "o")
    assert code == 2
    assert err[0] == f"{spec}: {expected}"
