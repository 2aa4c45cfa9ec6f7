/* Flashcards with a small SM-2-like schedule kept in localStorage: due cards first, then new
 * ones. Flip a card by clicking it or with Enter/Space; grade it Again/Hard/Good/Easy (or
 * keys 1-4). Without this script every card is listed with its answer in a <details>.
 */
(function () {
  'use strict';

  var site = window.QuizgenSite;
  var KEY = 'quizgen.flashcards.v1';
  var MINUTE = 60 * 1000;
  var DAY = 24 * 60 * MINUTE;
  var GRADES = ['again', 'hard', 'good', 'easy'];
  var QUALITY = { again: 1, hard: 3, good: 4, easy: 5 };

  var deck = document.querySelector('[data-deck]');
  var grades = document.querySelector('.grades');
  var status = document.querySelector('.deck-status');
  var done = document.querySelector('.deck-done');
  var kind = document.getElementById('deck-kind');
  if (!deck || !grades) return;
  var cards = Array.prototype.slice.call(deck.querySelectorAll('.card'));
  var flipButton = site.el('button', { type: 'button', 'data-flip': '', text: site.msg('flip') });
  grades.insertBefore(flipButton, grades.firstChild);
  var gradeButtons = Array.prototype.slice.call(grades.querySelectorAll('[data-grade]'));
  var label = grades.querySelector('.grades-label');

  var storageOk = true;
  var memory = {};
  var state = load();
  var current = null;
  var reviewAnyway = false;

  function load() {
    try {
      var text = window.localStorage.getItem(KEY);
      var data = text ? JSON.parse(text) : {};
      return data && typeof data === 'object' ? data : {};
    } catch (exc) {
      storageOk = false;
      return memory;
    }
  }

  function save() {
    if (!storageOk) return;
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
    } catch (exc) {
      storageOk = false;
    }
  }

  // SM-2, simplified: `again` brings the card back in 10 minutes and restarts its count;
  // otherwise the interval grows 1 day, 6 days, then by the ease factor (hard: by 1.2 only).
  function next(s, grade, now) {
    s = s || { reps: 0, ef: 2.5, interval: 0 };
    var q = QUALITY[grade];
    var ef = Math.max(1.3, s.ef + 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02));
    if (grade === 'again') return { reps: 0, ef: ef, interval: 0, due: now + 10 * MINUTE };
    var reps = s.reps + 1;
    var interval;
    if (grade === 'hard') interval = Math.max(1, Math.round((s.interval || 1) * 1.2));
    else if (reps === 1) interval = grade === 'easy' ? 4 : 1;
    else if (reps === 2) interval = grade === 'easy' ? 8 : 6;
    else interval = Math.max(1, Math.round(s.interval * ef * (grade === 'easy' ? 1.3 : 1)));
    return { reps: reps, ef: ef, interval: interval, due: now + interval * DAY };
  }

  function when(ms) {
    return ms < DAY ? site.msg('in_minutes', { n: Math.max(1, Math.round(ms / MINUTE)) })
      : site.msg('in_days', { n: Math.round(ms / DAY) });
  }

  function inDeck(card) {
    return !kind.value || card.getAttribute('data-kind') === kind.value;
  }

  // [due (oldest first), new (deck order), later (soonest first)] among the chosen kind.
  function queues(now) {
    var due = [], fresh = [], later = [];
    cards.filter(inDeck).forEach(function (card) {
      var s = state[card.getAttribute('data-card')];
      if (!s) fresh.push(card);
      else if (s.due <= now) due.push(card);
      else later.push(card);
    });
    var byDue = function (a, b) { return state[a.getAttribute('data-card')].due - state[b.getAttribute('data-card')].due; };
    due.sort(byDue);
    later.sort(byDue);
    return [due, fresh, later];
  }

  function show(focus) {
    var now = Date.now();
    var q = queues(now);
    status.textContent = site.msg('cards_status', { due: q[0].length, 'new': q[1].length, later: q[2].length }) +
      (storageOk ? '' : ' ' + site.msg('storage_off'));
    var card = q[0][0] || q[1][0] || (reviewAnyway ? q[2][0] : null);
    if (current) {
      current.classList.remove('current', 'flipped');
      current.removeAttribute('tabindex');
      current.querySelector('details').open = false;
    }
    current = card || null;
    done.hidden = !!card;
    grades.hidden = !card;
    if (!card) {
      var soonest = q[2][0];
      done.querySelector('.deck-done-text').textContent = soonest
        ? site.msg('done', { when: when(state[soonest.getAttribute('data-card')].due - now) }) : site.msg('done_none');
      done.querySelector('button').hidden = !soonest;
      return;
    }
    var s = state[card.getAttribute('data-card')];
    card.querySelector('.card-state').textContent = !s ? site.msg('card_new') : s.due <= now ? site.msg('card_due')
      : site.msg('card_early');
    card.classList.add('current');
    card.setAttribute('tabindex', '0');
    card.setAttribute('aria-describedby', 'flip-hint');
    setFlipped(false);
    if (focus) card.focus();
  }

  function setFlipped(flipped) {
    if (!current) return;
    current.classList.toggle('flipped', flipped);
    current.querySelector('details').open = flipped;
    flipButton.hidden = flipped;
    label.hidden = !flipped;
    var now = Date.now();
    var s = state[current.getAttribute('data-card')];
    gradeButtons.forEach(function (button) {
      button.hidden = !flipped;
      var plan = next(s, button.getAttribute('data-grade'), now);
      button.querySelector('small').textContent = '· ' + when(plan.due - now);
    });
    if (flipped) site.markScrollables(current);
  }

  function grade(name) {
    if (!current || !current.classList.contains('flipped')) return;
    var id = current.getAttribute('data-card');
    state[id] = next(state[id], name, Date.now());
    save();
    reviewAnyway = reviewAnyway && name !== 'again';
    show(true);
  }

  var hint = site.el('p', { id: 'flip-hint', className: 'vh', text: site.msg('flip_hint') });
  deck.parentNode.insertBefore(hint, deck);

  deck.addEventListener('click', function (event) {
    var card = event.target.closest('.card');
    if (card && card === current && !event.target.closest('a')) setFlipped(!current.classList.contains('flipped'));
  });
  deck.addEventListener('keydown', function (event) {
    if (event.target !== current || (event.key !== 'Enter' && event.key !== ' ')) return;
    event.preventDefault();
    setFlipped(!current.classList.contains('flipped'));
  });
  flipButton.addEventListener('click', function () {
    setFlipped(true);
    gradeButtons[2].focus();
  });
  gradeButtons.forEach(function (button) {
    button.addEventListener('click', function () { grade(button.getAttribute('data-grade')); });
  });
  document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || /^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName)) return;
    var at = ['1', '2', '3', '4'].indexOf(event.key);
    if (at >= 0 && current && current.classList.contains('flipped')) grade(GRADES[at]);
  });
  kind.addEventListener('change', function () { reviewAnyway = false; show(false); });
  document.getElementById('review-anyway').addEventListener('click', function () {
    reviewAnyway = true;
    show(true);
  });

  show(false);
})();
