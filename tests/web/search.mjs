#!/usr/bin/env node
// The site's search (themes/default/static/search.js) in headless Chromium, from file://.
//
//   node tests/web/search.mjs DIR KNOWN MANY
//
// DIR is a built site; KNOWN and MANY are copies of it whose search index nianbao's own index
// writer made (tests/web_checks.rs) of the documents in tests/web/search_docs.json and of 205
// documents `单位{i}报告` saying 政务公开. DIR's search page is first used as built (the real
// index must load and find every report for a phrase all of them contain), then KNOWN's, with
// the expected results written out by hand: a report matches only when every bigram of every
// term occurs in its title or text (a space inside a phrase breaks it), one-character terms
// match as characters, Latin letters ignore case; ranking is by the number of query bigrams
// found in the title, then by the number of hits, then the newer year, then the title; 20
// results are listed at a time and 更多结果 lists more; report text is shown as text (never
// parsed as HTML); hits are marked; the form and ?q= both search; a newer query wins over an
// older one still loading; a missing or stale shard and a missing index say so in Chinese.
//
// Exit status: 0 all as expected, 1 a difference (each one printed), 2 set-up error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { requireDir } from './lib/serve.mjs';
import { launchChromium, blockExternal } from './lib/browser.mjs';
import { expect, finish } from './lib/expect.mjs';

const USAGE = 'usage: node tests/web/search.mjs DIR KNOWN MANY';
const dir = requireDir(process.argv[2], USAGE);
const known = requireDir(process.argv[3], USAGE);
const manyDir = requireDir(process.argv[4], USAGE);
for (const d of [dir, known, manyDir]) {
  if (!fs.existsSync(path.join(d, 'search/index.html'))) {
    console.error(`error: ${d}/search/index.html not found: is it a built nianbao site?\n${USAGE}`);
    process.exit(2);
  }
}


const DOCS = JSON.parse(fs.readFileSync(new URL('./search_docs.json', import.meta.url), 'utf8'));

/** The manifest of a site's search index. */
function manifest(site) {
  const text = fs.readFileSync(path.join(site, 'search/index.js'), 'utf8');
  return JSON.parse(text.replace(/^window\.NIANBAO_SEARCH = /, '').replace(/;\s*$/, ''));
}

function copySite(from, to) {
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-search-'));
const { context, close } = await launchChromium();
const blocked = [];
await blockExternal(context, blocked);
const page = await context.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));

/** Waits until the search has shown its answer. */
async function settled() {
  await page.waitForFunction(() =>
    document.getElementById('search-results').getAttribute('aria-busy') === 'false');
}

/** What the search page shows. */
function shown() {
  return page.evaluate(() => ({
    status: document.getElementById('search-status').textContent,
    titles: [...document.querySelectorAll('#search-list .result-title a')].map((a) => a.textContent),
    hrefs: [...document.querySelectorAll('#search-list .result-title a')].map((a) => a.href),
    marks: [...document.querySelectorAll('#search-list mark')].map((m) => m.textContent),
    snippets: [...document.querySelectorAll('#search-list .result-snippet')].map((p) => p.textContent),
    xss: window.__xss === undefined ? null : window.__xss,
    images: document.querySelectorAll('#search-list img').length,
    more: document.getElementById('search-more').hidden ? null :
      document.getElementById('search-more').textContent,
  }));
}

/** Opens the search page of `site` with `?q=query`; returns what it shows. */
async function query(site, q) {
  const url = pathToFileURL(path.join(site, 'search/index.html')).href +
    (q === null ? '' : '?q=' + encodeURIComponent(q));
  await page.goto(url);
  await settled();
  return shown();
}

/** Submits `q` with the form on the page as it is. */
async function submit(q) {
  await page.fill('#search-q', q);
  await page.press('#search-q', 'Enter');
  await settled();
  return shown();
}

try {
  // 1. The index as built: every report of the site says 政府信息公开.
  const count = manifest(dir).docs;
  const real = await query(dir, '政府信息公开');
  expect('the built index finds every report for 政府信息公开', real.status, `共找到 ${count} 份报告。`);
  expect('the built index has reports', count > 0, true);

  // 2. Known documents.
  const site = path.join(tmp, 'site');
  copySite(known, site);
  const t = (i) => DOCS[i].t;

  let r = await query(site, '行政复议');
  // 丙 has all three bigrams in its title; 乙 has the most hits; 甲 and 戊 tie on hits and the
  // newer year comes first; 丁 has 行政 and 复议 but not 政复 (a space in between).
  expect('行政复议: order', r.titles, [t(2), t(1), t(0), t(4)]);
  expect('行政复议: status', r.status, '共找到 4 份报告。');
  expect('行政复议: links resolve from the search page to the site root',
    r.hrefs.map((h) => h.slice(pathToFileURL(site).href.length + 1)),
    ['bing/2022/index.html', 'yi/2023/index.html', 'jia/2024/index.html', 'wu/2021/index.html']);
  expect('行政复议: the phrase is one mark in the title of 丙', r.marks[0], '行政复议');

  r = await query(site, '复 收费');
  expect('one-character term and a second term: both must occur', r.titles, [t(1)]);

  r = await query(site, 'pdf');
  expect('Latin letters ignore case', r.titles, [t(4)]);
  expect('the hit is marked in the original case', r.marks, ['PDF']);

  r = await query(site, '行政');
  expect('行政 finds all five', r.titles.length, 5);
  expect('report text is shown as text, not run as HTML', [r.xss, r.images], [null, 0]);
  expect('the text with markup is in a snippet as written',
    r.snippets.some((s) => s.includes('<img src=x onerror=__xss=1>')), true);

  r = await query(site, '不存在的词');
  expect('no match', [r.status, r.titles], ['共找到 0 份报告。', []]);

  r = await query(site, '   ');
  expect('blank query', r.status, '请输入检索词。');

  // The form searches without a reload and puts the query in the address.
  await query(site, null);
  r = await submit('收费');
  expect('the form searches', r.titles, [t(1)]);
  expect('the form puts the query in the address',
    await page.evaluate(() => new URLSearchParams(location.search).get('q')), '收费');

  // A query still loading when a newer one is made is dropped: 收费's files are loaded, 丙街道's
  // are not, so without the check 丙街道's answer would come last and replace 收费's.
  await page.evaluate(() => {
    const form = document.getElementById('search-form');
    const input = document.getElementById('search-q');
    input.value = '丙街道';
    form.requestSubmit();
    input.value = '收费';
    form.requestSubmit();
  });
  await settled();
  await page.waitForTimeout(300);
  r = await shown();
  expect('the newer query wins over the older one still loading', [r.status, r.titles],
    ['共找到 1 份报告。', [t(1)]]);

  // 20 results at a time; 更多结果 lists the next ones.
  r = await query(manyDir, '政务公开');
  expect('205 matches: 20 listed', [r.status, r.titles.length, r.more],
    ['共找到 205 份报告，显示前 20 份。', 20, '更多结果（还有 185 份）']);
  await page.click('#search-more');
  await settled();
  r = await shown();
  expect('更多结果 lists 20 more', [r.status, r.titles.length, r.titles[20]],
    ['共找到 205 份报告，显示前 40 份。', 40, '单位118报告']);
  for (let i = 0; i < 9; i++) {
    await page.click('#search-more');
    await settled();
  }
  r = await shown();
  expect('all 205 listed in the end', [r.status, r.titles.length, r.more, new Set(r.titles).size],
    ['共找到 205 份报告。', 205, null, 205]);

  // A shard that does not load, or one left from another build, says so.
  const m = manifest(site);
  const shardDir = path.join(site, 'search', m.build, 'i');
  const shards = fs.readdirSync(shardDir).filter((f) => f.endsWith('.js'));
  r = await query(site, '行政复议');
  const before = r.titles;
  for (const f of shards) fs.rmSync(path.join(shardDir, f));
  r = await query(site, '行政复议');
  expect('a missing shard: a message, no results',
    [/^检索索引的文件 search\/[0-9a-f]+\/i\/\d+\.js 未能加载（可能是网站已更新），请刷新页面后重试，或按年度或单位浏览。$/.test(r.status), r.titles],
    [true, []]);
  copySite(known, site);
  for (const f of shards) {
    const p = path.join(shardDir, f);
    fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace(m.build, '000000000000'));
  }
  r = await query(site, '行政复议');
  expect('a shard of another build is not used', [r.status.startsWith('检索索引的文件'), r.titles],
    [true, []]);
  copySite(known, site);
  r = await query(site, '行政复议');
  expect('the same query once the files are back', r.titles, before);

  // An index that did not load.
  fs.rmSync(path.join(site, 'search/index.js'));
  r = await query(site, '行政');
  expect('missing index', r.status, '检索索引未能加载，请按年度或单位浏览。');

  expect('no script error on the page', errors, []);
  expect('nothing requested from another host', blocked, []);
} finally {
  await close();
  fs.rmSync(tmp, { recursive: true, force: true });
}

finish('search', 'search: all checks passed');
