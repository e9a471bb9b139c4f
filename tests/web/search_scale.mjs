#!/usr/bin/env node
// The sharded search of a built site against a full scan, in headless Chromium from file://,
// and the bytes a query loads.
//
//   node tests/web/search_scale.mjs DIR [--max-bytes N] [--pages N] [--no-compare] [QUERY...]
//
// For every query (default: a set of typical ones, one of them a unit name of the site), the
// search page is opened with ?q= and 更多结果 is clicked until every result is listed (or N
// pages with --pages): the listed reports and their order must equal what the ranking used
// before the index was sharded finds by scanning every report's title and text (REFERENCE
// below, run in the same browser over the documents read from the site's document files,
// given in link order so that the year and title tie-breaks do real work). The bytes of the
// first page of results are the sizes of every file the page loaded (the page, its styles and
// scripts, the manifest, the shards, the documents shown): on file:// the browser reports
// neither sizes nor (in Resource Timing) injected scripts, so a MutationObserver set up before
// the page loads records every script and stylesheet element added, and the sizes are those of
// their files. With --max-bytes, more than N bytes for a query is a failure. --no-compare only
// counts bytes (for sites too big to scan in the test; QUERY... then required).
//
// Exit status: 0 all as expected, 1 a difference (each one printed), 2 set-up error.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { requireDir } from './lib/serve.mjs';
import { launchChromium, blockExternal } from './lib/browser.mjs';
import { expect as expectAll, fail, finish } from './lib/expect.mjs';

// Result lists are long: the report shows their first 600 characters.
const expect = (what, actual, expected) => expectAll(what, actual, expected, 600);

const USAGE =
  'usage: node tests/web/search_scale.mjs DIR [--max-bytes N] [--pages N] [--no-compare] [QUERY...]';
const args = process.argv.slice(2);
const dir = requireDir(args.shift(), USAGE);
let maxBytes = Infinity;
let maxPages = Infinity;
let compare = true;
const queries = [];
while (args.length) {
  const a = args.shift();
  if (a === '--max-bytes') maxBytes = Number(args.shift());
  else if (a === '--pages') maxPages = Number(args.shift());
  else if (a === '--no-compare') compare = false;
  else queries.push(a);
}
if (!(maxBytes > 0) || !(maxPages > 0) || (!compare && !queries.length)) {
  console.error(USAGE);
  process.exit(2);
}
const manifestPath = path.join(dir, 'search/index.js');
if (!fs.existsSync(manifestPath)) {
  console.error(`error: ${manifestPath} not found: is it a built nianbao site?\n${USAGE}`);
  process.exit(2);
}
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')
  .replace(/^window\.NIANBAO_SEARCH = /, '').replace(/;\s*$/, ''));

// Every document, from its file.
const docDir = path.join(dir, 'search', manifest.build, 'd');
const prefix = /^NIANBAO_SEARCH_SHARD\("([0-9a-f]+)","d",(\d+),/;
const docs = (compare ? fs.readdirSync(docDir) : []).map((f) => {
  const text = fs.readFileSync(path.join(docDir, f), 'utf8');
  const m = prefix.exec(text);
  if (!m || m[1] !== manifest.build || `${m[2]}.js` !== f) {
    console.error(`error: ${f}: not a document file of build ${manifest.build}`);
    process.exit(2);
  }
  return JSON.parse(text.slice(m[0].length).replace(/\);\s*$/, ''));
});
docs.sort((a, b) => (a.u < b.u ? -1 : a.u > b.u ? 1 : 0));
if (compare && docs.length !== manifest.docs) {
  console.error(`error: ${docs.length} document files, the manifest says ${manifest.docs}`);
  process.exit(2);
}
if (!queries.length) {
  const unit = docs[Math.floor(docs.length / 2)].n;
  queries.push('行政复议', '政府信息公开', '依申请', '2023', unit, '复', '信息 处理费',
    '公开 2024', '不存在的词');
}

/**
 * The ranking before the index was sharded (search.js as it was), over every document: every
 * bigram (or one-character term) in the title or the text; more bigrams in the title first,
 * then more hits, the newer year, the title. Returns the links in order.
 */
function REFERENCE({ docs, query }) {
  function norm(s) {
    s = String(s == null ? '' : s);
    const lower = s.toLowerCase();
    return lower.length === s.length ? lower : s;
  }
  const gs = [];
  norm(query).split(/[\s\u3000\p{P}]+/u).forEach((term) => {
    if (!term) return;
    const chars = Array.from(term);
    const add = (g) => { if (!gs.includes(g)) gs.push(g); };
    if (chars.length === 1) { add(term); return; }
    for (let i = 0; i + 1 < chars.length; i++) add(chars[i] + chars[i + 1]);
  });
  function count(haystack, needle) {
    let n = 0;
    let at = haystack.indexOf(needle);
    while (at !== -1) {
      n++;
      at = haystack.indexOf(needle, at + needle.length);
    }
    return n;
  }
  const hits = [];
  docs.forEach((d) => {
    const nt = norm(d.t);
    const nx = norm(d.x);
    let titleHits = 0;
    let total = 0;
    for (const g of gs) {
      const inTitle = count(nt, g);
      const inText = count(nx, g);
      if (inTitle === 0 && inText === 0) return;
      if (inTitle > 0) titleHits++;
      total += inTitle + inText;
    }
    hits.push({ d, titleHits, total });
  });
  hits.sort((a, b) => (b.titleHits - a.titleHits) || (b.total - a.total) ||
    ((Number(b.d.y) || 0) - (Number(a.d.y) || 0)) ||
    (String(a.d.t) < String(b.d.t) ? -1 : String(a.d.t) > String(b.d.t) ? 1 : 0));
  return hits.map((h) => h.d.u);
}


const { context, close } = await launchChromium();
const blocked = [];
await blockExternal(context, blocked);
await context.addInitScript(() => {
  window.__loaded = [];
  new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) {
        if (n.nodeName === 'SCRIPT' && n.src) window.__loaded.push(n.src);
        if (n.nodeName === 'LINK' && n.rel === 'stylesheet') window.__loaded.push(n.href);
      }
    }
  }).observe(document, { childList: true, subtree: true });
});
const page = await context.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
const rootUrl = pathToFileURL(dir).href.replace(/\/?$/, '/');

async function settled() {
  await page.waitForFunction(() =>
    document.getElementById('search-results').getAttribute('aria-busy') === 'false');
}

/** Bytes of every file the page has loaded so far. */
async function bytesLoaded() {
  const urls = await page.evaluate(() => [location.href, ...window.__loaded]);
  let bytes = 0;
  let scripts = 0;
  for (const u of new Set(urls.map((x) => x.split('?')[0]))) {
    const file = fileURLToPath(u);
    if (!fs.existsSync(file)) continue;
    bytes += fs.statSync(file).size;
    if (u.includes('/search/')) scripts++;
  }
  return { bytes, scripts };
}

const rows = [];
try {
  for (const q of queries) {
    const expected = compare ? await page.evaluate(REFERENCE, { docs, query: q }) : null;
    const t0 = Date.now();
    await page.goto(pathToFileURL(path.join(dir, 'search/index.html')).href +
      '?q=' + encodeURIComponent(q));
    await settled();
    const ms = Date.now() - t0;
    const first = await bytesLoaded();
    let pages = 1;
    while (pages < maxPages &&
      await page.evaluate(() => !document.getElementById('search-more').hidden)) {
      await page.click('#search-more');
      await settled();
      pages++;
    }
    const got = await page.evaluate(() => ({
      status: document.getElementById('search-status').textContent,
      hrefs: [...document.querySelectorAll('#search-list .result-title a')].map((a) => a.href),
    }));
    const listed = got.hrefs.map((h) => h.slice(rootUrl.length));
    if (compare) expect(`${q}: the reports and their order are those of a full scan (${expected.length})`,
      listed, expected.slice(0, listed.length));
    if (compare) expect(`${q}: the count is that of a full scan`,
      got.status.replace(/，显示前 \d+ 份/, ''), `共找到 ${expected.length} 份报告。`);
    if (compare && maxPages === Infinity) {
      expect(`${q}: every result is listed in the end`, listed.length, expected.length);
    }
    if (first.bytes > maxBytes) {
      fail(`${q}: ${first.bytes} bytes loaded, more than ${maxBytes}`);
    }
    rows.push([q, compare ? expected.length : got.status, first.scripts, first.bytes, ms]);
  }
  expect('no script error on the page', errors, []);
  expect('nothing requested from another host', blocked, []);
} finally {
  await close();
}

console.log(`\n${manifest.docs} reports, ${manifest.shards} posting shards; first page of results:`);
console.log('query\tresults\tsearch files\tbytes loaded\tms');
for (const r of rows) console.log(r.join('\t'));
finish('search', 'search at scale: all checks passed');
