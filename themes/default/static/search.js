/*
 * nianbao search: Chinese full-text search without a server.
 *
 * The index is loaded by a <script> tag (search/index.js) that sets
 *   window.NIANBAO_SEARCH = {docs: [{t: title, u: href from the site root, y: year,
 *                                    n: unit name, x: plain text}]}
 * (a script tag, not fetch(): fetch fails on file://).
 *
 * Chinese has no spaces between words, so the query is split on whitespace (and
 * punctuation) into terms and every term into overlapping two-character bigrams
 * ("信息公开" → 信息, 息公, 公开); a one-character term is matched as is. A report matches
 * when every bigram occurs in its title or its text. Reports with more bigrams in the
 * title come first, then those with more hits.
 *
 * Results are built with DOM methods and textContent only: report text never goes
 * through innerHTML.
 */
(function () {
  'use strict';

  var MAX_RESULTS = 200;
  var SNIPPET_BEFORE = 30;
  var SNIPPET_AFTER = 90;

  var form = document.getElementById('search-form');
  if (!form) return;
  var input = form.querySelector('input[name="q"]');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-list');
  var root = form.getAttribute('data-root') || document.body.getAttribute('data-root') || '';
  if (root && root.charAt(root.length - 1) !== '/') root += '/';

  var data = window.NIANBAO_SEARCH;
  var docs = data && Array.isArray(data.docs) ? data.docs : null;

  // Lower-case for Latin letters without changing string length, so that positions in
  // the normalised text are positions in the original text too.
  function norm(s) {
    s = String(s == null ? '' : s);
    var lower = s.toLowerCase();
    return lower.length === s.length ? lower : s;
  }

  var prepared = null;
  function prepare() {
    if (prepared) return prepared;
    prepared = docs.map(function (d) {
      var title = String(d.t == null ? '' : d.t);
      var text = String(d.x == null ? '' : d.x);
      return { doc: d, title: title, text: text, nt: norm(title), nx: norm(text) };
    });
    return prepared;
  }

  /** Query → list of distinct grams (bigrams, or single characters for 1-char terms). */
  function grams(query) {
    var out = [];
    var seen = Object.create(null);
    function add(g) {
      if (!seen[g]) { seen[g] = true; out.push(g); }
    }
    norm(query).split(/[\s\u3000\p{P}]+/u).forEach(function (term) {
      if (!term) return;
      var chars = Array.from(term);
      if (chars.length === 1) { add(term); return; }
      for (var i = 0; i + 1 < chars.length; i++) add(chars[i] + chars[i + 1]);
    });
    return out;
  }

  function count(haystack, needle) {
    var n = 0;
    var at = haystack.indexOf(needle);
    while (at !== -1) {
      n++;
      at = haystack.indexOf(needle, at + needle.length);
    }
    return n;
  }

  function search(query) {
    var gs = grams(query);
    if (!gs.length) return { grams: gs, hits: [] };
    var hits = [];
    prepare().forEach(function (p) {
      var titleHits = 0;
      var total = 0;
      for (var i = 0; i < gs.length; i++) {
        var inTitle = count(p.nt, gs[i]);
        var inText = count(p.nx, gs[i]);
        if (inTitle === 0 && inText === 0) return;
        if (inTitle > 0) titleHits++;
        total += inTitle + inText;
      }
      hits.push({ p: p, titleHits: titleHits, total: total });
    });
    hits.sort(function (a, b) {
      return (b.titleHits - a.titleHits) ||
        (b.total - a.total) ||
        ((Number(b.p.doc.y) || 0) - (Number(a.p.doc.y) || 0)) ||
        (a.p.title < b.p.title ? -1 : a.p.title > b.p.title ? 1 : 0);
    });
    return { grams: gs, hits: hits };
  }

  /** The [start, end) ranges of every gram inside text[from, to), merged. */
  function ranges(ntext, gs, from, to) {
    var rs = [];
    gs.forEach(function (g) {
      var at = ntext.indexOf(g, from);
      while (at !== -1 && at < to) {
        rs.push([at, Math.min(at + g.length, to)]);
        at = ntext.indexOf(g, at + 1);
      }
    });
    rs.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    rs.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  /** Appends text[from, to) to el with every gram hit wrapped in <mark>. */
  function appendMarked(el, text, ntext, gs, from, to) {
    var pos = from;
    ranges(ntext, gs, from, to).forEach(function (r) {
      if (r[0] > pos) el.appendChild(document.createTextNode(text.slice(pos, r[0])));
      var mark = document.createElement('mark');
      mark.textContent = text.slice(r[0], r[1]);
      el.appendChild(mark);
      pos = r[1];
    });
    if (pos < to) el.appendChild(document.createTextNode(text.slice(pos, to)));
  }

  /**
   * Where the snippet centres: the first hit, unless a later hit has more of the query's
   * grams around it (so "信息 处理费" shows 信息处理费 rather than the first 信息).
   */
  function snippetAnchor(ntext, gs) {
    var candidates = [];
    gs.forEach(function (g) {
      var at = ntext.indexOf(g);
      var n = 0;
      while (at !== -1 && n < 50) {
        candidates.push(at);
        n++;
        at = ntext.indexOf(g, at + 1);
      }
    });
    if (!candidates.length) return -1;
    candidates.sort(function (a, b) { return a - b; });
    var best = candidates[0];
    var bestCover = -1;
    candidates.forEach(function (c) {
      var from = Math.max(0, c - SNIPPET_BEFORE);
      var span = ntext.slice(from, c + SNIPPET_AFTER);
      var cover = 0;
      gs.forEach(function (g) { if (span.indexOf(g) !== -1) cover++; });
      if (cover > bestCover) { bestCover = cover; best = c; }
    });
    return best;
  }

  function snippet(p, gs) {
    var first = snippetAnchor(p.nx, gs);
    var start = first === -1 ? 0 : Math.max(0, first - SNIPPET_BEFORE);
    var end = Math.min(p.text.length, (first === -1 ? 0 : first) + SNIPPET_AFTER);
    // Do not cut a surrogate pair in half.
    if (start > 0 && /[\uDC00-\uDFFF]/.test(p.text.charAt(start))) start--;
    if (end < p.text.length && /[\uDC00-\uDFFF]/.test(p.text.charAt(end))) end++;
    var el = document.createElement('p');
    el.className = 'result-snippet';
    if (start > 0) el.appendChild(document.createTextNode('…'));
    appendMarked(el, p.text, p.nx, gs, start, end);
    if (end < p.text.length) el.appendChild(document.createTextNode('…'));
    return el;
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
  }

  function render(query) {
    clear(list);
    query = String(query || '').trim();
    if (!docs) {
      status.textContent = '检索索引未能加载，请按年度或单位浏览。';
      return;
    }
    if (!query) {
      status.textContent = '请输入检索词。';
      return;
    }
    var result = search(query);
    var hits = result.hits;
    if (!result.grams.length) {
      status.textContent = '请输入检索词。';
      return;
    }
    status.textContent = '共找到 ' + hits.length + ' 份报告' +
      (hits.length > MAX_RESULTS ? '，显示前 ' + MAX_RESULTS + ' 份' : '') + '。';
    var frag = document.createDocumentFragment();
    hits.slice(0, MAX_RESULTS).forEach(function (h) {
      var d = h.p.doc;
      var li = document.createElement('li');
      li.className = 'search-result';
      var heading = document.createElement('h2');
      heading.className = 'result-title';
      var a = document.createElement('a');
      a.href = root + String(d.u || '');
      appendMarked(a, h.p.title, h.p.nt, result.grams, 0, h.p.title.length);
      heading.appendChild(a);
      li.appendChild(heading);
      var meta = document.createElement('p');
      meta.className = 'result-meta';
      var parts = [];
      if (d.n) parts.push(String(d.n));
      if (d.y) parts.push(String(d.y) + '年度');
      meta.textContent = parts.join(' · ');
      li.appendChild(meta);
      if (h.p.text) li.appendChild(snippet(h.p, result.grams));
      frag.appendChild(li);
    });
    list.appendChild(frag);
  }

  function queryFromUrl() {
    try {
      return new URLSearchParams(window.location.search).get('q') || '';
    } catch (e) {
      return '';
    }
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var q = input.value;
    render(q);
    try {
      var url = window.location.pathname + (q.trim() ? '?q=' + encodeURIComponent(q.trim()) : '');
      window.history.replaceState(null, '', url);
    } catch (e) {
      // file:// in some browsers: the results are shown anyway.
    }
  });

  var initial = queryFromUrl();
  if (initial) {
    input.value = initial;
    render(initial);
  } else if (!docs) {
    render('');
  }
})();
