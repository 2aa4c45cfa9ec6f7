/* The study site's answer grader: quizgen/grading.py, mirrored function by function.
 *
 * Reads typed answers without eval (numbers, fractions, 1e-3, vectors, matrices, choice letters)
 * and grades them with the Python grader's tolerance, shape, partial-credit and mistake rules.
 * tests/data/grading_cases.json is the table both must pass; change the two files together.
 * A plain browser script (window.QuizgenGrader) that Node can also require. ES2019, no deps.
 *
 * It holds no words of its own: every message comes from quizgen/messages/<lang>/grading.toml,
 * handed over as QuizgenGrader.setMessages(quizgen.messages.area("grading", lang)) or, if that was
 * never called, read from window.QUIZGEN_MESSAGES.grading. With neither, grading throws.
 */
(function (root) {
  'use strict';

  var MAX_CHARS = 10000;

  // Whitespace spelled out: Python's and JavaScript's ideas of "whitespace" differ.
  var WS_RUN = /[ \t\n\r\f\v\u00a0]+/g;
  var WS_EDGES = /^[ \t\n\r\f\v\u00a0]+|[ \t\n\r\f\v\u00a0]+$/g;
  var SLASH = /[ \t\n\r\f\v\u00a0]*\/[ \t\n\r\f\v\u00a0]*/g;
  var TOKEN = /[\[\];,]|[^ \t\n\r\f\v\u00a0\[\];,]+/g;
  var NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
  var NONFINITE = /^[+-]?(?:[Nn][Aa][Nn]|[Ii][Nn][Ff](?:[Ii][Nn][Ii][Tt][Yy])?)$/;
  var CHOICE = /^\(?([A-Ha-h])\)?$/;
  var DECIMAL_COMMA = /^[+-]?[0-9]+,[0-9]+$/;

  // --- messages -----------------------------------------------------------------------------

  var messages = null; // set by setMessages; null means "use root.QUIZGEN_MESSAGES.grading"

  // Use these messages (the catalog's grading area, keys without "grading."); null forgets them.
  function setMessages(obj) {
    if (obj !== null && (typeof obj !== 'object' || Array.isArray(obj))) {
      throw new TypeError('QuizgenGrader.setMessages: expected an object of {key: text}, or null');
    }
    Object.keys(obj || {}).forEach(function (key) {
      if (typeof obj[key] !== 'string') {
        throw new TypeError('QuizgenGrader.setMessages: message ' + JSON.stringify(key) + ' is not text');
      }
    });
    messages = obj;
  }

  function currentMessages() {
    if (messages !== null) return messages;
    var page = root.QUIZGEN_MESSAGES;
    if (page && typeof page === 'object' && page.grading && typeof page.grading === 'object') return page.grading;
    throw new Error('QuizgenGrader has no messages: call QuizgenGrader.setMessages(...) ' +
      'or define window.QUIZGEN_MESSAGES.grading before grading');
  }

  // quizgen.messages.t("grading." + key, **values): the text with {name} fields filled, as
  // str.format fills them ({{ and }} are literal braces); an unknown key or field throws.
  function msg(key, values) {
    var table = currentMessages();
    if (!Object.prototype.hasOwnProperty.call(table, key)) {
      throw new Error('QuizgenGrader: no message ' + JSON.stringify(key));
    }
    var text = table[key];
    if (!values || !Object.keys(values).length) return text; // like t(): no values, no formatting
    return text.replace(/\{\{|\}\}|\{([^{}]*)\}|[{}]/g, function (field, name) {
      if (field === '{{') return '{';
      if (field === '}}') return '}';
      if (name === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new Error('QuizgenGrader: message ' + JSON.stringify(key) + ' has a bad field ' + JSON.stringify(field));
      }
      if (!Object.prototype.hasOwnProperty.call(values, name)) {
        throw new Error('QuizgenGrader: message ' + JSON.stringify(key) + ' needs a value for ' + field);
      }
      return String(values[name]);
    });
  }

  // A parse failure travels as this object until parseAnswer turns it into {error}.
  function ParseFailure(message) {
    this.message = message;
  }

  // --- reading ------------------------------------------------------------------------------

  // What a Chinese input method types for ASCII (grading.py _PLAIN): full-width U+FF01-FF5E,
  // the ideographic space, comma and full stop, the brackets 【】, and the minus sign.
  var PLAIN = { '\u3000': ' ', '\u3001': ',', '\u3002': '.', '\u3010': '[', '\u3011': ']', '\u2212': '-' };

  function plain(text) {
    return text.replace(/[\uFF01-\uFF5E\u3000-\u3002\u3010\u3011\u2212]/g, function (ch) {
      var code = ch.charCodeAt(0);
      return code >= 0xFF01 ? String.fromCharCode(code - 0xFEE0) : PLAIN[ch];
    });
  }

  function parseAnswer(text) {
    try {
      return parseOrThrow(text);
    } catch (exc) {
      if (exc instanceof ParseFailure) return { error: exc.message };
      throw exc;
    }
  }

  function parseOrThrow(text) {
    if (typeof text !== 'string') throw new ParseFailure(msg('not_text'));
    var length = codePointLength(text);
    if (length > MAX_CHARS) throw new ParseFailure(msg('too_long', { length: length, limit: MAX_CHARS }));
    var s = strip(plain(text));
    if (!s) throw new ParseFailure(msg('nothing_typed', { accepted: msg('accepted') }));
    var letter = CHOICE.exec(s);
    if (letter) return { kind: 'choice', value: letter[1].toUpperCase(), shape: null };
    var tokens = tokenize(s.replace(SLASH, '/'));
    var structure = splitStructure(text, tokens);
    var rows = structure[0];
    var form = structure[1];
    var values, i;
    if (form === 'matrix') {
      values = rows.map(function (row, k) { return readRow(text, row, msg('part_row', { row: k + 1 })); });
      for (i = 1; i < values.length; i++) {
        if (values[i].length !== values[0].length) {
          fail(text, msg('row_lengths_differ', { row: i + 1, count: values[i].length, first: values[0].length }));
        }
      }
      return { kind: 'matrix', value: values, shape: [values.length, values[0].length] };
    }
    values = readRow(text, rows[0], msg('part_answer'));
    if (form === 'flat' && values.length === 1) return { kind: 'number', value: values[0], shape: [] };
    return { kind: 'vector', value: values, shape: [values.length] };
  }

  function tokenize(s) {
    var out = [];
    var match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(s)) !== null) out.push(match[0]);
    return out;
  }

  // Split tokens into rows; the form is "flat" (no brackets), "vector" or "matrix".
  function splitStructure(text, tokens) {
    if (tokens.indexOf('[') < 0 && tokens.indexOf(']') < 0) {
      var flatRows = split(tokens, ';');
      return [flatRows, flatRows.length > 1 ? 'matrix' : 'flat'];
    }
    var depth = 0;
    var deepest = 0;
    var i;
    for (i = 0; i < tokens.length; i++) {
      if (tokens[i] === '[') {
        depth += 1;
        deepest = Math.max(deepest, depth);
      } else if (tokens[i] === ']') {
        depth -= 1;
        if (depth < 0) fail(text, msg('unmatched_close'));
        if (depth === 0 && i !== tokens.length - 1) fail(text, msg('brackets_must_enclose'));
      }
    }
    if (depth > 0) fail(text, msg('never_closed'));
    if (tokens[0] !== '[') fail(text, msg('brackets_must_enclose'));
    if (deepest > 2) fail(text, msg('too_many_brackets'));
    var inner = tokens.slice(1, -1);
    if (!inner.length) fail(text, msg('empty_brackets'));
    if (deepest === 1) return inner.indexOf(';') >= 0 ? [split(inner, ';'), 'matrix'] : [[inner], 'vector'];
    var rows = [];
    var last = 'sep';
    i = 0;
    while (i < inner.length) {
      var token = inner[i];
      if (token === '[') {
        var end = inner.indexOf(']', i); // at most two levels, so the next ] closes this row
        rows.push(inner.slice(i + 1, end));
        i = end + 1;
        last = 'row';
        continue;
      }
      if (token !== ',' && token !== ';') fail(text, msg('outside_inner_brackets', { atom: quote(token, 20) }));
      if (last !== 'row') fail(text, msg('row_missing_between'));
      i += 1;
      last = 'sep';
    }
    if (last !== 'row') fail(text, msg('row_missing_after'));
    return [rows, 'matrix'];
  }

  function split(tokens, sep) {
    var rows = [[]];
    tokens.forEach(function (token) {
      if (token === sep) rows.push([]);
      else rows[rows.length - 1].push(token);
    });
    return rows;
  }

  // Entries separated by spaces and/or single commas; `part` names the row in messages.
  function readRow(text, tokens, part) {
    var values = [];
    var last = ','; // as if a comma came before the first entry
    tokens.forEach(function (token) {
      if (token === ',') {
        if (last === ',') fail(text, msg('empty_entry', { part: part }));
        last = ',';
      } else if (token === ';') {
        fail(text, msg('semicolon_in_brackets', { part: part }));
      } else {
        values.push(readNumber(text, token));
        last = 'number';
      }
    });
    if (!values.length) fail(text, msg('part_empty', { part: part }));
    if (last === ',') fail(text, msg('empty_entry', { part: part }));
    return values;
  }

  // One entry: integer, decimal, scientific notation or a fraction of two of those.
  function readNumber(text, atom) {
    if (NONFINITE.test(atom)) fail(text, msg('not_finite', { atom: quote(atom, 20) }));
    var parts = atom.split('/');
    if (parts.length > 2 || !parts.every(function (p) { return NUMBER.test(p); })) {
      fail(text, msg('not_a_number', { atom: quote(atom, 20) }));
    }
    var value = Number(parts[0]);
    if (parts.length === 2) {
      var denominator = Number(parts[1]);
      if (denominator === 0) fail(text, msg('divides_by_zero', { atom: quote(atom, 20) }));
      value = value / denominator;
    }
    if (!isFinite(value)) fail(text, msg('too_large', { atom: quote(atom, 20) }));
    return value;
  }

  function codePointLength(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        var d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i += 1;
      }
      n += 1;
    }
    return n;
  }

  function strip(s) {
    return s.replace(WS_EDGES, '');
  }

  function quote(atom, limit) {
    var chars = Array.from(atom);
    return msg('quoted', { text: chars.length <= limit ? atom : chars.slice(0, limit).join('') + msg('ellipsis') });
  }

  function snippet(text) {
    return quote(strip(text).replace(WS_RUN, ' '), 40);
  }

  function fail(text, reason) {
    throw new ParseFailure(msg('unreadable', { snippet: snippet(text), reason: reason, accepted: msg('accepted') }));
  }

  // --- grading ------------------------------------------------------------------------------

  // Grade typed `text` against an answer {kind, value, rtol, atol, tol, precision, shape, choices}
  // and its distractors [{value, mistake, name, explanation, tol, credit}]. Never throws on the
  // text. In order: correct; the right value given to fewer digits than asked; a catalogued wrong
  // answer (its credit); else the share of the informative entries that are right.
  function grade(answer, distractors, text) {
    distractors = distractors || [];
    var kind = get(answer, 'kind');
    if (kind === 'choice') return gradeChoice(answer, distractors, text);
    if (kind !== 'number' && kind !== 'vector' && kind !== 'matrix') {
      throw new Error('cannot grade an answer of kind ' + JSON.stringify(kind));
    }
    var want = toArray(get(answer, 'value'), get(answer, 'shape'));
    if (want === null) throw new Error('answer value is not a number, vector or matrix');
    var rtol = Number(get(answer, 'rtol')) || 0;
    var atol = Number(get(answer, 'atol')) || 0;
    var tol = tolerances(get(answer, 'tol'), want[0], rtol, atol);
    var shape = want[1];
    var parsed = parseAnswer(text);
    if (parsed.error !== undefined) return verdict({ message: parsed.error, expected_shape: shape, parse_error: true });
    if (parsed.kind === 'choice') {
      var reason = msg('expected_not_letter', { expected: describe(shape) });
      var unreadable = msg('unreadable_here', { snippet: snippet(text), reason: reason });
      return verdict({ message: unreadable, expected_shape: shape, parse_error: true });
    }
    var got = toArray(parsed.value);
    var hits = entryHits(want, got, tol);
    if (hits !== null && hits.every(Boolean)) {
      return verdict({ correct: true, score: 1, message: msg('correct'), expected_shape: shape });
    }
    var size = want[0].length;
    var wrong = [];
    if (hits !== null && shape.length) {
      hits.forEach(function (hit, i) { if (!hit) wrong.push(index(i, shape)); });
    }
    var precision = get(answer, 'precision');
    if (hits !== null && roundedShort(want[0], got[0], hits, precision)) {
      var give = msg('give_precision', { precision: String(get(precision, 'text')) });
      return verdict({ message: give, wrong_entries: wrong, expected_shape: shape });
    }
    var cap = exactWhole(precision, want[0]) ? tol.reduce(function (m, e) { return Math.max(m, e); }, 0) : null;
    var found = matchDistractor(distractors, got, rtol, atol, cap);
    if (found !== null) {
      var message = mistakeMessage(found);
      if (hits === null) message = msg('two_sentences', { first: message, second: shapeMessage(want, got, tol) });
      return verdict({
        score: Number(get(found, 'credit')) || 0,
        message: message,
        mistake: get(found, 'mistake'),
        mistake_name: get(found, 'name'),
        explanation: get(found, 'explanation'),
        wrong_entries: wrong,
        expected_shape: shape
      });
    }
    if (hits !== null && transposedSquare(want, got, tol)) {
      return verdict({ message: msg('transposed'), wrong_entries: wrong, expected_shape: shape });
    }
    var informative = informativeEntries(want, distractors, tol);
    var counted = 0, right = 0;
    if (hits !== null) {
      hits.forEach(function (hit, i) {
        if (informative[i]) { counted += 1; if (hit) right += 1; }
      });
    }
    var score = counted ? right / counted : 0;
    var detail;
    var hitCount = hits === null ? 0 : hits.filter(Boolean).length;
    if (hits === null && !shape.length && DECIMAL_COMMA.test(strip(plain(text)))) {
      detail = msg('wrong_shape_decimal_comma', { expected: describe(want[1]), got: describe(got[1]) });
    } else if (hits === null) {
      detail = shapeMessage(want, got, tol);
    } else if (size === 1) {
      detail = msg('not_quite');
    } else if (hitCount === 0) {
      detail = msg('none_right', { size: size });
    } else {
      detail = msg('some_right', { right: hitCount, size: size, where: where(wrong) });
    }
    return verdict({ score: score, message: detail, wrong_entries: wrong, expected_shape: shape });
  }

  function gradeChoice(answer, distractors, text) {
    var right = strip(String(get(answer, 'value'))).toUpperCase();
    var choices = get(answer, 'choices') || [];
    var labels = choices.map(function (c) { return strip(String(get(c, 'label'))).toUpperCase(); });
    var parsed = parseAnswer(text);
    if (parsed.error !== undefined) {
      if (typeof text !== 'string' || codePointLength(text) > MAX_CHARS || !strip(text)) {
        return verdict({ message: parsed.error, parse_error: true });
      }
      parsed = { kind: null }; // there is text, just not a letter: say what a choice looks like
    }
    if (parsed.kind !== 'choice') {
      var unreadable = msg('unreadable_here', { snippet: snippet(text), reason: msg('needs_letter') });
      return verdict({ message: unreadable, parse_error: true });
    }
    var letter = parsed.value;
    if (labels.length && labels.indexOf(letter) < 0) {
      var reason = msg('no_such_choice', { letter: letter, choices: labels.join(msg('list_separator')) });
      return verdict({ message: msg('unreadable_here', { snippet: snippet(text), reason: reason }), parse_error: true });
    }
    if (letter === right) return verdict({ correct: true, score: 1, message: msg('correct') });
    var at = labels.indexOf(letter);
    var mistake = at >= 0 ? get(choices[at], 'mistake') : null;
    var found;
    if (mistake) {
      found = find(distractors, function (d) { return get(d, 'mistake') === mistake; });
    } else {
      found = find(distractors, function (d) { return letterOf(get(d, 'value')) === letter; });
      mistake = found !== null ? get(found, 'mistake') : null;
    }
    var message;
    if (found !== null) message = mistakeMessage(found);
    else if (mistake) message = msg('choice_mistake', { letter: letter, mistake: mistake });
    else message = msg('not_quite');
    return verdict({
      message: message,
      mistake: mistake || null,
      mistake_name: found !== null ? get(found, 'name') : null,
      explanation: found !== null ? get(found, 'explanation') : null
    });
  }

  function verdict(v) {
    return {
      correct: v.correct === true,
      score: v.score || 0,
      message: v.message,
      mistake: v.mistake === undefined ? null : v.mistake,
      mistake_name: v.mistake_name === undefined ? null : v.mistake_name,
      explanation: v.explanation === undefined ? null : v.explanation,
      wrong_entries: v.wrong_entries || [],
      expected_shape: v.expected_shape === undefined ? null : v.expected_shape,
      parse_error: v.parse_error === true
    };
  }

  function get(obj, key) {
    var value = obj === null || obj === undefined ? undefined : obj[key];
    return value === undefined ? null : value;
  }

  function find(items, test) {
    for (var i = 0; i < items.length; i++) if (test(items[i])) return items[i];
    return null;
  }

  function letterOf(value) {
    return typeof value === 'string' ? strip(value).toUpperCase() : null;
  }

  function isNumber(v) {
    return typeof v === 'number';
  }

  // [entries in row-major order, shape] of a number, list or list of lists; null if not one.
  function toArray(value, shape) {
    var flat, dims;
    if (isNumber(value)) {
      flat = [value];
      dims = [];
    } else if (Array.isArray(value) && value.length && value.every(isNumber)) {
      flat = value.slice();
      dims = [value.length];
    } else if (Array.isArray(value) && value.length && value.every(function (r) {
      return Array.isArray(r) && r.length && r.length === value[0].length && r.every(isNumber);
    })) {
      flat = [].concat.apply([], value);
      dims = [value.length, value[0].length];
    } else {
      return null;
    }
    if (dims.length === 1 && Array.isArray(shape) && shape.length === 2 && shape[0] * shape[1] === flat.length) {
      dims = [shape[0], shape[1]]; // a matrix stored flat, with its shape beside it
    }
    return [flat, dims];
  }

  function sameShape(a, b) {
    return a.length === b.length && a.every(function (d, i) { return d === b[i]; });
  }

  // Per-entry tolerance: the record's `tol` (a number, or the value's shape), else atol + rtol*|v|.
  function tolerances(tol, wantFlat, rtol, atol) {
    if (tol !== null && tol !== undefined) {
      if (isNumber(tol)) return wantFlat.map(function () { return tol; });
      var flat = toArray(tol);
      if (flat !== null && flat[0].length === wantFlat.length) return flat[0];
    }
    return wantFlat.map(function (v) { return atol + rtol * Math.abs(v); });
  }

  // Entry-by-entry closeness, |x - v| <= tol; null if the shapes cannot line up.
  function entryHits(want, got, tol) {
    var wantFlat = want[0], wantShape = want[1], gotFlat = got[0], gotShape = got[1];
    if (!sameShape(wantShape, gotShape)) {
      if (wantShape.length === 2 && gotShape.length === 2) return null; // orientation matters
      if (!(vectorLike(wantShape) && vectorLike(gotShape) && wantFlat.length === gotFlat.length)) return null;
    }
    return gotFlat.map(function (x, i) {
      return Math.abs(x - wantFlat[i]) <= tol[i];
    });
  }

  var EXACT_DECIMALS = 9; // decimals tried when an exact answer was typed rounded

  var TIE = 1e-12; // relative nudge that sends a halfway value to each of its two roundings
  var MAX_DIGITS = 17; // a double holds no more; a record asking for more is read as asking for 17

  // v rounded half away from zero to k decimals (the same arithmetic as grading.py).
  function roundDec(v, k) {
    if (k > 300) return NaN; // a subnormal answer: no rounding of it is worth comparing with
    var scale = Math.pow(10, k);
    if (!isFinite(Math.abs(v) * scale + 0.5)) return NaN; // beyond a double's range: nothing to compare
    var r = Math.floor(Math.abs(v) * scale + 0.5) / scale;
    return v < 0 ? -r : r;
  }

  function roundSig(v, k) {
    if (v === 0) return 0;
    var shift = k - 1 - Math.floor(Math.log10(Math.abs(v)));
    if (shift >= 0) return roundDec(v, shift);
    var scale = Math.pow(10, -shift);
    var r = Math.floor(Math.abs(v) / scale + 0.5) * scale;
    return v < 0 ? -r : r;
  }

  // Every entry right or the right value rounded to fewer digits than asked (but to two
  // significant figures at least), at least one short.
  function roundedShort(wantFlat, gotFlat, hits, precision) {
    var rule = get(precision, 'rule'), digits = get(precision, 'digits');
    if ((rule !== 'sig' && rule !== 'dec' && rule !== 'exact') || !Number.isInteger(digits)) return false;
    digits = Math.min(digits, MAX_DIGITS);
    var short = false;
    for (var i = 0; i < gotFlat.length; i++) {
      if (hits[i]) continue;
      var x = gotFlat[i], v = wantFlat[i], tries = [], k;
      var near = [v * (1 - TIE), v * (1 + TIE)]; // a value exactly halfway rounds either way
      if (rule === 'sig') {
        for (k = 2; k < digits; k++) tries.push(roundSig(near[0], k), roundSig(near[1], k));
      } else { // roundings that keep at least two significant figures
        var first = v ? Math.max(0, 1 - Math.floor(Math.log10(Math.abs(v)))) : 0;
        for (k = first; k < (rule === 'dec' ? digits : EXACT_DECIMALS); k++) tries.push(roundDec(near[0], k), roundDec(near[1], k));
      }
      var any = tries.some(function (r) { return Math.abs(x - r) <= 1e-9 * Math.max(1, Math.abs(r)); });
      if (!any) return false;
      short = true;
    }
    return short;
  }

  // A square matrix typed as the transpose of the right one (and not symmetric).
  function transposedSquare(want, got, tol) {
    var shape = want[1], gotFlat = got[0];
    if (shape.length !== 2 || shape[0] !== shape[1] || shape[0] < 2) return false;
    var n = shape[0], back = [];
    for (var i = 0; i < n; i++) for (var j = 0; j < n; j++) back.push(gotFlat[j * n + i]);
    return entryHits(want, [back, shape], tol).every(Boolean);
  }

  // Entries where no catalogued wrong answer agrees with the right one.
  function informativeEntries(want, distractors, tol) {
    var wantFlat = want[0];
    var use = wantFlat.map(function () { return true; });
    distractors.forEach(function (d) {
      var value = toArray(get(d, 'value'));
      if (value === null || value[0].length !== wantFlat.length) return;
      value[0].forEach(function (x, i) { if (Math.abs(x - wantFlat[i]) <= tol[i]) use[i] = false; });
    });
    return use;
  }

  function vectorLike(shape) {
    return shape.length < 2 || Math.min(shape[0], shape[1]) === 1;
  }

  function index(i, shape) {
    return shape.length === 1 ? [i] : [Math.floor(i / shape[1]), i % shape[1]];
  }

  function where(wrong) {
    var limit = 6;
    var parts = wrong.slice(0, limit).map(function (w) {
      return w.length === 1 ? msg('entry', { index: w[0] + 1 }) : msg('cell', { row: w[0] + 1, col: w[1] + 1 });
    });
    if (wrong.length > limit) parts.push(msg('ellipsis'));
    return parts.join(msg('list_separator'));
  }

  function describe(shape) {
    if (!shape.length) return msg('a_number');
    if (shape.length === 1) return msg('a_vector', { length: shape[0] });
    return msg('a_matrix', { rows: shape[0], cols: shape[1] });
  }

  function shapeMessage(want, got, tol) {
    var wantShape = want[1], gotFlat = got[0], gotShape = got[1];
    var expected = describe(wantShape);
    if (wantShape.length !== 2 || gotShape.length !== 2) {
      return msg('wrong_shape', { expected: expected, got: describe(gotShape) });
    }
    var typed = msg('dims', { rows: gotShape[0], cols: gotShape[1] });
    var rows = wantShape[0], cols = wantShape[1];
    if (gotShape[0] === cols && gotShape[1] === rows) {
      var transposed = []; // (rows, cols)
      for (var i = 0; i < rows; i++) for (var j = 0; j < cols; j++) transposed.push(gotFlat[j * rows + i]);
      if (entryHits(want, [transposed, wantShape], tol).every(Boolean)) {
        return msg('wrong_shape_transposed', { expected: expected, got: typed });
      }
    }
    return msg('wrong_shape', { expected: expected, got: typed });
  }

  function mistakeMessage(distractor) {
    var name = strip(String(get(distractor, 'name') || '')).replace(/\.+$/, '');
    var mistake = get(distractor, 'mistake');
    if (name) return msg('mistake_named', { name: name });
    return mistake ? msg('mistake_unnamed', { mistake: mistake }) : msg('not_quite');
  }

  // An exact answer whose every entry is a whole number (a count, a length, a shape).
  function exactWhole(precision, wantFlat) {
    return get(precision, 'rule') === 'exact' && wantFlat.every(Number.isInteger);
  }

  // The first distractor whose every entry is within its tolerance of the student's. `cap` (an
  // exact whole-number answer: its own largest tolerance): a whole-number mistake is named only
  // for its exact value, whatever tolerance the record carries (quizgen/grading.py, mirrored).
  function matchDistractor(distractors, got, rtol, atol, cap) {
    for (var i = 0; i < distractors.length; i++) {
      var value = toArray(get(distractors[i], 'value'));
      if (value === null) continue;
      var dtol = tolerances(get(distractors[i], 'tol'), value[0], rtol, atol);
      if (cap !== null && cap !== undefined && value[0].every(Number.isInteger)) {
        dtol = dtol.map(function (e) { return Math.min(e, cap); });
      }
      var hits = entryHits(value, got, dtol);
      if (hits !== null && hits.every(Boolean)) return distractors[i];
    }
    return null;
  }

  // --- multi-part questions: error carried forward (quizgen/ecf.py, mirrored) ---------------

  var FUZZ = 1e-9;

  // Grade {part name: typed text} against a multi-part record: "correct", "carried" (correct
  // given an earlier, explainable wrong answer) or "wrong" per part. A carry relation with a
  // `map` is the engine's re-run as a matrix (later = map · earlier); a `table` lists, for each
  // catalogued wrong earlier value, the later value it gives. Data only: nothing is evaluated.
  function gradeParts(question, answers) {
    var parts = get(question, 'parts') || [];
    var states = {};
    var results = [];
    var i, k;
    for (i = 0; i < parts.length; i++) {
      var part = parts[i];
      var name = get(part, 'name');
      var text = answers && Object.prototype.hasOwnProperty.call(answers, name) ? answers[name] : '';
      var answer = get(part, 'answer');
      var distractors = get(part, 'distractors') || [];
      var v = grade(answer, distractors, text);
      var state = { status: 'wrong', flat: null, tol: null };
      var got = typedEntries(answer, text);
      if (v.correct) {
        state.status = 'correct';
      } else if (got !== null) { // a catalogued value, whatever grade() chose to say about it
        var matched = matchedTol(distractors, got);
        if (matched !== null) state = { status: 'mistake', flat: got, tol: matched };
      }
      var given = null;
      if (!v.correct && got !== null && !v.parse_error) {
        var carry = get(part, 'carry') || [];
        for (k = carry.length - 1; k >= 0; k--) { // nearest earlier part first
          var relation = carry[k];
          var earlier = states[get(relation, 'from')];
          if (!earlier || (earlier.status !== 'mistake' && earlier.status !== 'carried')) continue;
          var want, tol;
          if (get(relation, 'map') !== null) {
            want = applyMap(get(relation, 'map'), earlier.flat);
            tol = carriedTol(relation, answer, want, earlier.tol);
          } else {
            var row = tableRow(get(relation, 'table') || [], earlier.flat);
            if (row === null) continue;
            want = flatOf(get(row, 'then'));
            tol = flatOf(get(row, 'then_tol'));
          }
          if (want.length === got.length && got.every(function (x, j) { return Math.abs(x - want[j]) <= tol[j]; })) {
            given = get(relation, 'from');
            state = { status: 'carried', flat: got, tol: tol };
            break;
          }
        }
      }
      var points = Number(get(part, 'points')) || 0;
      if (given !== null) {
        var source = find(parts, function (p) { return get(p, 'name') === given; });
        v.score = 1;
        v.message = msg('carried', { part: get(source, 'label') });
        v.mistake = null;
        v.mistake_name = null;
        v.explanation = null;
        v.wrong_entries = [];
      }
      states[name] = state;
      v.name = name;
      v.label = get(part, 'label');
      v.points = points;
      v.earned = points * v.score;
      v.verdict = v.correct ? 'correct' : given !== null ? 'carried' : 'wrong';
      v.given = given;
      results.push(v);
    }
    var score = 0, total = 0;
    results.forEach(function (r) { score += r.earned; total += r.points; });
    return { score: score, points: total, parts: results };
  }

  // The typed entries in row-major order if they line up with the answer's size, else null.
  function typedEntries(answer, text) {
    var parsed = parseAnswer(text);
    if (parsed.error !== undefined || parsed.kind === 'choice') return null;
    var flat = toArray(parsed.value)[0];
    var want = toArray(get(answer, 'value'), get(answer, 'shape'));
    return want !== null && flat.length === want[0].length ? flat : null;
  }

  function flatOf(value) {
    var arr = toArray(value);
    return arr !== null ? arr[0] : [];
  }

  function within(got, value, tol) {
    return value.length === got.length && got.every(function (x, j) { return Math.abs(x - value[j]) <= tol[j]; });
  }

  function matchedTol(distractors, got) {
    for (var i = 0; i < distractors.length; i++) {
      var value = toArray(get(distractors[i], 'value'));
      if (value === null || value[0].length !== got.length) continue;
      var tol = tolerances(get(distractors[i], 'tol'), value[0], 0, 0);
      if (within(got, value[0], tol)) return tol;
    }
    return null;
  }

  function tableRow(table, got) {
    for (var i = 0; i < table.length; i++) {
      var value = flatOf(get(table[i], 'value'));
      if (within(got, value, tolerances(get(table[i], 'tol'), value, 0, 0))) return table[i];
    }
    return null;
  }

  function applyMap(matrix, flat) {
    return matrix.map(function (row) {
      var total = 0;
      for (var j = 0; j < row.length; j++) total += row[j] * flat[j];
      return total;
    });
  }

  function carriedTol(relation, answer, want, earlierTol) {
    var matrix = get(relation, 'map');
    var widen = flatOf(get(relation, 'widen'));
    var p = get(answer, 'precision') || {};
    return want.map(function (w, i) {
      var pushed = 0;
      for (var j = 0; j < matrix[i].length && j < earlierTol.length; j++) pushed += Math.abs(matrix[i][j]) * earlierTol[j];
      return halfUnit(w, p) + (i < widen.length ? widen[i] : 0) + pushed + FUZZ * Math.max(1, Math.abs(w));
    });
  }

  function halfUnit(v, p) {
    var rule = get(p, 'rule'), digits = get(p, 'digits') || 0;
    if (rule === 'sig' && v !== 0) return 0.5 * pow10(Math.floor(Math.log10(Math.abs(v))) - digits + 1);
    if (rule === 'dec') return 0.5 * pow10(-digits);
    return 0;
  }

  // 10^k by exact multiplication (the same double as quizgen/ecf.py for |k| <= 22).
  function pow10(k) {
    var r = 1;
    for (var i = 0; i < Math.min(Math.abs(k), 330); i++) r *= 10;
    return k >= 0 ? r : 1 / r;
  }

  root.QuizgenGrader = { parseAnswer: parseAnswer, grade: grade, setMessages: setMessages };
  root.QuizgenGrader.gradeParts = gradeParts;
  if (typeof module !== 'undefined' && module.exports) module.exports = root.QuizgenGrader;
})(typeof window !== 'undefined' ? window : globalThis);
