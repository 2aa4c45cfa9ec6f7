"""The catalog and the code agree: every key the code names exists, and every key is used somewhere.

Guards issue 15 ("every user-facing string lives in quizgen/messages"): a key typed wrong in
`t("...")` / `text("...")` fails here rather than as a KeyError in front of a user, and a message
left behind when its last use goes away is found instead of being translated forever.

How a key is "used" is read off the sources, not imported: a literal "area.key" anywhere in
quizgen/; an f-string prefix f"area.key_{...}" covers the keys it can form; the areas handed to
pages whole (site, exam, grading: `area(...)`) also count a key whose bare name appears in
templates/ or quizgen/ (Jinja `m.key`, JavaScript `msg('key')`, formulas.toml cells).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizgen.bank.kinds import KINDS
from quizgen.bank.prompts import DEFAULTS
from quizgen.engine import mistakes
from quizgen.messages import catalog, check_lang, languages, t
from quizgen.messages.text import say, text

ROOT = Path(__file__).resolve().parents[1]
KEYS = catalog("en")
AREAS = sorted({key.split(".", 1)[0] for key in KEYS})
WHOLE_AREAS = {"site", "exam", "grading"}  # embedded whole in pages and scripts (messages.area)
NOT_KEYS = re.compile(r"\.(py|toml|html|js|css|md|json|csv|pdf|txt|sqlite)$")  # file names, e.g. "exam.py"
_AREA = "|".join(AREAS)
LITERAL = re.compile(r"""(?<![\w.])["']((?:%s)\.[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)?)["']""" % _AREA)
PREFIX = re.compile(r"""\bf["']((?:%s)\.[A-Za-z0-9_.]*)\{""" % _AREA)


def _sources(folder: str, *suffixes: str) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / folder).rglob("*"))
                     if p.suffix in suffixes and p.is_file())


CODE = _sources("quizgen", ".py")
PAGES = _sources("templates", ".html", ".js", ".toml")
NAMED = {k for k in LITERAL.findall(CODE) if not NOT_KEYS.search(k)}
PREFIXES = set(PREFIX.findall(CODE))
# a bare name built from a prefix: Jinja m["kind_" ~ k], f"topic_{topic}", JavaScript 'card_' + x
BARE_PREFIXES = set(re.findall(r"""(?:\bf)?["']([a-z][a-z_]*_)(?:["']\s*[~+]|\{)""", PAGES + CODE))


def _used(key: str) -> bool:
    if key in NAMED or any(key.startswith(p) for p in PREFIXES):
        return True
    area, name = key.split(".", 1)
    if area in WHOLE_AREAS:
        bare = name.removeprefix("js_")  # site.toml js_* keys reach site.js without the prefix
        if any(name.startswith(p) or bare.startswith(p) for p in BARE_PREFIXES):
            return True
        return re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(bare), PAGES + CODE) is not None
    return False


def test_every_key_the_code_names_is_in_the_catalog():
    missing = sorted(NAMED - set(KEYS))
    assert not missing, f"keys used in quizgen/ but missing from quizgen/messages/en/: {missing}"


def test_every_key_prefix_the_code_builds_on_names_catalog_keys():
    """t(f"answer.ask_{rule}"): the keys it can form are there (which ones, the code's own tests say)."""
    empty = sorted(p for p in PREFIXES if not any(key.startswith(p) for key in KEYS))
    assert not empty, f"f-string key prefixes with no key in the catalog: {empty}"


def test_every_catalog_key_is_used_somewhere():
    unused = sorted(key for key in KEYS if not _used(key))
    assert not unused, f"catalog keys nothing in quizgen/ or templates/ uses: {unused}"


def test_the_scan_sees_literal_prefix_and_page_uses():
    """The two tests above are only as good as the scan: it must find each way a key is used."""
    assert "steps.bias_gradient" in NAMED  # text("steps.bias_gradient", layer=l)
    assert "answer.precision_" in PREFIXES  # t(f"answer.precision_{rule}")
    assert _used("site.kind_find_error")  # m.get("kind_" ~ f.kind, f.kind)
    assert not _used("steps.no_such_key_anywhere")


@pytest.mark.parametrize("mistake_id", sorted(set(mistakes.CATALOG) | set(mistakes.OTHER)))
def test_every_mistake_has_a_name_and_an_explanation(mistake_id):
    m = mistakes.describe(mistake_id)
    assert m.name == text(f"mistakes.{mistake_id}.name")
    assert say(m.name).strip() and say(m.explanation).strip()


def test_every_mistake_table_is_a_known_mistake():
    ids = {key.split(".")[1] for key in KEYS if key.startswith("mistakes.")}
    assert ids == set(mistakes.CATALOG) | set(mistakes.OTHER)
    assert {key.rsplit(".", 1)[1] for key in KEYS if key.startswith("mistakes.")} == {"name", "explanation"}


def test_every_kind_has_a_default_prompt_with_placeholders_intact():
    assert set(DEFAULTS) == set(KINDS)
    for kind in KINDS:
        assert "{{ asked }}" in DEFAULTS[kind], kind  # t() without values leaves {{ name }} alone
    assert "{{ network }}" in t("prompts.network")


def test_english_and_chinese_exist_and_another_language_is_one_line_naming_them():
    assert languages() == ("en", "zh")  # issue 19 added zh (zh-CN is its alias)
    assert check_lang(None) == "en" and check_lang("en") == "en" and check_lang("zh-CN") == "zh"
    with pytest.raises(Exception) as err:
        check_lang("fr")
    assert str(err.value) == "--lang: unknown language 'fr' (available: en, zh)"
    for hostile in ("", "../en", "en\x1b[31m", "EN", "../zh", "zh/../en", 3):  # no folder lookup before the check, no case folding
        with pytest.raises(Exception):
            check_lang(hostile)


def test_every_engine_entry_and_step_title_has_its_words():
    """Names a record keeps as keys (issue 15): each activation and loss (engine.toml), and the
    noun form of every step title a sentence may name (steps.toml [noun])."""
    from quizgen.engine import activations, losses

    assert all(f"engine.activation.{name}" in KEYS for name in activations.NAMES)
    assert all(losses.RULES[name].title in KEYS for name in losses.NAMES)
    titles = {k.split(".")[1] for k in KEYS if k.startswith("steps.") and not k.startswith("steps.noun.")}
    nouns = {k.split(".")[2] for k in KEYS if k.startswith("steps.noun.")}
    assert nouns <= titles


def test_a_prompt_and_its_paragraphs_use_only_the_placeholders_a_record_keeps():
    """A default prompt's values are kept by the names its catalog text uses, in every language;
    a translation naming another placeholder would print it empty."""
    from quizgen.bank.spec import PROMPT_NAMES
    from quizgen.messages.text import PLACEHOLDER

    for key in [k for k in KEYS if k.startswith("prompts.")]:
        for lang in languages():
            assert set(PLACEHOLDER.findall(catalog(lang)[key])) <= PROMPT_NAMES, (lang, key)
