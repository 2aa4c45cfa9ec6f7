"""One language setting (`--lang`, `lang` in exam specs, QUIZGEN_LANG) reaches every writer.

Only English exists, so the flow is shown with a pseudo-language "xx": English with every message
marked «xx». Whatever a command words through the catalog then carries the mark; what the
question records hold (keys) does not change with the language.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizgen import messages
from quizgen.cli import main
from quizgen.messages.text import is_text

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "fixtures" / "bank_minimal"
SPECS = ROOT / "tests" / "fixtures" / "exam_specs" / "good"
MARK = "«xx»"
COMMANDS = [["build", "--out", "{tmp}/site"], ["exam", str(SPECS / "one_question.toml"), "--out", "{tmp}/exam"],
            ["export"], ["practice", "--db", "{tmp}/h.sqlite"], ["show", "relu-layer"]]


@pytest.fixture
def pseudo(monkeypatch):
    """A language "xx": the English catalog with each message marked."""
    english = messages.catalog

    def catalog(lang="en"):
        return {k: MARK + v for k, v in english("en").items()} if lang == "xx" else english(lang)

    monkeypatch.setattr(messages, "catalog", catalog)
    monkeypatch.setattr(messages, "languages", lambda: ("en", "xx"))


def _spec(lang: str) -> str:
    """The one-question fixture spec, printed in `lang`, its bank path made absolute."""
    text = (SPECS / "one_question.toml").read_text(encoding="utf-8")
    return f'lang = "{lang}"\n' + text.replace('bank = "../bank"', f'bank = "{SPECS.parent / "bank"}"')


def _args(command, tmp_path):
    return [a.replace("{tmp}", str(tmp_path)) for a in command]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_an_unknown_language_is_one_line_naming_those_available(command, tmp_path, capsys):
    assert main(_args(command, tmp_path) + ["--lang", "fr"]) == 2
    captured = capsys.readouterr()
    assert captured.err == "quizgen: --lang: unknown language 'fr' (available: en, zh)\n"
    assert captured.out == "" and not (tmp_path / "site").exists() and not (tmp_path / "exam").exists()


@pytest.mark.parametrize("command", [c for c in COMMANDS if c[0] in ("show", "practice")], ids=lambda c: c[0])
def test_the_terminal_commands_read_quizgen_lang(command, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("QUIZGEN_LANG", "fr")
    assert main(_args(command, tmp_path)) == 2
    assert capsys.readouterr().err == "quizgen: QUIZGEN_LANG: unknown language 'fr' (available: en, zh)\n"


def test_quizgen_lang_does_not_choose_the_language_of_files(capsys, monkeypatch):
    monkeypatch.setenv("QUIZGEN_LANG", "fr")
    assert main(["export", "--bank", str(MINIMAL)]) == 0


def test_an_exam_spec_names_an_unknown_language_at_its_key(tmp_path, capsys):
    spec = tmp_path / "spec.toml"
    spec.write_text(_spec("fr"))
    assert main(["exam", str(spec), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == f"{spec}: lang: unknown language 'fr' (available: en, zh)\n"


def test_lang_en_is_the_default(capsys):
    assert main(["show", "relu-layer", "--bank", str(MINIMAL)]) == 0
    default = capsys.readouterr().out
    assert main(["show", "relu-layer", "--bank", str(MINIMAL), "--lang", "en"]) == 0
    assert capsys.readouterr().out == default and MARK not in default


def test_show_words_steps_and_labels_in_the_chosen_language(pseudo, capsys, monkeypatch):
    monkeypatch.setenv("QUIZGEN_LANG", "xx")
    assert main(["show", "relu-layer", "--bank", str(MINIMAL)]) == 0
    out = capsys.readouterr().out
    assert f"{MARK}Worked solution" in out and f"{MARK}Given:" in out
    assert f"{MARK}Step 1. {MARK}Pre-activation of layer 1" in out  # a record's text, worded in xx


def test_build_words_every_page_in_the_chosen_language(pseudo, tmp_path, capsys):
    assert main(["build", "--bank", str(MINIMAL), "--out", str(tmp_path / "site"), "--variants", "1", "--lang", "xx"]) == 0
    pages = sorted((tmp_path / "site" / "questions").glob("*.html"))
    assert pages
    htmls = [page.read_text(encoding="utf-8") for page in pages]
    assert all('<html lang="xx"' in html and f"{MARK}Worked solution" in html for html in htmls)
    assert any(f"{MARK}Pre-activation of layer 1" in html for html in htmls)  # a record's text, worded in xx
    assert MARK in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_an_exam_spec_chooses_the_language_and_lang_overrides_it(pseudo, tmp_path, capsys):
    spec = tmp_path / "spec.toml"
    spec.write_text(_spec("xx"))
    assert main(["exam", str(spec), "--out", str(tmp_path / "xx")]) == 0
    key = (tmp_path / "xx" / "key-A.html").read_text(encoding="utf-8")
    assert '<html lang="xx"' in key and f"{MARK}Derivative rule" in key  # the kinds' prose follows the language too
    assert f"{MARK}Answer key" in key
    assert main(["exam", str(spec), "--out", str(tmp_path / "en"), "--lang", "en"]) == 0
    assert MARK not in (tmp_path / "en" / "key-A.html").read_text(encoding="utf-8")


def test_export_records_hold_the_same_keys_in_any_language(pseudo, tmp_path, capsys):
    assert main(["export", "--bank", str(MINIMAL), "--out", str(tmp_path / "en.json")]) == 0
    assert main(["export", "--bank", str(MINIMAL), "--out", str(tmp_path / "xx.json"), "--lang", "xx"]) == 0
    en, xx = (json.loads((tmp_path / f"{n}.json").read_text())["questions"] for n in ("en", "xx"))
    for a, b in zip(en, xx):
        assert a["distractors"] == b["distractors"] and all(is_text(d["name"]) for d in a["distractors"])
        texts = [s for s in a["steps"] if is_text(s["title"])]
        assert texts and texts == [s for s in b["steps"] if is_text(s["title"])]


@pytest.mark.parametrize("argv, env", [(["practice", "--lang", "zh", "--help"], None), (["grade", "--lang=zh", "--help"], None),
                                       (["practice", "--help"], "zh"), (["--help"], "zh-CN")])
def test_help_speaks_the_language_asked_for(argv, env, capsys, monkeypatch):
    """Regression: --help was built before --lang or QUIZGEN_LANG was read, so it was English in zh."""
    if env:
        monkeypatch.setenv("QUIZGEN_LANG", env)
    else:
        monkeypatch.delenv("QUIZGEN_LANG", raising=False)
    with pytest.raises(SystemExit):
        main(argv)
    out = capsys.readouterr().out
    assert "（默认：" in out or "生成静态学习网站" in out, out


def test_help_in_a_language_without_a_catalog_is_english_and_the_command_names_it(capsys, monkeypatch):
    monkeypatch.delenv("QUIZGEN_LANG", raising=False)
    assert main(["show", "relu-layer", "--lang", "xx"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
