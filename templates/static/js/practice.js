/* Practice: random questions filtered by topic and difficulty, graded in the browser by
 * QuizgenGrader; a wrong answer that matches a distractor names the mistake, matrices get
 * partial credit entry by entry. The running score is quizgen's one score (as in the terminal
 * and `quizgen stats`): each question counts once, 1 if its first answer is correct, else 0;
 * a retry that fixes it, or partial credit, does not raise it.
 */
(function () {
  'use strict';

  var site = window.QuizgenSite;
  var pool = site.readJSON('quizgen-practice') || [];
  var filters = document.querySelector('.practice-filters');
  var section = document.querySelector('.practice-question');
  if (!filters || !section) return;
  var form = section.querySelector('form');
  var title = document.getElementById('practice-title');
  var meta = document.getElementById('practice-meta');
  var body = section.querySelector('.practice-body');
  var typed = form.querySelector('.typed');
  var chosen = form.querySelector('.chosen');
  var input = document.getElementById('practice-answer');
  var format = document.getElementById('practice-format');
  var feedback = form.querySelector('.feedback');
  var solution = document.getElementById('practice-solution');
  var countLine = filters.querySelector('.pool-count');
  var scoreLine = document.getElementById('practice-score');
  var topicNames = {};
  Array.prototype.forEach.call(filters.elements.topic.options, function (o) { topicNames[o.value] = o.textContent; });

  var current = null;
  var parts = null; // the multi-part boxes of the current question (parts.js), if it has parts
  var answered = {}; // question id -> true once its first answer counted
  var seen = {};
  var score = 0; // questions right at the first answer
  var total = 0; // questions answered

  function matching() {
    var topic = filters.elements.topic.value;
    var difficulty = filters.elements.difficulty.value;
    return pool.filter(function (q) {
      return (!topic || q.topic === topic) && (!difficulty || String(q.difficulty) === difficulty);
    });
  }

  function updateScore() {
    scoreLine.textContent = site.msg('score', { score: score, total: total });
  }

  function pick(focus) {
    var candidates = matching();
    countLine.textContent = candidates.length ? site.msg('pool', { count: candidates.length }) : site.msg('no_match');
    if (!candidates.length) {
      section.hidden = true;
      current = null;
      return;
    }
    var fresh = candidates.filter(function (q) { return !seen[q.id] && (!current || q.id !== current.id); });
    var from = fresh.length ? fresh : candidates.filter(function (q) { return !current || q.id !== current.id; });
    if (!from.length) from = candidates;
    show(from[Math.floor(Math.random() * from.length)], focus !== false);
  }

  function show(q, focus) {
    current = q;
    seen[q.id] = true;
    var template = document.getElementById('pq-' + q.id);
    body.textContent = '';
    body.appendChild(document.importNode(template.content, true));
    title.textContent = q.title;
    var level = filters.elements.difficulty.querySelector('option[value="' + q.difficulty + '"]');
    meta.textContent = [topicNames[q.topic] || q.topic, level ? level.textContent : '', q.tolerance]
      .filter(Boolean).join(' · ');
    var choice = q.answer.kind === 'choice';
    if (parts) parts.remove();
    parts = q.parts ? window.QuizgenParts.mount(form, q, 'practice', chosen, feedback) : null;
    typed.hidden = choice || Boolean(parts);
    chosen.hidden = !choice && !parts;
    format.textContent = q.format;
    input.value = '';
    feedback.textContent = '';
    feedback.className = 'feedback';
    solution.href = 'questions/' + q.id + '.html';
    section.hidden = false;
    site.markScrollables(section);
    title.setAttribute('tabindex', '-1');
    if (focus) title.focus();
  }

  filters.addEventListener('submit', function (event) {
    event.preventDefault();
    pick(true);
  });
  filters.addEventListener('change', function () { pick(false); });
  document.getElementById('practice-next').addEventListener('click', function () { pick(true); });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (!current) return;
    if (parts) { // counted once, right only if every point was earned (error carried forward included)
      var result = parts.grade();
      if (result && !answered[current.id]) {
        answered[current.id] = true;
        total += 1;
        if (result.score >= result.points - 1e-9) score += 1;
        updateScore();
      }
      return;
    }
    var text = site.answerText(form, body);
    if (text === null || (current.answer.kind === 'choice' && !body.querySelector('input:checked'))) {
      feedback.className = 'feedback unreadable';
      feedback.textContent = site.msg('no_answer');
      return;
    }
    var verdict = window.QuizgenGrader.grade(current.answer, current.distractors, text);
    site.showVerdict(feedback, verdict, text);
    if (!verdict.parse_error && !answered[current.id]) {
      answered[current.id] = true;
      total += 1;
      if (verdict.correct) score += 1;
      updateScore();
    }
  });

  updateScore();
  pick(false);
})();
