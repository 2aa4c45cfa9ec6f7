"""Hostile and careless input files (issue 13): each one is refused with exit 2 and exactly one
`file: key: what is wrong` line, never a traceback, a hang or unbounded memory.

Files that must not live in git (FIFOs, huge or deeply nested files, symlinks) are made in
tmp_path at test time; small ones sit in fixtures/inputs/.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
from pathlib import Path

import pytest

from quizgen.cli import main
from quizgen.limits import MAX_FILE_BYTES, MAX_INT

ROOT = Path(__file__).resolve().parents[2]
INPUTS = Path(__file__).parent / "fixtures" / "inputs"
BANK_FAMILY = ROOT / "tests" / "fixtures" / "exam_specs" / "bank" / "activations" / "activation-derivative.toml"
PROBLEM = ROOT / "tests" / "fixtures" / "problems" / "column_tanh_sigmoid.toml"


@pytest.fixture
def run(capsys):
    """Run the CLI with a 10-second alarm (a FIFO once blocked forever); return (code, out, err)."""
    def call(*argv):
        previous = signal.signal(signal.SIGALRM, lambda *_: pytest.fail(f"quizgen {argv[0]} hung"))
        signal.alarm(10)
        try:
            code = main([str(a) for a in argv])
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        out, err = capsys.readouterr()
        return code, out, err
    return call


def refused(result, line: str) -> None:
    code, out, err = result
    assert (code, out, err) == (2, "", line + "\n")


# --- files that are not files ------------------------------------------------------------------

def test_a_fifo_is_refused_without_blocking(run, tmp_path):
    fifo = tmp_path / "problem.toml"
    os.mkfifo(fifo)
    refused(run("solve", fifo), f"{fifo}: is a named pipe (FIFO), not a regular file")


def test_dev_zero_is_refused_without_reading(run):
    refused(run("solve", "/dev/zero"), "/dev/zero: is a device, not a regular file")


def test_a_directory_is_refused(run, tmp_path):
    refused(run("solve", tmp_path), f"{tmp_path}: is a directory, not a regular file")


def test_a_fifo_named_like_a_family_is_reported_by_check(run, tmp_path):
    (tmp_path / "topic").mkdir()
    os.mkfifo(tmp_path / "topic" / "pipe.toml")
    code, out, err = run("check", "--bank", tmp_path)
    assert code == 2 and err.splitlines() == [
        f"{tmp_path / 'topic' / 'pipe.toml'}: is a named pipe (FIFO), not a regular file",
        "quizgen check: 1 problem(s) in 1 file(s)"]


def test_a_file_over_the_size_limit_is_refused(run, tmp_path):
    path = tmp_path / "big.toml"
    path.write_text("# " + "x" * MAX_FILE_BYTES + "\n", encoding="utf-8")
    refused(run("solve", path), f"{path}: is larger than the {MAX_FILE_BYTES}-byte limit for data files")


def test_a_3000_by_3000_problem_is_refused_before_solving(run, tmp_path):
    path = tmp_path / "huge.json"
    row = "[" + ",".join(["1"] * 3000) + "]"
    path.write_text('{"loss": "mse", "X": [' + ",".join([row] * 3000) + "]}", encoding="utf-8")
    refused(run("solve", path), f"{path}: is larger than the {MAX_FILE_BYTES}-byte limit for data files")


def test_a_matrix_over_100_columns_is_refused(run, tmp_path):
    path = tmp_path / "wide.json"
    path.write_text(json.dumps({"loss": "mse", "X": [[1.0] * 101], "Y": [[1.0]], "layers": [{"W": [[1.0]]}]}))
    refused(run("solve", path), f"{path}: X: has more than 100 rows or columns (the limit for problem files)")


# --- text and syntax ---------------------------------------------------------------------------

def test_a_utf8_bom_is_accepted_in_problems_families_and_specs(run, tmp_path):
    assert run("solve", INPUTS / "bom_problem.toml")[0] == 0
    code, out, err = run("check", "--bank", INPUTS / "bom_bank", "--variants", "2")
    assert (code, err) == (0, "") and "1 family OK" in out
    code, out, err = run("exam", INPUTS / "bom_spec.toml", "--out", tmp_path / "exam")
    assert (code, err) == (0, "")


def test_bytes_that_are_not_utf8_name_the_line(run, tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'loss = "mse"\n# caf\xe9\n')
    refused(run("solve", path), f"{path}: is not UTF-8 text (line 2)")


@pytest.mark.parametrize("suffix, text", [
    (".toml", "X = " + "[" * 1000 + "]" * 1000 + "\n"),
    (".json", '{"X": ' + "[" * 1000 + "]" * 1000 + "}"),
])
def test_nesting_1000_deep_is_refused_not_a_recursion_error(run, tmp_path, suffix, text):
    path = tmp_path / f"deep{suffix}"
    path.write_text(text, encoding="utf-8")
    refused(run("solve", path), f"{path}: is nested more than 32 levels deep (line 1)")


def test_deep_dotted_keys_are_refused(run, tmp_path):
    path = tmp_path / "dotted.toml"
    path.write_text("a." * 40 + "b = 1\n", encoding="utf-8")
    refused(run("solve", path), f"{path}: {'.'.join(['a'] * 33)}: is nested more than 32 levels deep")


@pytest.mark.parametrize("suffix, template", [(".toml", "X = [[{}]]\n"), (".json", '{{"X": [[{}]]}}')])
def test_an_integer_over_the_int_string_limit_is_refused(run, tmp_path, suffix, template):
    path = tmp_path / f"digits{suffix}"
    path.write_text(template.format("9" * 5000), encoding="utf-8")
    refused(run("solve", path), f"{path}: has a number longer than 4000 digits (line 1)")


def test_an_integer_beyond_64_bits_names_its_key(run, tmp_path):
    path = tmp_path / "big-int.toml"
    path.write_text('loss = "mse"\nlearning_rate = ' + "9" * 30 + "\n", encoding="utf-8")
    refused(run("solve", path), f"{path}: learning_rate: is a whole number beyond ±{MAX_INT:,}")


def test_duplicate_json_keys_are_refused(run):
    path = INPUTS / "duplicate_key.json"
    refused(run("solve", path), f"{path}: loss: appears twice")


def test_nan_in_json_is_refused(run):
    path = INPUTS / "nan.json"
    refused(run("solve", path), f"{path}: NaN is not a number quizgen accepts (numbers must be finite)")


def test_inf_in_toml_is_refused_with_its_key(run, tmp_path):
    path = tmp_path / "inf.toml"
    path.write_text('loss = "mse"\nX = [[1.0, inf]]\n', encoding="utf-8")
    refused(run("solve", path), f"{path}: X: an entry is not a finite number (inf or nan)")


def test_a_syntax_error_is_one_line_with_the_line_number(run, tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('loss = "mse"\nX = [[1.0,\n', encoding="utf-8")
    code, out, err = run("solve", path)
    assert code == 2 and len(err.splitlines()) == 1
    assert err.startswith(f"{path}: not valid TOML: ") and err.rstrip().endswith("(line 2)")


# --- overflow in solve -------------------------------------------------------------------------

def test_an_overflow_hidden_by_a_sigmoid_is_refused(run):
    """Z1 = inf, A1 = 1, J = 0 used to exit 0; --json wrote Infinity."""
    path = INPUTS / "sigmoid_overflow.toml"
    line = f"{path}: layers[1]: the forward pass overflows: Z1 has inf or nan; use smaller values"
    refused(run("solve", path), line)
    refused(run("solve", "--json", path), line)


def test_solve_json_never_writes_infinity(run, monkeypatch):
    """Should a non-finite value ever get past load_problem, --json refuses it instead of printing Infinity."""
    from quizgen.commands import solve

    class Tape:
        def to_json(self):
            return {"loss": float("inf")}

    monkeypatch.setattr(solve, "solve", lambda net: Tape())
    refused(run("solve", "--json", PROBLEM),
            f"{PROBLEM}: a solved quantity is not finite (inf or nan); use smaller values")


# --- exam specs --------------------------------------------------------------------------------

def test_400_digit_points_are_refused(run, tmp_path):
    path = INPUTS / "huge_points.toml"
    refused(run("exam", path, "--out", tmp_path / "exam"),
            f"{path}: sections[1].points: is a whole number beyond ±{MAX_INT:,}")


def test_points_beyond_the_cap_are_refused(run, tmp_path):
    path = tmp_path / "spec.toml"
    bank = ROOT / "tests" / "fixtures" / "exam_specs" / "bank"
    path.write_text(f'title = "x"\nbank = "{bank}"\n[[sections]]\nfamilies = ["activation-derivative"]\n'
                    "points = 1e15\n", encoding="utf-8")
    refused(run("exam", path, "--out", tmp_path / "exam"),
            f"{path}: sections[1].points: must be a positive multiple of 0.5 up to 1000 (points per question), "
            "got 1000000000000000.0")


def test_a_deeply_nested_spec_is_refused(run, tmp_path):
    path = tmp_path / "spec.toml"
    path.write_text("title = " + "[" * 1000 + "]" * 1000 + "\n", encoding="utf-8")
    refused(run("exam", path, "--out", tmp_path / "exam"), f"{path}: is nested more than 32 levels deep (line 1)")


# --- banks -------------------------------------------------------------------------------------

def family_bank(tmp_path: Path, text: str, name: str = "fam") -> Path:
    (tmp_path / "bank" / "topic").mkdir(parents=True)
    (tmp_path / "bank" / "topic" / f"{name}.toml").write_text(text, encoding="utf-8")
    return tmp_path / "bank"


def check_lines(run, bank: Path) -> list[str]:
    code, out, err = run("check", "--bank", bank, "--variants", "2")
    assert code == 2 and out == ""
    return err.splitlines()[:-1]


BASE = BANK_FAMILY.read_text(encoding="utf-8")


@pytest.mark.parametrize("prompt, what", [
    ("{{ 7*7 }}", "{{ 7*7 }} on line 1 is not a placeholder: write {{ name }} with a name the kind provides"),
    ("{{ 1/0 }}", "{{ 1/0 }} on line 1 is not a placeholder: write {{ name }} with a name the kind provides"),
    ("{{ z.__class__.__mro__[1].__subclasses__() }}",
     "{{ z.__class__.__mro__[1].__subclasses__() }} on line 1 is not a placeholder: write {{ name }} with a name "
     "the kind provides"),
    ("{% for x in z %}{% endfor %}", "{% on line 1: a prompt is text with {{ name }} placeholders, not a template"),
    ("a\n{# hidden #}", "{# on line 2: a prompt is text with {{ name }} placeholders, not a template"),
    ("{{ z", "{{ on line 1 is never closed with }}"),
])
def test_a_prompt_is_not_a_template(run, tmp_path, prompt, what):
    bank = family_bank(tmp_path, f"prompt = {json.dumps(prompt)}\n" + BASE)
    assert check_lines(run, bank)[0] == f"{bank / 'topic' / 'fam.toml'}: prompt: {what}"


def test_a_placeholder_value_is_never_expanded_again():
    from quizgen.bank.prompts import render_prompt

    assert render_prompt("{{ a }} and {{b}}", {"a": "{{ b }}", "b": 7}) == "{{ b }} and 7"


def test_the_bank_does_not_use_jinja2():
    bank = Path(__file__).resolve().parents[2] / "quizgen" / "bank"
    for path in bank.rglob("*.py"):
        assert "jinja2" not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("key, value, what", [
    ("title", "5", "title: must be a string, got 5"),
    ("summary", "[]", "summary: must be a string, got []"),
    ("source", "true", "source: must be a string, got True"),
    ("hints", '"one"', "hints: must be a list of strings"),
    ("tags", "[1]", "tags: must be a list of non-empty strings"),
    ("topic", "[]", "topic: must be a non-empty string, got []"),
    ("min_distractors", "1000000", "min_distractors: must be a whole number from 0 to 10, got 1000000"),
])
def test_family_fields_are_type_checked(run, tmp_path, key, value, what):
    text = "\n".join(line for line in BASE.splitlines() if not line.startswith(f"{key} ="))
    bank = family_bank(tmp_path, f"{key} = {value}\n" + text)
    assert check_lines(run, bank) == [f"{bank / 'topic' / 'fam.toml'}: {what}"]


def test_duplicate_titles_are_reported(run, tmp_path):
    bank = family_bank(tmp_path, BASE, "first")
    (bank / "topic" / "second.toml").write_text(BASE, encoding="utf-8")
    assert check_lines(run, bank) == [
        f"{bank / 'topic' / 'second.toml'}: title: the same title as {bank / 'topic' / 'first.toml'}"]


def test_symlinked_topic_folders_and_files_are_reported(run, tmp_path):
    bank = family_bank(tmp_path, BASE)
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(BANK_FAMILY, outside / "other.toml")
    (bank / "linked").symlink_to(outside, target_is_directory=True)
    (bank / "topic" / "link.toml").symlink_to(outside / "other.toml")
    what = "is a symbolic link; a bank holds only real files and folders (copy the file in)"
    assert check_lines(run, bank) == [f"{bank / 'linked'}: {what}", f"{bank / 'topic' / 'link.toml'}: {what}"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_topic_folder_is_reported(run, tmp_path):
    bank = family_bank(tmp_path, BASE)
    (bank / "secret").mkdir()
    (bank / "secret").chmod(0)
    try:
        assert check_lines(run, bank) == [f"{bank / 'secret'}: cannot list this folder: Permission denied"]
    finally:
        (bank / "secret").chmod(0o755)


def test_a_bad_prompt_in_a_loaded_family_is_a_bank_error_not_a_crash():
    """Guards generate.variant: a prompt that slipped past validation raised a Jinja error."""
    from dataclasses import replace

    from quizgen.bank.generate import variant
    from quizgen.bank.load import load_bank
    from quizgen.errors import BankError

    family = replace(load_bank(INPUTS / "bom_bank")[0], prompt="{{ 1/0 }}")
    with pytest.raises(BankError) as caught:
        variant(family, 0)
    assert caught.value.key == "prompt"


# --- limits on work ----------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["check", "export", "build"])
def test_variants_are_capped(run, tmp_path, command):
    extra = ["--out", tmp_path / "out"] if command == "build" else []
    refused(run(command, "--bank", INPUTS / "bom_bank", "--variants", "100000000", *extra),
            "quizgen: --variants must be at most 1000, got 100000000")


def test_check_refuses_zero_variants_like_build(run):
    refused(run("check", "--bank", INPUTS / "bom_bank", "--variants", "0"),
            "quizgen: --variants must be at least 1, got 0")


def test_a_bank_that_is_really_a_disk_is_not_walked_whole(run, tmp_path, monkeypatch):
    """Guards scan_bank: a spec's `bank = "/"` walked the whole file system."""
    import quizgen.bank.load as load

    monkeypatch.setattr(load, "MAX_BANK_ENTRIES", 3)
    bank = family_bank(tmp_path, BASE)
    for name in ("a", "b", "c"):
        (bank / name).mkdir()
    assert check_lines(run, bank) == [f"{bank}: holds more than 3 files and folders; is this really a question bank?"]


def test_a_key_with_a_newline_stays_on_one_line(run, tmp_path):
    bank = family_bank(tmp_path, '"evil\\nkey" = 1\n' + BASE)
    lines = check_lines(run, bank)
    assert len(lines) == 1 and lines[0].startswith(f'{bank / "topic" / "fam.toml"}: "evil\\nkey": unknown key')


def test_a_megabyte_value_is_not_repeated_in_the_error(run, tmp_path):
    text = "\n".join(line for line in BASE.splitlines() if not line.startswith("difficulty ="))
    bank = family_bank(tmp_path, "difficulty = [" + ", ".join(["1"] * 100_000) + "]\n" + text)
    lines = check_lines(run, bank)
    assert len(lines) == 1 and lines[0].endswith("…") and len(lines[0]) < 500


def test_hints_are_capped(run, tmp_path):
    text = "\n".join(line for line in BASE.splitlines() if not line.startswith("hints ="))
    bank = family_bank(tmp_path, "hints = [" + ", ".join(['"$x$"'] * 11) + "]\n" + text)
    assert check_lines(run, bank) == [
        f"{bank / 'topic' / 'fam.toml'}: hints: must be at most 10 hints of at most 2000 characters each"]


# --- found by the fresh-eyes hostile pass ------------------------------------------------------

def test_a_long_activation_chain_is_refused(run, tmp_path):
    """1,000 chained softmaxes in a 10 KB problem file took 18 s and 760 MB; 90,000 ran away."""
    path = tmp_path / "chain.json"
    path.write_text(json.dumps({"X": [[1.0]], "Y": [[1.0]], "loss": "mse",
                                "layers": [{"W": [[1.0]], "activation": ["sigmoid"] * 1000}]}), encoding="utf-8")
    refused(run("solve", path), f"{path}: layers[1].activation: chains 1000 activations; at most 4 are allowed")


def spec_with(tmp_path: Path, **text: str) -> Path:
    bank = ROOT / "tests" / "fixtures" / "exam_specs" / "bank"
    path = tmp_path / "spec.toml"
    fields = "".join(f"{key} = {json.dumps(value)}\n" for key, value in text.items())
    path.write_text(f'bank = "{bank}"\n{fields}[[sections]]\nfamilies = ["activation-derivative"]\npoints = 1\n',
                    encoding="utf-8")
    return path


def test_exam_instructions_are_bounded(run, tmp_path):
    """10,000 unmatched `[` in instructions took python-markdown 119 s; a 1 MiB spec would never end."""
    path = spec_with(tmp_path, title="T", instructions="[" * 10_000)
    refused(run("exam", path, "--out", tmp_path / "exam"), f"{path}: instructions: is 10000 characters long; at most 5000")


def test_an_exam_title_is_bounded(run, tmp_path):
    """A 50,000-character title made Chromium shrink every printed page to fit it."""
    path = spec_with(tmp_path, title="x" * 50_000)
    refused(run("exam", path, "--out", tmp_path / "exam"), f"{path}: title: is 50000 characters long; at most 200")


def test_wrong_latex_in_exam_text_is_refused_as_in_a_prompt(run, tmp_path):
    path = spec_with(tmp_path, title="T", instructions=r"Use $\foo{x}$.")
    code, out, err = run("exam", path, "--out", tmp_path / "exam")
    assert (code, out) == (2, "") and err.startswith(f"{path}: instructions: ") and "\\foo" in err
    assert len(err.splitlines()) == 1 and not (tmp_path / "exam").exists()


def test_titles_that_read_the_same_are_duplicates(run, tmp_path):
    """A zero-width space, a trailing space or a full-width letter does not make a title new."""
    bank = family_bank(tmp_path, BASE, "first")
    title = BASE.split('title = "', 1)[1].split('"', 1)[0]
    lookalike = "\uff34" + title[1:] + "\u200b " if title[0] == "T" else title.upper() + "\u200b "
    (bank / "topic" / "second.toml").write_text(BASE.replace(f'title = "{title}"', f'title = "{lookalike}"'),
                                                encoding="utf-8")
    assert check_lines(run, bank) == [
        f"{bank / 'topic' / 'second.toml'}: title: the same title as {bank / 'topic' / 'first.toml'}"]


def test_an_invisible_title_is_empty(run, tmp_path):
    bank = family_bank(tmp_path, BASE.replace('title = "', 'title = "\u200b\u200c\u200d\ufeff" #', 1))
    assert check_lines(run, bank) == [f"{bank / 'topic' / 'fam.toml'}: title: must not be empty"]


def test_a_long_activation_chain_in_a_family_is_refused(run, tmp_path):
    """A family with a 100,000-long `sigmoid+sigmoid+…` chain kept `check` running for minutes."""
    assert "[network]" not in BASE
    bank = family_bank(tmp_path, BASE + '\n[network]\nactivations = ["' + "+".join(["sigmoid"] * 100) + '"]\n')
    assert check_lines(run, bank)[0].endswith("chains 100 activations; at most 4 are allowed")


@pytest.mark.parametrize("command", ["build", "export", "check", "show", "practice"])
@pytest.mark.parametrize("seed", ["-1", "1" + "0" * 300])
def test_a_seed_outside_the_documented_range_is_refused(command, seed, capsys):
    """A 300-digit --seed made every page name too long for the file system."""
    with pytest.raises(SystemExit) as stop:
        main([command, *(["xor"] if command == "show" else []), "--seed", seed])
    assert stop.value.code == 2
    assert f"argument --seed: must be from 0 to {2**63 - 1}" in capsys.readouterr().err
