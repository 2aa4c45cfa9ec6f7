/* The study site's shared script: messages, feedback for graded answers, scrollable math,
 * and the index page's filters. Every word comes from the page's quizgen-messages JSON
 * (quizgen/messages/<lang>/site.toml js_* keys and grading.toml). ES2019, no dependencies.
 */
(function () {
  'use strict';

  var messages = readJSON('quizgen-messages') || { site: {}, grading: {} };
  window.QUIZGEN_MESSAGES = messages; // the grader reads .grading from here

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  // site.toml's js_<key>, with {name} fields filled the way str.format fills them.
  function msg(key, values) {
    var text = messages.site[key];
    if (typeof text !== 'string') throw new Error('quizgen site: no message ' + JSON.stringify(key));
    return text.replace(/\{(\w+)\}/g, function (field, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : field;
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'className') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function number(x) {
    return String(Math.round(x * 10000) / 10000);
  }

  // Make wide math and tables that actually scroll reachable by keyboard (and only those).
  function markScrollables(root) {
    var nodes = (root || document).querySelectorAll('.math-scroll, .table-scroll, .prompt, .choice-text');
    Array.prototype.forEach.call(nodes, function (node) {
      if (node.scrollWidth > node.clientWidth + 1) node.setAttribute('tabindex', '0');
      else if (node.getAttribute('tabindex') === '0') node.removeAttribute('tabindex');
    });
  }

  // The typed values laid out in the expected shape, each entry marked right or wrong.
  function entriesTable(parsed, verdict) {
    var shape = verdict.expected_shape || [];
    if (!parsed || parsed.error !== undefined || !shape.length || !verdict.wrong_entries.length) return null;
    var flat = [].concat.apply([], (parsed.value || []).map(function (v) { return Array.isArray(v) ? v : [v]; }));
    var rows = shape.length === 2 ? shape[0] : 1;
    var cols = shape.length === 2 ? shape[1] : shape[0];
    if (flat.length !== rows * cols) return null;
    var wrong = {};
    verdict.wrong_entries.forEach(function (w) {
      wrong[w.length === 1 ? '0,' + w[0] : w[0] + ',' + w[1]] = true;
    });
    var body = el('tbody');
    for (var r = 0; r < rows; r++) {
      var tr = el('tr');
      for (var c = 0; c < cols; c++) {
        var off = wrong[r + ',' + c] === true;
        tr.appendChild(el('td', { className: off ? 'off' : 'ok' }, [
          document.createTextNode(number(flat[r * cols + c])),
          el('span', { 'aria-hidden': 'true', text: off ? '✗' : '✓' }),
          el('span', { className: 'vh', text: ' ' + msg(off ? 'entry_wrong' : 'entry_right') })
        ]));
      }
      body.appendChild(tr);
    }
    return el('div', {}, [el('p', { text: msg('wrong_entries') }), el('table', { className: 'entries' }, [body])]);
  }

  // Fill `box` with what the grader said about `text`.
  function showVerdict(box, verdict, text) {
    var parsed = window.QuizgenGrader.parseAnswer(text);
    box.className = 'feedback ' + (verdict.correct ? 'correct' : verdict.parse_error ? 'unreadable' : 'wrong');
    box.textContent = '';
    box.appendChild(el('p', { className: 'verdict', text: verdict.message }));
    if (verdict.explanation) {
      box.appendChild(el('p', { className: 'mistake' }, [
        el('strong', { text: msg('label', { label: msg('mistake') }) }), document.createTextNode(verdict.explanation)
      ]));
    }
    if (!verdict.correct && !verdict.parse_error && verdict.score > 0) {
      box.appendChild(el('p', { text: msg('points', { score: number(verdict.score) }) }));
    }
    var table = verdict.parse_error ? null : entriesTable(parsed, verdict);
    if (table) box.appendChild(table);
  }

  // The typed answer of a form: the checked choice, else the text box.
  function answerText(form, scope) {
    var checked = (scope || form).querySelector('input[type="radio"]:checked');
    if (checked) return checked.value;
    var input = form.querySelector('input[type="text"]');
    return input && !input.closest('[hidden]') ? input.value : null;
  }

  // ---- index: filter families by tag and difficulty ---------------------------------------
  function indexFilters() {
    var form = document.querySelector('form.filters');
    if (!form || document.body.getAttribute('data-page') !== 'index') return;
    var families = Array.prototype.slice.call(document.querySelectorAll('.family'));
    var count = form.querySelector('.filter-count');
    function apply() {
      var tag = form.elements.tag.value;
      var difficulty = form.elements.difficulty.value;
      var shown = 0;
      families.forEach(function (li) {
        var ok = (!tag || li.getAttribute('data-tags').split('|').indexOf(tag) >= 0) &&
          (!difficulty || li.getAttribute('data-difficulty') === difficulty);
        li.hidden = !ok;
        if (ok) shown += 1;
      });
      Array.prototype.forEach.call(document.querySelectorAll('.topic'), function (section) {
        section.hidden = !section.querySelector('.family:not([hidden])');
      });
      count.textContent = tag || difficulty ? msg('filter_count', { shown: shown, total: families.length }) : '';
    }
    form.addEventListener('change', apply);
    form.addEventListener('submit', function (event) { event.preventDefault(); apply(); });
    form.addEventListener('reset', function () { setTimeout(apply, 0); });
    apply();
  }

  window.QuizgenSite = {
    msg: msg, readJSON: readJSON, el: el, showVerdict: showVerdict, answerText: answerText,
    markScrollables: markScrollables, number: number
  };

  indexFilters();
  markScrollables();
  var pending = null;
  window.addEventListener('resize', function () {
    clearTimeout(pending);
    pending = setTimeout(function () { markScrollables(); }, 150);
  });
})();
