/* A multi-part question's answer boxes, one per part, graded together by
 * QuizgenGrader.gradeParts with error carried forward: each part says "Correct", "Correct given
 * your (a)" or "Wrong", with its points. Used by the question page and the practice page; the
 * words are the site's js_* messages, the data the page's embedded JSON (nothing is evaluated).
 */
(function () {
  'use strict';

  var site = window.QuizgenSite;

  // Put one labelled box per part of `data` into `form`, before `before`; returns a controller
  // whose grade() fills each part's feedback and `total`, and remove() undoes the mount.
  function mount(form, data, prefix, before, total) {
    var box = site.el('div', { className: 'parts' });
    var inputs = {};
    var boxes = {};
    data.parts.forEach(function (part) {
      var id = prefix + '-part-' + part.name;
      var legend = site.el('legend', { id: id + '-legend', text: site.msg('part_heading', {
        label: part.label, asked: part.asked, points: site.number(part.points) }) });
      var input = site.el('input', { id: id, type: 'text', autocomplete: 'off', spellcheck: false });
      input.setAttribute('autocapitalize', 'off');
      input.setAttribute('aria-labelledby', id + '-legend');
      input.setAttribute('aria-describedby', id + '-format');
      input.setAttribute('name', 'part-' + part.name);
      var feedback = site.el('div', { className: 'feedback' });
      feedback.setAttribute('role', 'status');
      feedback.setAttribute('aria-live', 'polite');
      box.appendChild(site.el('fieldset', { className: 'part' }, [
        legend, site.el('div', { className: 'answer-row' }, [input]),
        site.el('p', { className: 'format', id: id + '-format', text: part.format }), feedback
      ]));
      inputs[part.name] = input;
      boxes[part.name] = feedback;
    });
    form.insertBefore(box, before);

    function grade() {
      var answers = {};
      var missing = false;
      data.parts.forEach(function (part) {
        answers[part.name] = inputs[part.name].value;
        if (!inputs[part.name].value.trim()) missing = true;
      });
      if (missing) {
        total.className = 'feedback unreadable';
        total.textContent = site.msg('parts_answer_all');
        return null;
      }
      var result = window.QuizgenGrader.gradeParts(data, answers);
      result.parts.forEach(function (r) {
        var feedback = boxes[r.name];
        site.showVerdict(feedback, r, answers[r.name]);
        if (r.parse_error) return;
        // the part's own line below says the verdict and its points: drop "Correct." and "x of 1 point"
        Array.prototype.forEach.call(feedback.querySelectorAll(':scope > p:not([class])'), function (n) { n.remove(); });
        if (r.correct) feedback.querySelector('.verdict').remove();
        if (r.verdict === 'carried') feedback.className = 'feedback carried';
        var word = r.verdict === 'carried' ? site.msg('part_carried', { part: labelOf(data, r.given) })
          : r.verdict === 'correct' ? site.msg('part_correct') : site.msg('part_wrong');
        feedback.insertBefore(site.el('p', { className: 'part-verdict' }, [
          site.el('strong', { text: word }),
          document.createTextNode(' · ' + site.msg('part_points', { earned: site.number(r.earned), points: site.number(r.points) }))
        ]), feedback.firstChild);
      });
      var unread = result.parts.some(function (r) { return r.parse_error; });
      total.className = 'feedback ' + (unread ? 'unreadable' : result.score >= result.points - 1e-9 ? 'correct' : 'wrong');
      total.textContent = '';
      total.appendChild(site.el('p', { className: 'verdict', text: site.msg('parts_total', {
        score: site.number(result.score), points: site.number(result.points) }) }));
      return unread ? null : result;
    }

    function remove() {
      if (box.parentNode) box.parentNode.removeChild(box);
    }

    return { grade: grade, remove: remove, first: inputs[data.parts[0].name] };
  }

  function labelOf(data, name) {
    for (var i = 0; i < data.parts.length; i++) if (data.parts[i].name === name) return data.parts[i].label;
    return name;
  }

  window.QuizgenParts = { mount: mount };
})();
