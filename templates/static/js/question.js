/* A question page: reveal the worked solution one step at a time (or all at once), and grade
 * the typed answer with QuizgenGrader against the answer embedded in the page. Without this
 * script the solution is a plain <details> element, so it stays readable.
 */
(function () {
  'use strict';

  var site = window.QuizgenSite;

  function stepper() {
    var details = document.getElementById('solution');
    var controls = document.querySelector('.reveal');
    if (!details || !controls) return;
    var steps = Array.prototype.slice.call(details.querySelectorAll('.step'));
    var count = steps.length - 1; // the last item is the final answer
    var next = controls.querySelector('[data-reveal="next"]');
    var all = controls.querySelector('[data-reveal="all"]');
    var reset = controls.querySelector('[data-reveal="reset"]');
    var progress = controls.querySelector('.reveal-progress');
    var shown = 0;

    details.classList.add('stepper');
    details.open = true;

    function render(focus) {
      steps.forEach(function (step, i) {
        var was = !step.classList.contains('pending');
        step.classList.toggle('pending', i >= shown);
        step.classList.toggle('just-shown', i < shown && !was);
      });
      next.disabled = shown >= steps.length;
      all.disabled = shown >= steps.length;
      reset.hidden = shown === 0;
      progress.textContent = shown === 0 ? '' : shown > count
        ? site.msg('all_shown', { count: count })
        : site.msg('step_progress', { n: shown, count: count });
      site.markScrollables(details);
      if (focus && shown > 0) {
        var heading = steps[Math.min(shown, steps.length) - 1].querySelector('h3');
        heading.focus();
      }
    }

    next.addEventListener('click', function () {
      shown = Math.min(shown + 1, steps.length);
      render(true);
      if (shown >= steps.length) all.blur();
    });
    all.addEventListener('click', function () {
      var first = shown;
      shown = steps.length;
      render(false);
      var heading = steps[Math.min(first, steps.length - 1)].querySelector('h3');
      heading.focus();
    });
    reset.addEventListener('click', function () {
      shown = 0;
      render(false);
      next.focus();
    });
    // Printing shows every step (see the print stylesheet); nothing to do here.
    render(false);
  }

  function grading() {
    var form = document.querySelector('form[data-grade="quizgen-question"]');
    var data = site.readJSON('quizgen-question');
    if (!form || !data) return;
    var feedback = form.querySelector('.feedback');
    var scope = document.querySelector('.question');
    if (data.parts) { // one box per part, graded with error carried forward (parts.js)
      ['label[for="answer"]', '#answer', '#answer-format'].forEach(function (sel) {
        var node = form.querySelector(sel);
        if (node) node.hidden = true;
      });
      var parts = window.QuizgenParts.mount(form, data, 'q', form.querySelector('.answer-row'), feedback);
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        parts.grade();
      });
      return;
    }
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var text = site.answerText(form, scope);
      if (text === null) {
        feedback.className = 'feedback unreadable';
        feedback.textContent = site.msg('no_answer');
        return;
      }
      site.showVerdict(feedback, window.QuizgenGrader.grade(data.answer, data.distractors, text), text);
    });
  }

  stepper();
  grading();
})();
