"""What a zh sweep of every command found still English or in English punctuation (issue 19),
each guarded by name: `solve`'s solution, the exam's "; " before held sizes, the terminal's answer
precision in ASCII brackets, topic ids in `stats`, a TOML parser's "(at line …)", a language quizgen
cannot use reported in English, writer option help and topics without a zh name.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from quizgen.cli import main
from quizgen.messages import catalog, using
from quizgen.practice.report import topic_label

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "fixtures" / "bank_minimal"
HAN = re.compile(r"[\u4e00-\u9fff]")
# What a solution keeps in Latin letters: quantity names, ids of activations and losses, math
SOLVE_NAMES = re.compile(r"\b(?:d?[AZHXWb]\d*(?:\[\d\])?(?:_new)?|relu|softmax|sigmoid|tanh|cross_entropy|mse|SGD|"
                         r"Σ_units|[mJY])\b")


def _zh(argv, capsys, monkeypatch):
    monkeypatch.setenv("QUIZGEN_LANG", "zh")
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_solve_words_its_solution_in_zh(capsys, monkeypatch):
    """Regression: the whole of `quizgen solve` ("Forward pass", "column notation", "Loss") was English."""
    code, out, err = _zh(["solve", str(ROOT / "examples" / "exam_relu_softmax.toml")], capsys, monkeypatch)
    assert code == 0 and err == ""
    body = out.split("\n", 2)[2]  # after the file name and its underline
    for words in ("列记法", "前向传播", "反向传播", "损失  J =", "完整的 softmax 雅可比矩阵"):
        assert words in body, words
    leftover = re.findall(r"[A-Za-z]{3,}", SOLVE_NAMES.sub(" ", body))
    assert not leftover, leftover


def test_the_exam_joins_a_held_size_with_the_catalog_separator(tmp_path, capsys):
    """Regression: exam/select.py put a literal "; " between two zh clauses."""
    spec = tmp_path / "small.toml"
    spec.write_text('title = "小测"\nseed = 3\nlang = "zh"\n[[sections]]\nfamilies = ["softmax-ce-loss"]\npoints = 1\n',
                    encoding="utf-8")
    assert main(["exam", str(spec), "--versions", "30", "--out", str(tmp_path / "o")]) == 2
    line = capsys.readouterr().err.strip()
    assert "）；每个版本都以单元数" in line and "; " not in line, line


def test_the_terminal_gives_the_answer_precision_in_chinese_brackets(capsys, monkeypatch):
    code, out, _ = _zh(["show", "relu-layer", "--bank", str(MINIMAL)], capsys, monkeypatch)
    assert code == 0 and out.rstrip().endswith("（精确值）"), out[-80:]
    assert re.search(r"^  X：$", out, re.M) and "。 " not in out


def test_stats_and_practice_name_a_topic_in_zh_and_by_id_in_english():
    with using("zh"):
        assert topic_label("optimizers") == "优化器" and topic_label("my-own") == "my-own"
    with using("en"):
        assert topic_label("optimizers") == "optimizers"


def test_every_topic_folder_has_a_zh_name():
    """A topic folder without a site.topic_* key is shown as its English folder name on zh pages."""
    zh = tomllib.loads((ROOT / "quizgen" / "messages" / "zh" / "site.toml").read_text(encoding="utf-8"))
    folders = sorted(p.name for p in (ROOT / "question_bank").iterdir() if p.is_dir() and any(p.glob("*.toml")))
    missing = [f for f in folders if f"topic_{f.replace('-', '_')}" not in zh]
    assert not missing, "add site.topic_<folder> to messages/en and zh/site.toml for: " + ", ".join(missing)


def test_a_toml_syntax_error_says_where_in_zh(tmp_path, capsys, monkeypatch):
    broken = tmp_path / "broken.toml"
    broken.write_text('title = "half\n', encoding="utf-8")
    code, _, err = _zh(["solve", str(broken)], capsys, monkeypatch)
    assert code == 2 and err.rstrip().endswith("（第 1 行第 14 列）") and "at line" not in err, err
    monkeypatch.delenv("QUIZGEN_LANG")
    assert main(["solve", str(broken)]) == 2
    assert capsys.readouterr().err.rstrip().endswith("(at line 1, column 14)")  # English as before


def test_an_unknown_language_is_reported_in_the_terminal_s_language(capsys, monkeypatch):
    code, _, err = _zh(["build", "--lang", "fr"], capsys, monkeypatch)
    assert code == 2 and err == "quizgen: --lang: 未知语言 'fr'（可用：en, zh）\n"


def test_export_s_writer_options_have_zh_help(capsys, monkeypatch):
    """Regression: --editions's help was an English literal in writers/site.py."""
    monkeypatch.setenv("QUIZGEN_LANG", "zh")
    try:
        main(["export", "--help"])
    except SystemExit:
        pass
    out = capsys.readouterr().out
    assert "每页都链接到其他语言版本（site）" in "".join(out.split()) and "languages built" not in out


def test_a_chinese_line_never_ends_on_an_opening_bracket():
    """Regression: zh help wrapped "版本（" / "site）" across two lines."""
    from quizgen.render.width import fill

    for columns in range(20, 40):
        lines = fill("并列生成的语言（如 en,zh）：每页都链接到其他语言版本（site）", columns).split("\n")
        assert not any(line.endswith(("（", "“")) for line in lines), lines


def test_the_clause_separator_is_chinese_in_zh():
    assert catalog("zh")["cli.clause_separator"] == "；" and catalog("en")["cli.clause_separator"] == "; "


def test_exports_label_the_answer_with_chinese_punctuation(tmp_path, capsys):
    """Regression: the LMS writers built "答案: 0.235 (3 位有效数字)" with ASCII ": " and "( )"."""
    out = tmp_path / "cards.csv"
    assert main(["export", "--format", "csv", "--bank", str(MINIMAL), "--lang", "zh", "--out", str(out)]) == 0
    cards = out.read_text(encoding="utf-8")
    assert "答案：" in cards and "答案:" not in cards and re.search(r"（[^（）]*(?:精确值|有效数字)）", cards), cards[:400]
