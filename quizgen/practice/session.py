"""One practice session: ask, read, grade, explain, record — with the terminal injected.

`read(prompt)` behaves like input(): it returns a line or raises EOFError / KeyboardInterrupt;
`write(text)` prints text as is. Tests pass scripted ones and compare the transcript.
Either way of stopping (EOF, Ctrl-C, :quit) ends with the summary; attempts are already saved.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from quizgen import grading
from quizgen.bank.generate import variant
from quizgen.bank.question import Question
from quizgen.bank.spec import Family
from quizgen.errors import HistoryError, QuizgenError
from quizgen.messages import t
from quizgen.practice.feedback import answer_format, hint_items, prose, summary_text, unreadable, verdict_lines, wrap
from quizgen.ecf import grade_parts
from quizgen.messages.text import say
from quizgen.practice.history import Attempt, History
from quizgen.practice.parts import part_head, part_lines, points_text
from quizgen.practice.report import topic_label
from quizgen.practice.schedule import Card, pick, quality
from quizgen.render.terminal import clean
from quizgen.present.terminal import question_text, solution_text, step_lines

Reader = Callable[[str], str]
Writer = Callable[[str], None]
GRADABLE = ("number", "vector", "matrix", "choice")
MAX_LINES = 30  # continuation lines read for one bracketed answer
COMMANDS = {"hint": "hint", "h": "hint", "solution": "solution", "sol": "solution", "skip": "skip",
            "s": "skip", "quit": "quit", "q": "quit", "exit": "quit", "help": "help", "?": "help"}
DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]+")  # "0,25" for one number: a typo, not an attempt
WORDS = frozenset({"hint", "solution", "skip", "quit", "exit", "help"})


def _stdout(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Turn:
    """One question as it is being worked on."""

    question: Question
    hints: int = 0
    tries: int = 0
    score: float = 0.0
    correct: bool = False
    first_correct: bool = False  # the first graded answer was right: what the score counts
    done: bool = False
    answers: dict = field(default_factory=dict)  # a multi-part question's typed parts so far
    part: int = 0  # the part being asked


@dataclass
class Summary:
    """What one session came to. The score is `first_try` of `attempted`: a question counts once,
    by its first answer (a solution revealed before answering counts as not right), the same
    measure `quizgen stats` and the site use; a skipped question is not counted."""

    asked: int = 0
    answered: int = 0  # questions with at least one graded answer
    attempted: int = 0  # questions answered or given up on (solution shown): the score's base
    correct: int = 0  # right in the end, the retry included
    first_try: int = 0  # right at the first answer: the score
    fixed: int = 0  # wrong first, right on the retry
    skipped: int = 0
    revealed: int = 0
    mistakes: Counter = field(default_factory=Counter)  # mistake name -> times seen
    ended: str = "done"  # done | quit | eof | interrupted


class Session:
    def __init__(self, families: list[Family], history: History, *, count: int = 10, seed: int = 0,
                 read: Reader = input, write: Writer = _stdout, clock: Callable[[], datetime] = utc_now):
        self.families = {f.id: f for f in families}
        self.history, self.count, self.seed = history, count, seed
        self.read, self.clock = read, clock
        self.write = lambda text: write(clean(text))  # bank text and typed answers reach the screen
        self.cards: dict[str, Card] = history.cards()
        self.asked: list[str] = []
        self.turn: Turn | None = None
        self.summary = Summary()
        self.broken = False

    def say(self, text: str = "") -> None:
        self.write(text + "\n")

    def run(self) -> Summary:
        """Ask up to `count` questions; always ends with the summary."""
        try:
            n = len(self.families)
            families = t("practice.families_one") if n == 1 else t("practice.families_many", n=n)
            self.say(wrap(t("practice.welcome", count=self.count, families=families)))
            self.summary.ended = self._loop()
        except (KeyboardInterrupt, EOFError) as exc:
            self.summary.ended = "interrupted" if isinstance(exc, KeyboardInterrupt) else "eof"
            self.write("\n")
        finally:
            self._settle()
        return self.summary

    def _loop(self) -> str:
        while self.summary.asked < self.count and self.families:
            family = self.families[pick(sorted(self.families), self.cards, self.clock(), self.seed, self.asked,
                                        {f.id: f.difficulty for f in self.families.values()})]
            card = self.cards.get(family.id, Card(family.id))
            try:
                q = variant(family, card.next_index, self.seed)
            except QuizgenError as exc:
                self.say(t("practice.family_broken", family=family.id, error=str(exc)))
                del self.families[family.id]
                continue
            if q.answer.kind not in GRADABLE:
                self.say(t("practice.not_gradable", family=family.id, kind=q.answer.kind))
                del self.families[family.id]
                continue
            self.asked.append(family.id)
            self.summary.asked += 1
            self._show(q, card)
            if not self._work(Turn(q)):
                return "quit"
        return "done"

    def _show(self, q: Question, card: Card) -> None:
        if card.due is None:
            status = t("practice.status_new")
        elif card.due <= self.clock():
            status = t("practice.status_due")
        else:
            status = t("practice.status_again")
        self.say()
        self.say(t("practice.question_head", number=self.summary.asked, count=self.count, topic=topic_label(q.topic),
                   status=status))
        self.say(prose(question_text(q)))
        self.say()
        if q.parts:
            self.say(part_head(q, 0))
        else:
            self.say(wrap(answer_format(q)))

    def _work(self, turn: Turn) -> bool:
        """Read lines until the question is settled; False when the student quits."""
        self.turn = turn
        q = turn.question
        while not turn.done:
            line = self._read_answer()
            word = line.strip()
            if word.startswith(":"):
                command = COMMANDS.get(word[1:].strip().lower())
                if command == "quit":
                    return False
                if command == "help":
                    self.say(t("practice.help"))
                elif command == "hint":
                    self._hint(turn)
                elif command == "solution":
                    self.say(prose(solution_text(q)))
                    self._conclude(turn, "revealed")
                elif command == "skip":
                    shown = (t("cli.clause_separator").join(f"{p.label} {p.answer.display}" for p in q.parts)
                             or q.answer.display)
                    self.say(t("practice.skipped", answer=shown))
                    self._conclude(turn, "skipped")
                else:
                    self.say(t("practice.unknown_command", command=word))
                continue
            if not word:
                self.say(t("practice.blank"))
                continue
            if word.lower() in WORDS:
                self.say(t("practice.needs_colon", word=word.lower()))
                continue
            if q.parts:
                self._grade_part(turn, line)
            else:
                self._grade(turn, line)
        return True

    def _read_answer(self) -> str:
        """One answer; a line that opens more [ than it closes continues on the next lines, until
        the brackets balance, an empty line, or a :command (which replaces the unfinished answer).
        Full-width input (a Chinese input method's ：hint, ［１，２］, 0。5) is read as its ASCII twin."""
        line = grading.plain(self.read(t("practice.prompt")))
        for _ in range(MAX_LINES):
            if line.strip().startswith(":") or line.count("[") <= line.count("]"):
                break
            more = grading.plain(self.read(t("practice.prompt_more")))
            if more.strip().startswith(":"):
                return more
            if not more.strip():
                break
            line += " " + more
        return line

    def _hint(self, turn: Turn) -> None:
        items = hint_items(turn.question)
        if turn.hints >= len(items):
            self.say(t("practice.no_more_hints") if items else t("practice.no_hints"))
            return
        item = items[turn.hints]
        turn.hints += 1
        self.say(t("practice.hint_head", number=turn.hints, count=len(items)))
        if isinstance(item, str):
            self.say(wrap(item, "    "))
        else:
            self.say(prose("\n".join(step_lines(item[1], item[0]))))

    def _grade(self, turn: Turn, text: str) -> None:
        q = turn.question
        answer = dict(q.answer.__dict__, choices=[dict(c.__dict__) for c in q.choices])
        result = grading.grade(answer, [dict(d.__dict__) for d in q.distractors], text)
        if q.answer.kind == "number" and DECIMAL_COMMA.fullmatch(text.strip()):
            result = dict(result, parse_error=True, message=t("practice.decimal_comma", text=text.strip()))
        if result["parse_error"]:
            self.say(unreadable(q, result["message"]))
            self.say(t("practice.try_again"))
            return
        turn.tries += 1
        turn.correct, turn.score = bool(result["correct"]), float(result["score"])
        if turn.tries == 1:
            turn.first_correct = turn.correct
        lines, mistake_name = verdict_lines(q, result, text)
        attempt = self._attempt(turn, "answered", text, result, mistake_name)
        settled = turn.correct or turn.tries >= 2
        if settled:
            self._conclude(turn, "answered", attempt)
        else:
            self._save(attempt)
        if mistake_name:
            self.summary.mistakes[mistake_name] += 1
        self.say("\n".join(lines))
        if turn.correct:
            return
        if settled:
            self.say(t("practice.show_solution"))
            self.say(prose(solution_text(q)))
        else:
            self.say(t("practice.retry"))

    def _grade_part(self, turn: Turn, text: str) -> None:
        """One part of a multi-part question, graded once with error carried forward from the parts
        before it; the question is settled after its last part, scored by the points earned."""
        q = turn.question
        part = q.parts[turn.part]
        alone = grading.grade(part.answer, [dict(d.__dict__) for d in part.distractors], text)
        if alone["parse_error"]:
            self.say(unreadable(replace(q, answer=part.answer), alone["message"]))
            self.say(t("practice.try_again"))
            return
        turn.answers[part.name] = text
        result = grade_parts(q, turn.answers)
        self.say("\n".join(part_lines(q, result["parts"][turn.part])))
        turn.part += 1
        if turn.part < len(q.parts):
            self.say(part_head(q, turn.part))
            return
        turn.tries = 1
        turn.score = result["score"] / result["points"] if result["points"] else 0.0
        turn.correct = turn.first_correct = result["score"] >= result["points"] - 1e-9
        worst = next((r for r in result["parts"] if r["verdict"] == "wrong" and r["mistake"]), None)
        mistake_name = say(worst["mistake_name"]) or worst["mistake"] if worst else None
        summary = {"correct": turn.correct, "score": turn.score, "mistake": worst["mistake"] if worst else None}
        attempt = self._attempt(turn, "answered", " | ".join(f"{k}: {v}" for k, v in turn.answers.items()), summary,
                                mistake_name)
        self._conclude(turn, "answered", attempt)
        if mistake_name:
            self.summary.mistakes[mistake_name] += 1
        self.say(t("practice.parts_total", score=points_text(result["score"]), points=points_text(result["points"])))
        if not turn.correct:
            self.say(t("practice.parts_solution"))
            self.say(prose(solution_text(q)))

    def _attempt(self, turn: Turn, outcome: str, text: str | None = None, result: dict | None = None,
                 mistake_name: str | None = None) -> Attempt:
        q, result = turn.question, result or {}
        return Attempt(q.id, q.family, q.topic, q.kind, text, outcome, bool(result.get("correct")),
                       float(result.get("score") or 0.0), result.get("mistake"), mistake_name, turn.hints,
                       turn.tries + (outcome != "answered"), self.clock())

    def _conclude(self, turn: Turn, outcome: str, attempt: Attempt | None = None) -> None:
        """Settle the question: review its card and save it with the attempt in one transaction
        (reading the card there, so another session's review is kept), then count it."""
        if outcome != "answered":
            attempt = self._attempt(turn, outcome)
            turn.correct = False
        q = quality(correct=turn.correct, hints=turn.hints, tries=turn.tries, score=turn.score,
                    skipped=outcome == "skipped")
        family = turn.question.family
        try:
            card = self.history.review(family, q, self.clock(), attempt)
        except HistoryError:
            self.broken = True  # the history cannot be written: say so once, do not retry
            raise
        turn.done = True
        self.cards[family] = card
        s = self.summary
        s.answered += turn.tries > 0
        s.correct += turn.correct
        s.first_try += turn.first_correct
        s.attempted += turn.tries > 0 or outcome == "revealed"
        s.fixed += turn.correct and not turn.first_correct
        s.skipped += outcome == "skipped"
        s.revealed += outcome == "revealed"

    def _save(self, attempt: Attempt | None, card: Card | None = None) -> None:
        try:
            self.history.record(attempt, card)
        except HistoryError:
            self.broken = True  # the history cannot be written: say so once, do not retry
            raise

    def _settle(self) -> None:
        """After the last question or an interruption: settle a half-answered question, sum up."""
        turn = self.turn
        try:
            if turn is not None and not turn.done and turn.tries and not self.broken:
                self._conclude(turn, "answered")
        except HistoryError as exc:
            self.say(str(exc))
        finally:
            self.say(summary_text(self.summary, self.cards, self.clock(), str(self.history.path), self.asked))
