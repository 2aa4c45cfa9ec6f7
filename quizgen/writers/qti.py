"""IMS QTI 1.2 for Canvas: a zip of `imsmanifest.xml` and one assessment, with one question
group per family ("pick 1" of its N variants, so each student draws their own numbers).

Canvas reads a question's type from its `question_type` metadata:
- a number is a `numerical_question`, its answer exact with the stated tolerance as margin
  (`varequal`, or `vargte`/`varlte` around it);
- a choice is a `multiple_choice_question` with per-option feedback naming and explaining the
  mistake each wrong option stands for;
- a vector or matrix is a `fill_in_multiple_blanks_question`, one blank per entry accepting the
  entry as the key displays it or to 4 significant digits (Canvas compares blanks as text:
  docs/formats.md); a multi-part question likewise, with a blank per entry of every part, a
  part's entries sharing its points (Canvas grades each blank alone: no error carried forward).

Idents are stable: the item is the question id, an option `<id>-<label>`, a group the family.
The worked solution is the general feedback. The zip's entries carry a fixed date, so the same
export is the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from quizgen.bank.question import Question
from quizgen.messages import t
from quizgen.present import view as present
from quizgen.render.numbers import fmt
from quizgen.writers import Context, FileWriter, lms, register
from quizgen.writers.lms import escape

x = lms.xml_text
NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"


def _meta(fields: list[tuple[str, str]], indent: str = "      ") -> str:
    rows = "".join(f"{indent}  <qtimetadatafield><fieldlabel>{x(k)}</fieldlabel><fieldentry>{x(v)}</fieldentry>"
                   f"</qtimetadatafield>\n" for k, v in fields)
    return f"{indent}<qtimetadata>\n{rows}{indent}</qtimetadata>\n"


def _mattext(html: str) -> str:
    return f'<material><mattext texttype="text/html">{x(html)}</mattext></material>'


def _feedback(ident: str, html: str) -> str:
    return f'      <itemfeedback ident="{x(ident)}"><flow_mat>{_mattext(html)}</flow_mat></itemfeedback>\n'


_OUTCOMES = '        <outcomes><decvar maxvalue="100" minvalue="0" varname="SCORE" vartype="Decimal"/></outcomes>\n'
_GENERAL = ('        <respcondition continue="Yes"><conditionvar><other/></conditionvar>'
            '<displayfeedback feedbacktype="Response" linkrefid="general_fb"/></respcondition>\n')


def _numerical(v: present.QuestionView) -> tuple[str, str, str]:
    a = v.answer
    low, high = lms.decimal(a.value - a.tol), lms.decimal(a.value + a.tol)
    presentation = ('<response_str ident="response1" rcardinality="Single"><render_fib fibtype="Decimal">'
                    '<response_label ident="answer1"/></render_fib></response_str>')
    condition = (f'        <respcondition continue="No"><conditionvar><or>'
                 f'<varequal respident="response1">{lms.decimal(a.value)}</varequal>'
                 f'<and><vargte respident="response1">{low}</vargte><varlte respident="response1">{high}</varlte></and>'
                 f'</or></conditionvar><setvar action="Set" varname="SCORE">100</setvar></respcondition>\n')
    return "numerical_question", presentation, condition


def _choice(q: Question, v: present.QuestionView) -> tuple[str, str, str, str]:
    labels, conditions, feedback = [], [], []
    for c in v.choices:
        ident = f"{q.id}-{c.label}"
        labels.append(f'<response_label ident="{x(ident)}">{_mattext(lms.html(c.text, inline=True))}</response_label>')
        words = lms.mistake_html(c.name, c.explanation)
        if words:
            conditions.append(f'        <respcondition continue="Yes"><conditionvar><varequal respident="response1">'
                              f'{x(ident)}</varequal></conditionvar><displayfeedback feedbacktype="Response" '
                              f'linkrefid="{x(ident)}_fb"/></respcondition>\n')
            feedback.append(_feedback(f"{ident}_fb", words))
        if c.correct:
            conditions.append(f'        <respcondition continue="No"><conditionvar><varequal respident="response1">'
                              f'{x(ident)}</varequal></conditionvar><setvar action="Set" varname="SCORE">100</setvar>'
                              f'</respcondition>\n')
    presentation = ('<response_lid ident="response1" rcardinality="Single"><render_choice>'
                    + "".join(labels) + "</render_choice></response_lid>")
    return "multiple_choice_question", presentation, "".join(conditions), "".join(feedback)


def _groups(v: present.QuestionView) -> list[tuple[str, str, dict, present.AnswerView, float]]:
    """What has blanks: (name prefix, heading HTML, answer box, answer, score of one entry) for
    the answer, or for every part of a multi-part question (a part's entries share its points)."""
    if not v.parts:
        rows, cols, _ = lms.grid(v)
        return [("", escape(t("exports.answer")), v.box, v.answer, 100 / (rows * cols))]
    total = sum(p.points for p in v.parts) or 1.0
    return [(f"{p.name}_", lms.part_head(p), p.box, p.answer,
             100 * p.points / total / max(len(lms.entries(p.answer)), 1)) for p in v.parts]


def _blanks(q: Question, v: present.QuestionView) -> tuple[str, str, str, str]:
    """One blank `[eRC]` per entry in a grid (`[aRC]`… per part); each accepts the entry as the
    key displays it."""
    text, responses, conditions = lms.question_html(v), [], []
    for prefix, head, box, answer, each in _groups(v):
        rows, cols, labels = lms.box_grid(box)
        if rows * cols != len(lms.entries(answer)):  # a box that does not fit the answer: one row
            rows, cols, labels = 1, len(lms.entries(answer)), [""]
        names = [f"{prefix}e{r + 1}_{c + 1}" for r in range(rows) for c in range(cols)]
        grid = "".join("<tr>" + (f"<td>{lms.inline_math(labels[r])}</td>" if labels[r] else "")
                       + "".join(f"<td>[{names[r * cols + c]}]</td>" for c in range(cols)) + "</tr>" for r in range(rows))
        text += f"<p>{head}:</p><table>{grid}</table>"
        share = lms.decimal(round(each, 4))
        for name, key, (value, _) in zip(names, lms.displayed(answer), lms.entries(answer)):
            accepted = list(dict.fromkeys([key, fmt(value)]))  # as the key prints it, and to 4 significant digits
            choices = []
            for n, text_value in enumerate(accepted):
                ident = f"{q.id}-{name}" + (f"-{n + 1}" if n else "")
                choices.append(f'<response_label ident="{x(ident)}">{_mattext(text_value)}</response_label>')
                conditions.append(f'        <respcondition><conditionvar><varequal respident="response_{name}">'
                                  f'{x(ident)}</varequal></conditionvar><setvar action="Add" varname="SCORE">{share}'
                                  f'</setvar></respcondition>\n')
            responses.append(f'<response_lid ident="response_{name}"><material><mattext>{name}</mattext></material>'
                             f'<render_choice>{"".join(choices)}</render_choice></response_lid>')
    return text, "".join(responses), "".join(conditions), ""


def points(v: present.QuestionView) -> str:
    """A question's points: 1, or a multi-part question's parts' total."""
    return f"{sum(p.points for p in v.parts):g}" if v.parts else "1"


def item(q: Question, v: present.QuestionView) -> str:
    """One <item>: metadata, presentation, response processing, feedback."""
    a = v.answer
    text, extra = lms.question_html(v), ""
    if a.kind not in present.NUMERIC:
        kind, presentation, conditions, extra = _choice(q, v)
        general = lms.feedback_html(v)
    elif isinstance(a.value, (int, float)) and not v.parts:
        kind, presentation, conditions = _numerical(v)
        general = lms.feedback_html(v) + lms.mistakes_html(v)
    else:  # an array, or a multi-part question: a blank per entry of every part
        kind = "fill_in_multiple_blanks_question"
        text, presentation, conditions, extra = _blanks(q, v)
        general = lms.feedback_html(v) + lms.mistakes_html(v)
    return (f'      <item ident="{x(q.id)}" title="{x(lms.name(v, q))}">\n'
            f'        <itemmetadata>\n'
            + _meta([("question_type", kind), ("points_possible", points(v)), ("original_answer_ids", ""),
                     ("assessment_question_identifierref", f"{q.id}-ref")], "          ")
            + f'        </itemmetadata>\n'
            f'        <presentation>{_mattext(text)}{presentation}</presentation>\n'
            f'        <resprocessing>\n{_OUTCOMES}{_GENERAL}{conditions}        </resprocessing>\n'
            f'{_feedback("general_fb", general)}{extra}'
            f'      </item>\n')


def section(family: str, title: str, items: list[str], points: str = "1") -> str:
    """A question group: pick 1 of the family's variants (each worth `points`)."""
    return (f'    <section ident="group-{x(family)}" title="{x(title)}">\n'
            f'      <selection_ordering><selection><selection_number>1</selection_number>'
            f'<selection_extension><points_per_item>{points}</points_per_item></selection_extension></selection>'
            f'</selection_ordering>\n' + "".join(items) + "    </section>\n")


def assessment(ident: str, title: str, sections: list[str]) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<questestinterop xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xsi:schemaLocation="{NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd">\n'
            f'  <assessment ident="{x(ident)}" title="{x(title)}">\n'
            + _meta([("cc_maxattempts", "1")], "    ")
            + '    <section ident="root_section">\n' + "".join(sections) + "    </section>\n"
            '  </assessment>\n</questestinterop>\n')


def manifest(ident: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<manifest identifier="{x(ident)}-manifest" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1">\n'
            f'  <metadata><schema>IMS Content</schema><schemaversion>1.1.3</schemaversion></metadata>\n'
            f'  <organizations/>\n  <resources>\n'
            f'    <resource identifier="{x(ident)}" type="imsqti_xmlv1p2">'
            f'<file href="{x(ident)}/{x(ident)}.xml"/></resource>\n'
            f'  </resources>\n</manifest>\n')


def package(files: dict[str, str]) -> bytes:
    """A zip of `files` (name -> text), in name order, each entry dated 1980-01-01."""
    return lms.zipped({name: files[name].encode("utf-8") for name in sorted(files)})


class QtiWriter(FileWriter):
    name = "qti"
    binary = True

    def render(self, q: Question, context: Context) -> tuple[str, str, str, str, str]:
        v = present.view(q)
        return q.id, q.family, v.title, item(q, v), points(v)

    def write(self, rendered: list[tuple[str, str, str, str, str]], context: Context) -> Iterator[bytes]:
        groups: dict[str, list] = {}
        for _, family, title, text, worth in rendered:
            groups.setdefault(family, [title, [], worth])[1].append(text)
        sections = [section(f, title, items, worth) for f, (title, items, worth) in groups.items()]
        # the assessment is known by the questions it holds (their ids), not by their text
        ident = "quizgen-" + hashlib.sha256("\n".join(r[0] for r in rendered).encode()).hexdigest()[:16]
        title = t("exports.assessment_title", families=len(groups), variants=context.variants)
        yield package({"imsmanifest.xml": manifest(ident), f"{ident}/{ident}.xml": assessment(ident, title, sections)})


WRITER = register(QtiWriter())
