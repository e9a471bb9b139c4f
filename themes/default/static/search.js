/*
 * nianbao search: Chinese full-text search without a server, loading only what a query needs.
 *
 * search/index.js (a <script> tag on the page) sets
 *   window.NIANBAO_SEARCH = {v: 2, build: id, docs: number of reports, shards: number of shards}
 * and the rest is in small scripts under search/BUILD/, injected as <script> tags (fetch()
 * fails on file://), each calling NIANBAO_SEARCH_SHARD(build, kind, key, data):
 *   i/K.js  {gram: postings} for every gram whose hash (shardOf) is K;
 *   d/ID.js {t: title, u: href from the site root, y: year, n: unit name, x: plain text}.
 * A shard of another build (a cached one) is ignored and counts as not loaded.
 *
 * Chinese has no spaces between words, so the query is split on whitespace (and
 * punctuation) into terms and every term into overlapping two-character bigrams
 * ("信息公开" → 信息, 息公, 公开); a one-character term is matched as is. A report matches
 * when every bigram occurs in its title or its text. Reports with more bigrams in the
 * title come first, then those with more hits, then the newer year and the title: the
 * documents are numbered in that last order (see src/render/search.rs), so the number
 * breaks the tie. The postings of a gram are, per report, the gap from the previous report
 * number and (hits - 1) * 2 + (1 if in the title), as base-32 digits (0–31 end a number,
 * 32–63 carry five more bits).
 *
 * Results are shown PAGE at a time; only their documents are loaded. They are built with DOM
 * methods and textContent only: report text never goes through innerHTML.
 */
(function () {
  'use strict';

  var PAGE = 20;
  var SNIPPET_BEFORE = 30;
  var SNIPPET_AFTER = 90;
  var DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';

  var form = document.getElementById('search-form');
  if (!form) return;
  var input = form.querySelector('input[name="q"]');
  var results = document.getElementById('search-results');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-list');
  var more = document.getElementById('search-more');
  var root = form.getAttribute('data-root') || document.body.getAttribute('data-root') || '';
  if (root && root.charAt(root.length - 1) !== '/') root += '/';

  var manifest = window.NIANBAO_SEARCH;
  var ready = !!(manifest && manifest.v === 2 && typeof manifest.build === 'string' &&
    /^[0-9a-f]+$/.test(manifest.build) && manifest.shards > 0 && manifest.docs >= 0);
  var base = ready ? 'search/' + manifest.build + '/' : '';

  // Shards that registered: 'i/3' → data. A shard of another build is ignored.
  var store = Object.create(null);
  window.NIANBAO_SEARCH_SHARD = function (build, kind, key, data) {
    if (ready && build === manifest.build) store[kind + '/' + key] = data;
  };

  // Shards being loaded: name → Promise. A failed load is forgotten, so the next query
  // tries again.
  var loading = Object.create(null);
  function load(name) {
    if (name in store) return Promise.resolve(store[name]);
    if (loading[name]) return loading[name];
    var promise = new Promise(function (resolve, reject) {
      var script = document.createElement('script');
      function done() {
        script.onload = script.onerror = null;
        if (script.parentNode) script.parentNode.removeChild(script);
        delete loading[name];
        if (name in store) resolve(store[name]);
        else reject(new Error(base + name + '.js'));
      }
      script.onload = done;
      script.onerror = done;
      script.async = true;
      script.src = root + base + name + '.js';
      document.head.appendChild(script);
    });
    loading[name] = promise;
    return promise;
  }

  // Lower-case for Latin letters without changing string length, so that positions in
  // the normalised text are positions in the original text too.
  function norm(s) {
    s = String(s == null ? '' : s);
    var lower = s.toLowerCase();
    return lower.length === s.length ? lower : s;
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

  /** The shard of a gram: as shard_of in src/render/search.rs. */
  function shardOf(gram) {
    var h = 0x811c9dc5;
    Array.from(gram).forEach(function (c) {
      h = Math.imul(h ^ c.codePointAt(0), 0x01000193);
    });
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return (h >>> 0) % manifest.shards;
  }

  var digitValue = new Int8Array(128).fill(-1);
  for (var d = 0; d < DIGITS.length; d++) digitValue[DIGITS.charCodeAt(d)] = d;

  /** Calls visit(id, value) for every posting of the encoded list. */
  function eachPosting(encoded, visit) {
    var v = 0;
    var mul = 1;
    var isId = true;
    var id = 0;
    var next = 0;
    for (var i = 0; i < encoded.length; i++) {
      var c = encoded.charCodeAt(i);
      var digit = c < 128 ? digitValue[c] : -1;
      if (digit < 0) throw new Error('bad postings');
      v += (digit & 31) * mul;
      if (digit >= 32) { mul *= 32; continue; }
      if (isId) { id = next + v; next = id + 1; } else { visit(id, v); }
      isId = !isId;
      v = 0;
      mul = 1;
    }
  }

  /**
   * Every report holding all grams, best first, from the postings shards (loaded). Same
   * matches and order as scanning every report's title and text.
   */
  function match(gs) {
    var n = manifest.docs;
    var found = new Uint16Array(n);
    var titleHits = new Uint16Array(n);
    var total = new Float64Array(n);
    for (var i = 0; i < gs.length; i++) {
      var shard = store['i/' + shardOf(gs[i])] || {};
      var encoded = Object.prototype.hasOwnProperty.call(shard, gs[i]) ? shard[gs[i]] : '';
      if (!encoded) return [];
      eachPosting(encoded, function (id, value) {
        if (id >= n || found[id] !== i) return;
        found[id] = i + 1;
        titleHits[id] += value & 1;
        total[id] += Math.floor(value / 2) + 1;
      });
    }
    var hits = [];
    for (var id = 0; id < n; id++) {
      if (found[id] === gs.length) hits.push(id);
    }
    hits.sort(function (a, b) {
      return (titleHits[b] - titleHits[a]) || (total[b] - total[a]) || (a - b);
    });
    return hits;
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

  function result(d, gs) {
    var title = String(d.t == null ? '' : d.t);
    var text = String(d.x == null ? '' : d.x);
    var p = { title: title, text: text, nt: norm(title), nx: norm(text) };
    var li = document.createElement('li');
    li.className = 'search-result';
    var heading = document.createElement('h2');
    heading.className = 'result-title';
    var a = document.createElement('a');
    a.href = root + String(d.u || '');
    appendMarked(a, p.title, p.nt, gs, 0, p.title.length);
    heading.appendChild(a);
    li.appendChild(heading);
    var meta = document.createElement('p');
    meta.className = 'result-meta';
    var parts = [];
    if (d.n) parts.push(String(d.n));
    if (d.y) parts.push(String(d.y) + '年度');
    meta.textContent = parts.join(' · ');
    li.appendChild(meta);
    if (p.text) li.appendChild(snippet(p, gs));
    return li;
  }

  // The query being shown: a newer one makes the answers of older loads be dropped.
  var current = null;

  function busy(on) {
    results.setAttribute('aria-busy', on ? 'true' : 'false');
  }

  function failed(query, error) {
    if (current !== query) return;
    clear(list);
    more.hidden = true;
    status.textContent = '检索索引的文件 ' + (error && error.message ? error.message : '') +
      ' 未能加载（可能是网站已更新），请刷新页面后重试，或按年度或单位浏览。';
    busy(false);
  }

  function showStatus(query) {
    var shown = list.childNodes.length;
    var n = query.hits.length;
    status.textContent = '共找到 ' + n + ' 份报告' +
      (shown < n ? '，显示前 ' + shown + ' 份' : '') + '。';
    more.hidden = shown >= n;
    if (!more.hidden) {
      more.textContent = '更多结果（还有 ' + (n - shown) + ' 份）';
    }
  }

  /** Loads and appends the next page of results of `query`. */
  function showMore(query) {
    var ids = query.hits.slice(list.childNodes.length, list.childNodes.length + PAGE);
    busy(true);
    more.disabled = true;
    return Promise.all(ids.map(function (id) { return load('d/' + id); })).then(function (docs) {
      if (current !== query) return;
      var frag = document.createDocumentFragment();
      docs.forEach(function (d) { frag.appendChild(result(d || {}, query.grams)); });
      list.appendChild(frag);
      more.disabled = false;
      showStatus(query);
      busy(false);
    }, function (e) { more.disabled = false; failed(query, e); });
  }

  function render(text) {
    clear(list);
    more.hidden = true;
    text = String(text || '').trim();
    var query = { grams: grams(text), hits: [] };
    current = query;
    if (!ready) {
      status.textContent = '检索索引未能加载，请按年度或单位浏览。';
      busy(false);
      return;
    }
    if (!query.grams.length) {
      status.textContent = '请输入检索词。';
      busy(false);
      return;
    }
    status.textContent = '正在检索…';
    busy(true);
    var shards = query.grams.map(function (g) { return load('i/' + shardOf(g)); });
    Promise.all(shards).then(function () {
      if (current !== query) return;
      query.hits = match(query.grams);
      return showMore(query);
    }).catch(function (e) { failed(query, e); });
  }

  more.addEventListener('click', function () {
    if (current && current.hits.length > list.childNodes.length) {
      var first = list.childNodes.length;
      showMore(current).then(function () {
        var link = list.childNodes[first] && list.childNodes[first].querySelector('a');
        if (link) link.focus();
      });
    }
  });

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
  } else if (!ready) {
    render('');
  } else {
    busy(false);
  }
})();
