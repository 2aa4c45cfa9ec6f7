"""`quizgen build`: the study site's pages, determinism, atomic swap, and no outside URLs."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.cli import main
from quizgen.writers import site as site_writer

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "bank_minimal"
# One family of each answer shape the site treats differently, if there is no minimal bank.
SUBSET = ("activations/activation-derivative.toml", "backprop/textbook-sigmoid-softmax-dw1-matrix.toml",
          "concepts/find-error-tanh-sigmoid.toml", "shapes/shapes-mnist-two-layer.toml",
          "gradients/logistic-dw.toml", "losses/bce-loss-value.toml")
SUBSET_IDS = {Path(name).stem for name in SUBSET}


@pytest.fixture(scope="module")
def bank(tmp_path_factory) -> Path:
    if MINIMAL.is_dir():
        return MINIMAL
    folder = tmp_path_factory.mktemp("bank")
    for name in SUBSET:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "question_bank" / name, folder / name)
    return folder


def build(bank: Path, out: Path, *extra: str) -> int:
    return main(["build", "--bank", str(bank), "--out", str(out), "--variants", "2", *extra])


@pytest.fixture(scope="module")
def site(bank, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("built") / "site"
    assert build(bank, out) == 0
    return out


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(path: Path) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


def test_every_page_and_static_file_exists(site):
    for name in ("index.html", "practice.html", "flashcards.html", "reference.html", "static/css/site.css",
                 "static/js/site.js", "static/js/grader.js", "static/js/question.js", "static/js/practice.js",
                 "static/js/flashcards.js"):
        assert (site / name).is_file(), name
    families = sorted(p.stem for p in (site / "families").glob("*.html"))
    assert families and len(list((site / "questions").glob("*.html"))) == 2 * len(families)
    index = (site / "index.html").read_text(encoding="utf-8")
    for family in families:
        assert f'href="families/{family}.html"' in index
        page = (site / "families" / f"{family}.html").read_text(encoding="utf-8")
        assert f'href="../questions/{family}--s0-v0.html"' in page and f"{family}--s0-v1.html" in page


def test_summary_line_names_the_pages_and_index(bank, tmp_path, capsys):
    assert build(bank, tmp_path / "out") == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("quizgen build: ")
    assert f"{len(pages(tmp_path / 'out'))} pages" in lines[0]
    assert lines[0].endswith(str(tmp_path / "out" / "index.html"))
    assert err == ""  # no progress bar when stderr is not a terminal


def test_each_page_has_lang_and_exactly_one_h1(site):
    for page in pages(site):
        found = tags(page)
        assert found[0] == ("html", {"lang": "en", "class": "no-js"}), page
        assert sum(1 for tag, _ in found if tag == "h1") == 1, page


def test_inputs_have_labels(site):
    for page in pages(site):
        found = tags(page)
        labelled = {a.get("for") for tag, a in found if tag == "label"}
        for tag, a in found:
            if tag in ("input", "select") and a.get("type") != "radio":
                assert a.get("id") in labelled, f"{page.name}: <{tag} id={a.get('id')}> has no label"


def test_solutions_are_mathml_in_a_details_element(site):
    for page in sorted((site / "questions").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        solution = html[html.index('<details class="solution"'):html.index("</details>", html.index('class="solution"'))]
        assert solution.count('<li class="step') >= 2, page.name
        assert "<math" in solution and "<mtable>" in html, page.name
        assert 'data-reveal="next"' in html and 'data-reveal="all"' in html


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Path:
    """The writer's own interface, `site.write(questions, out)`, on chosen families of the shipped bank."""
    families = [f for f in load_bank(ROOT / "question_bank") if f.id in SUBSET_IDS]
    out = tmp_path_factory.mktemp("shipped")
    site_writer.write([variant(f, 0, 0) for f in families], out, {"summaries": {f.id: f.summary for f in families}})
    return out


def test_rounded_givens_are_marked(shipped):
    html = (shipped / "questions" / "textbook-sigmoid-softmax-dw1-matrix--s0-v0.html").read_text(encoding="utf-8")
    assert html.count('class="approx"') == 2 and "<mo>≈</mo>" in html
    assert '<mo fence="true" stretchy="true">[</mo>' in html


def test_multiple_choice_renders_labelled_radio_buttons(shipped):
    html = (shipped / "questions" / "find-error-tanh-sigmoid--s0-v0.html").read_text(encoding="utf-8")
    assert html.count('<input type="radio" name="choice"') == 4 and "<legend>" in html


def test_family_pages_say_what_the_family_trains(shipped):
    html = (shipped / "families" / "activation-derivative.html").read_text(encoding="utf-8")
    assert "Evaluate g′(z) for a common activation" in html and "Seed note 004" in html


def test_grading_data_is_embedded_as_json(site):
    html = next(p for p in sorted((site / "questions").glob("*.html")) if "<mtable>" in p.read_text(encoding="utf-8")
                and '"kind":"matrix"' in p.read_text(encoding="utf-8")).read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="quizgen-question">(.*?)</script>', html).group(1))
    assert data["answer"]["kind"] == "matrix" and data["answer"]["tol"] and data["answer"]["precision"]["text"]
    assert data["distractors"] and {"value", "mistake", "name", "explanation", "tol", "credit"} <= set(data["distractors"][0])
    practice = (site / "practice.html").read_text(encoding="utf-8")
    pool = json.loads(re.search(r'id="quizgen-practice">(.*?)</script>', practice).group(1))
    assert {q["id"] for q in pool} == {p.stem for p in (site / "questions").glob("*.html")}
    for q in pool:
        assert f'<template id="pq-{q["id"]}">' in practice and "<math" in practice


def test_flashcards_cover_formulas_mistakes_and_numbers(shipped):
    html = (shipped / "flashcards.html").read_text(encoding="utf-8")
    kinds = re.findall(r'data-kind="(\w+)"', html)
    assert {"formula", "mistake", "number"} <= set(kinds)
    assert 'data-card="f-chain-rule-column"' in html and 'data-card="f-chain-rule-row"' in html
    assert 'data-card="m-sigma_for_derivative"' in html
    assert len(set(re.findall(r'data-card="([^"]+)"', html))) == len(kinds)  # ids are unique


def test_two_builds_are_byte_identical(bank, tmp_path):
    assert build(bank, tmp_path / "a") == 0
    assert build(bank, tmp_path / "b") == 0
    first, second = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert list(first) == list(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_a_failed_build_keeps_the_previous_site(bank, tmp_path, capsys):
    out = tmp_path / "site"
    assert build(bank, out) == 0
    before = tree(out)
    broken = tmp_path / "broken"
    shutil.copytree(bank, broken)
    (broken / "zz").mkdir()
    (broken / "zz" / "zz-broken.toml").write_text('title = "half a famil\n')  # not valid TOML: one error
    capsys.readouterr()
    assert build(broken, out) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "zz-broken.toml" in err, err
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "site"]  # no temporary folder left


def test_bad_variants_is_one_line(bank, tmp_path, capsys):
    assert main(["build", "--bank", str(bank), "--out", str(tmp_path / "x"), "--variants", "0"]) == 2
    assert capsys.readouterr().err.strip() == "quizgen: --variants must be at least 1, got 0"


def test_no_page_refers_outside_the_site(site):
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".css"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"https?://", text), f"{path.relative_to(site)} names an outside URL"
            assert not re.search(r"""(?:src|href)=["']//""", text)
    for page in pages(site):
        for tag, attrs in tags(page):
            for name in ("href", "src"):
                link = attrs.get(name)
                if link and not link.startswith("#"):
                    target = (page.parent / link.split("#")[0]).resolve()
                    assert target.is_file(), f"{page.relative_to(site)}: broken link {link}"


def test_worker_processes_write_the_same_site_as_one_process(bank, tmp_path, monkeypatch):
    """Pages rendered in a pool (each worker with its own caches) equal pages rendered in one process."""
    from quizgen.bank.collection import PARALLEL_FROM
    from quizgen.commands.build import build as build_site

    variants = -(-PARALLEL_FROM // len(load_bank(bank)))  # just enough questions for a pool
    build_site(bank, tmp_path / "pool", variants=variants)
    monkeypatch.setenv("QUIZGEN_WORKERS", "1")
    build_site(bank, tmp_path / "one", variants=variants)
    pooled, single = tree(tmp_path / "pool"), tree(tmp_path / "one")
    assert list(pooled) == list(single) and all(pooled[name] == single[name] for name in pooled)


def test_build_refuses_a_folder_it_did_not_write(tmp_path, monkeypatch):
    """Regression: --out pointing at a user's folder must not delete their files."""
    from quizgen.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("precious")
    assert main(["build", "--bank", str(MINIMAL), "--variants", "1", "--out", "mine"]) == 2
    assert (tmp_path / "mine" / "thesis.tex").read_text() == "precious"
    assert main(["build", "--bank", str(MINIMAL), "--variants", "1", "--out", "."]) == 2
    assert main(["build", "--bank", str(MINIMAL), "--variants", "1", "--out", "site"]) == 0
    assert main(["build", "--bank", str(MINIMAL), "--variants", "1", "--out", "site"]) == 0  # its own site
