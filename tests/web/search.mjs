#!/usr/bin/env node
// The site's search (themes/default/static/search.js) in headless Chromium, from file://.
//
//   node tests/web/search.mjs DIR
//
// DIR is a built site. Its search page is first used as built (the real index must load and
// find every report for a phrase all of them contain), then on a copy whose search/index.js is
// replaced by documents made for the purpose, with the expected results written out by hand:
// a report matches only when every bigram of every term occurs in its title or text (a space
// inside a phrase breaks it), one-character terms match as characters, Latin letters ignore
// case; ranking is by the number of query bigrams found in the title, then by the number of
// hits, then the newer year, then the title; at most 200 results are listed; report text is
// shown as text (never parsed as HTML); hits are marked; the form and ?q= both search.
//
// Exit status: 0 all as expected, 1 a difference (each one printed), 2 set-up error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { requireDir } from './lib/serve.mjs';
import { launchChromium, blockExternal } from './lib/browser.mjs';

const USAGE = 'usage: node tests/web/search.mjs DIR';
const dir = requireDir(process.argv[2], USAGE);
if (!fs.existsSync(path.join(dir, 'search/index.html'))) {
  console.error(`error: ${dir}/search/index.html not found: is it a built nianbao site?\n${USAGE}`);
  process.exit(2);
}

let failures = 0;
function expect(what, actual, expected) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a === e) {
    console.log(`ok   ${what}`);
  } else {
    failures++;
    console.log(`FAIL ${what}\n     expected ${e}\n     actual   ${a}`);
  }
}

const DOCS = [
  { t: '甲县人民政府2024年政府信息公开工作年度报告', u: 'jia/2024/index.html', y: 2024, n: '甲县人民政府',
    x: '本年度收到政府信息公开申请12件。行政复议2件。' },
  { t: '乙镇2023年政府信息公开工作年度报告', u: 'yi/2023/index.html', y: 2023, n: '乙镇',
    x: '行政复议一件；另有行政复议两件、行政复议三件。没有收费。' },
  { t: '丙街道行政复议专题', u: 'bing/2022/index.html', y: 2022, n: '丙街道', x: '无。' },
  { t: '丁局2024年报告', u: 'ding/2024/index.html', y: 2024, n: '丁局',
    x: '<img src=x onerror=__xss=1>行政 复议' },
  { t: '戊局2021年报告', u: 'wu/2021/index.html', y: 2021, n: '戊局', x: 'PDF 附件 行政复议' },
];

function copySite(to) {
  fs.cpSync(dir, to, { recursive: true });
}

function writeIndex(site, docs) {
  fs.writeFileSync(path.join(site, 'search/index.js'),
    'window.NIANBAO_SEARCH = ' + JSON.stringify({ docs }) + ';\n');
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-search-'));
const { context, close } = await launchChromium();
const blocked = [];
await blockExternal(context, blocked);
const page = await context.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));

/** Opens the search page of `site` with `?q=query`; returns status, titles, hrefs. */
async function query(site, q) {
  const url = pathToFileURL(path.join(site, 'search/index.html')).href +
    (q === null ? '' : '?q=' + encodeURIComponent(q));
  await page.goto(url);
  return page.evaluate(() => ({
    status: document.getElementById('search-status').textContent,
    titles: [...document.querySelectorAll('#search-list .result-title a')].map((a) => a.textContent),
    hrefs: [...document.querySelectorAll('#search-list .result-title a')].map((a) => a.href),
    marks: [...document.querySelectorAll('#search-list mark')].map((m) => m.textContent),
    snippets: [...document.querySelectorAll('#search-list .result-snippet')].map((p) => p.textContent),
    xss: window.__xss === undefined ? null : window.__xss,
    images: document.querySelectorAll('#search-list img').length,
  }));
}

try {
  // 1. The index as built: every report of the site says 政府信息公开.
  const built = fs.readFileSync(path.join(dir, 'search/index.js'), 'utf8');
  const count = (built.match(/"u":/g) || []).length;
  const real = await query(dir, '政府信息公开');
  expect('the built index finds every report for 政府信息公开', real.status, `共找到 ${count} 份报告。`);
  expect('the built index has reports', count > 0, true);

  // 2. Known documents.
  const site = path.join(tmp, 'site');
  copySite(site);
  writeIndex(site, DOCS);
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
  await page.fill('#search-q', '收费');
  await page.press('#search-q', 'Enter');
  await page.waitForFunction(() => document.getElementById('search-status').textContent !== '');
  const form = await page.evaluate(() => ({
    titles: [...document.querySelectorAll('#search-list .result-title a')].map((a) => a.textContent),
    q: new URLSearchParams(location.search).get('q'),
  }));
  expect('the form searches', form.titles, [t(1)]);
  expect('the form puts the query in the address', form.q, '收费');

  // At most 200 results are listed, and the status says so.
  const many = Array.from({ length: 205 }, (_, i) => ({
    t: `单位${i}报告`, u: `u${i}/2024/index.html`, y: 2024, n: `单位${i}`, x: '政务公开',
  }));
  writeIndex(site, many);
  r = await query(site, '政务公开');
  expect('205 matches: 200 listed', [r.status, r.titles.length], ['共找到 205 份报告，显示前 200 份。', 200]);

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

if (failures) {
  console.log(`\n${failures} search check(s) failed`);
  process.exit(1);
}
console.log('\nsearch: all checks passed');
