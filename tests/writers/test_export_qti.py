"""`quizgen export --format qti`: the Canvas QTI 1.2 zip parsed back and checked against the
records, and its structure checked against the QTI ASI 1.2.1 content models.

The IMS binding files carry no licence that lets us ship them, so the content models of every
element the writer emits are transcribed below from the QTI ASI 1.2.1 DTD (ims_qtiasiv1p2p1.dtd,
14 Feb 2003, final release) and each element's children are matched against them. Setting
QUIZGEN_QTI_DTD to a copy of that DTD also runs lxml's full DTD validation (the namespace
declarations removed, which a DTD cannot know, and the vendor content of *_extension emptied).
The shipped writer's output passed that full validation when this test was written.
"""

from __future__ import annotations

import io
import os
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest

from export_cases import FAMILIES, VARIANTS, export, views
from quizgen.render.numbers import fmt
from quizgen.writers import lms

NS = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
_V = "not | and | or | unanswered | other | varequal | varlt | varlte | vargt | vargte | varsubset | varinside | " \
     "varsubstring | durequal | durlt | durlte | durgt | durgte"
_RESPONSE = "((material | material_ref)? , (render_choice | render_hotspot | render_slider | render_fib | " \
            "render_extension) , (material | material_ref)?)"
_RENDER = "((material | material_ref | response_label | flow_label)* , response_na?)"
# element -> content model, as declared in ims_qtiasiv1p2p1.dtd ("#PCDATA": text only).
MODELS = {
    "questestinterop": "(qticomment? , (objectbank | assessment | (section | item)+))",
    "assessment": "(qticomment? , duration? , qtimetadata* , objectives* , assessmentcontrol* , rubric* , "
                  "presentation_material? , outcomes_processing* , assessproc_extension? , assessfeedback* , "
                  "selection_ordering? , reference? , (sectionref | section)+)",
    "qtimetadata": "(vocabulary? , qtimetadatafield+)",
    "qtimetadatafield": "(fieldlabel , fieldentry)",
    "section": "(qticomment? , duration? , qtimetadata* , objectives* , sectioncontrol* , sectionprecondition* , "
               "sectionpostcondition* , rubric* , presentation_material? , outcomes_processing* , "
               "sectionproc_extension? , sectionfeedback* , selection_ordering? , reference? , "
               "(itemref | item | sectionref | section)*)",
    "selection_ordering": "(qticomment? , sequence_parameter* , selection* , order?)",
    "selection": "(sourcebank_ref? , selection_number? , selection_metadata? , "
                 "(and_selection | or_selection | not_selection | selection_extension)?)",
    "item": "(qticomment? , duration? , itemmetadata? , objectives* , itemcontrol* , itemprecondition* , "
            "itempostcondition* , (itemrubric | rubric)* , presentation? , resprocessing* , itemproc_extension? , "
            "itemfeedback* , reference?)",
    "itemmetadata": "(qtimetadata* , qmd_computerscored? , qmd_feedbackpermitted? , qmd_hintspermitted? , "
                    "qmd_itemtype? , qmd_levelofdifficulty? , qmd_maximumscore? , qmd_renderingtype* , "
                    "qmd_responsetype* , qmd_scoringpermitted? , qmd_solutionspermitted? , qmd_status? , "
                    "qmd_timedependence? , qmd_timelimit? , qmd_toolvendor? , qmd_topic? , qmd_weighting? , "
                    "qmd_material* , qmd_typeofsolution?)",
    "presentation": "(qticomment? , (flow | (material | response_lid | response_xy | response_str | response_num | "
                    "response_grp | response_extension)+))",
    "material": "(qticomment? , (mattext | matemtext | matimage | mataudio | matvideo | matapplet | matapplication | "
                "matref | matbreak | mat_extension)+ , altmaterial*)",
    "response_lid": _RESPONSE, "response_str": _RESPONSE, "render_choice": _RENDER, "render_fib": _RENDER,
    "response_label": "(qticomment | material | material_ref | flow_mat)*",  # mixed with #PCDATA
    "resprocessing": "(qticomment? , outcomes , (respcondition | itemproc_extension)+)",
    "outcomes": "(qticomment? , (decvar , interpretvar*)+)",
    "respcondition": "(qticomment? , conditionvar , setvar* , displayfeedback* , respcond_extension?)",
    "conditionvar": f"({_V} | var_extension)+", "and": f"({_V})+", "or": f"({_V})+", "not": f"({_V})",
    "itemfeedback": "((flow_mat | material) | solution | hint)+",
    "flow_mat": "(qticomment? , (flow_mat | material | material_ref)+)",
    "selection_extension": "ANY",
    **{name: "#PCDATA" for name in ("mattext", "fieldlabel", "fieldentry", "selection_number", "decvar", "setvar",
                                    "varequal", "vargte", "varlte", "other", "displayfeedback")},
}
# Required attributes and enumerated values, as declared there.
REQUIRED = {name: ("ident",) for name in ("assessment", "section", "item", "response_lid", "response_str",
                                          "response_label", "itemfeedback")}
REQUIRED.update({name: ("respident",) for name in ("varequal", "vargte", "varlte")})
REQUIRED["displayfeedback"] = ("linkrefid",)
ENUMS = {"rcardinality": {"Single", "Multiple", "Ordered"}, "fibtype": {"String", "Integer", "Decimal", "Scientific"},
         "vartype": {"Integer", "String", "Decimal", "Scientific", "Boolean", "Enumerated", "Set"},
         "action": {"Set", "Add", "Subtract", "Multiply", "Divide"}, "continue": {"Yes", "No"},
         "feedbacktype": {"Response", "Solution", "Hint"}, "texttype": None}


def pattern(model: str) -> re.Pattern:
    """A DTD content model as a regex over the children's names written `<name>`."""
    out = re.sub(r"[A-Za-z_][\w.]*", lambda m: f"(?:<{m.group(0)}>)", model)
    return re.compile(out.replace(",", "").replace(" ", ""))


PATTERNS = {k: pattern(v) for k, v in MODELS.items() if v not in ("ANY", "#PCDATA")}


def check(el: ET.Element, problems: list[str]) -> None:
    tag = el.tag.removeprefix(NS)
    model = MODELS.get(tag)
    if model is None:
        problems.append(f"<{tag}> is not an element of QTI 1.2")
        return
    if model == "ANY":
        return
    children = [c.tag.removeprefix(NS) for c in el]
    if model == "#PCDATA":
        if children:
            problems.append(f"<{tag}> holds elements {children}")
    elif not PATTERNS[tag].fullmatch("".join(f"<{c}>" for c in children)):
        problems.append(f"<{tag}> children {children} do not match {model}")
    elif el.text and el.text.strip() and tag != "response_label":
        problems.append(f"<{tag}> holds text")
    for name in REQUIRED.get(tag, ()):
        if not el.get(name):
            problems.append(f"<{tag}> lacks {name}")
    for name, allowed in ENUMS.items():
        if allowed and el.get(name) is not None and el.get(name) not in allowed:
            problems.append(f"<{tag} {name}={el.get(name)!r}>")
    for child in el:
        check(child, problems)


@pytest.fixture(scope="module")
def package():
    return zipfile.ZipFile(io.BytesIO(export("qti")))


def assessment_xml(package) -> str:
    manifest = ET.fromstring(package.read("imsmanifest.xml"))
    href = manifest.find(".//{http://www.imsglobal.org/xsd/imscp_v1p1}file").get("href")
    assert sorted(package.namelist()) == sorted(["imsmanifest.xml", href])
    return package.read(href).decode("utf-8")


def items(package) -> list[ET.Element]:
    return ET.fromstring(assessment_xml(package)).findall(f".//{NS}item")


def meta(item: ET.Element, label: str) -> str:
    for field in item.iter(f"{NS}qtimetadatafield"):
        if field.findtext(f"{NS}fieldlabel") == label:
            return field.findtext(f"{NS}fieldentry")
    raise KeyError(label)


def test_the_assessment_has_the_structure_qti_1_2_1_declares(package):
    problems: list[str] = []
    check(ET.fromstring(assessment_xml(package)), problems)
    assert problems == []


def test_the_structure_check_catches_a_misplaced_element():
    bad = ET.fromstring(f'<questestinterop xmlns="{NS[1:-1]}"><item ident="x"><resprocessing/><presentation/>'
                        f'</item></questestinterop>')
    problems: list[str] = []
    check(bad, problems)
    assert problems and "do not match" in problems[0]


@pytest.mark.skipif(not os.environ.get("QUIZGEN_QTI_DTD"), reason="QUIZGEN_QTI_DTD (ims_qtiasiv1p2p1.dtd) not set")
def test_the_assessment_is_valid_against_the_qti_1_2_1_dtd(package):
    etree = pytest.importorskip("lxml.etree")
    text = re.sub(r' xmlns(:xsi)?="[^"]*"| xsi:schemaLocation="[^"]*"', "", assessment_xml(package), count=3)
    text = re.sub(r"<selection_extension>.*?</selection_extension>", "<selection_extension/>", text)
    dtd = etree.DTD(os.environ["QUIZGEN_QTI_DTD"])
    assert dtd.validate(etree.fromstring(text.encode("utf-8"))), dtd.error_log.filter_from_errors()[:5]


def test_one_group_per_family_picking_one_of_its_variants(package):
    root = ET.fromstring(assessment_xml(package))
    groups = root.findall(f"{NS}assessment/{NS}section/{NS}section")
    assert [g.get("ident") for g in groups] == [f"group-{f}" for f in sorted(FAMILIES)]
    for g in groups:
        assert g.findtext(f"{NS}selection_ordering/{NS}selection/{NS}selection_number") == "1"
        family = g.get("ident").removeprefix("group-")
        assert [i.get("ident") for i in g.findall(f"{NS}item")] == [f"{family}--s0-v{n}" for n in range(VARIANTS)]


def test_a_number_is_a_numerical_question_with_its_tolerance_as_margin(package):
    checked = 0
    for item in items(package):
        q, v = views()[item.get("ident")]
        if v.answer.kind == "choice" or not isinstance(v.answer.value, (int, float)):
            continue
        assert meta(item, "question_type") == "numerical_question"
        cond = item.find(f".//{NS}respcondition[{NS}setvar]/{NS}conditionvar/{NS}or")
        assert float(cond.findtext(f"{NS}varequal")) == v.answer.value
        low, high = float(cond.findtext(f"{NS}and/{NS}vargte")), float(cond.findtext(f"{NS}and/{NS}varlte"))
        assert low == pytest.approx(v.answer.value - v.answer.tol, abs=1e-15)
        assert high == pytest.approx(v.answer.value + v.answer.tol, abs=1e-15)
        general = item.find(f"{NS}itemfeedback[@ident='general_fb']").findtext(f".//{NS}mattext")
        assert all(lms.escape(d.name.rstrip(".")) in general for d in v.distractors)
        checked += 1
    assert checked == VARIANTS


def test_a_choice_has_stable_option_idents_and_feedback_naming_each_mistake(package):
    checked = 0
    for item in items(package):
        q, v = views()[item.get("ident")]
        if v.answer.kind != "choice":
            continue
        assert meta(item, "question_type") == "multiple_choice_question"
        labels = [el.get("ident") for el in item.iter(f"{NS}response_label")]
        assert labels == [f"{q.id}-{c.label}" for c in v.choices]
        scored = item.find(f".//{NS}respcondition[{NS}setvar]")
        assert scored.findtext(f".//{NS}varequal") == f"{q.id}-{q.answer.value}"
        feedback = {f.get("ident"): f.findtext(f".//{NS}mattext") for f in item.findall(f"{NS}itemfeedback")}
        for c in v.choices:
            if c.name:
                assert lms.escape(c.name.rstrip(".")) in feedback[f"{q.id}-{c.label}_fb"]
        checked += 1
    assert checked == 2 * VARIANTS


def test_an_array_is_fill_in_multiple_blanks_one_blank_per_entry(package):
    checked = 0
    for item in items(package):
        q, v = views()[item.get("ident")]
        if v.answer.kind == "choice" or isinstance(v.answer.value, (int, float)):
            continue
        assert meta(item, "question_type") == "fill_in_multiple_blanks_question"
        blanks = item.findall(f"{NS}presentation/{NS}response_lid")
        accepted = [[m.text for m in b.iter(f"{NS}mattext")][1:] for b in blanks]
        assert len(blanks) == len(lms.entries(v.answer))
        for texts, key, (value, _) in zip(accepted, lms.displayed(v.answer), lms.entries(v.answer)):
            assert texts == list(dict.fromkeys([key, fmt(value)]))  # the key's entry, then 4 significant digits
        text = item.findtext(f"{NS}presentation/{NS}material/{NS}mattext")
        assert all(f"[{b.findtext(f'{NS}material/{NS}mattext')}]" in text for b in blanks)
        checked += 1
    assert checked == 3 * VARIANTS

