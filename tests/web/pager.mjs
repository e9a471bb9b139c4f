#!/usr/bin/env node
// The paged lists of a built site in headless Chromium, from file://.
//
//   node tests/web/pager.mjs DIR LIST EXPECTED
//
// LIST is a paged list's folder inside DIR: '' for the home pages, '2024/' for a year's.
// EXPECTED is how many reports the list must show across its pages. From LIST/index.html the
// reader clicks 下一页 until there is none: every page must load from file:// (relative links,
// no server), name itself 第n页 in its pager with aria-current, and link 上一页 back to the page
// before; every report link in the pages' lists must open an existing report page, and every
// report must appear exactly once across the pages; the totals (汇总) must be on page 1 only;
// each page's number links must reach the same pages as 下一页 did.
//
// Exit status: 0 all as expected, 1 a difference (each one printed), 2 set-up error.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { requireDir } from './lib/serve.mjs';
import { launchChromium, blockExternal } from './lib/browser.mjs';

const USAGE = 'usage: node tests/web/pager.mjs DIR LIST EXPECTED';
const dir = requireDir(process.argv[2], USAGE);
const list = process.argv[3] ?? '';
const expected = Number(process.argv[4]);
if (!Number.isInteger(expected) || !fs.existsSync(path.join(dir, list, 'index.html'))) {
  console.error(`error: ${path.join(dir, list, 'index.html')} not found or EXPECTED missing\n${USAGE}`);
  process.exit(2);
}

let failures = 0;
function check(what, ok, detail = '') {
  if (ok) {
    console.log(`ok   ${what}`);
  } else {
    failures++;
    console.log(`FAIL ${what}${detail ? `\n     ${detail}` : ''}`);
  }
}

const { context, close } = await launchChromium();
const blocked = [];
await blockExternal(context, blocked);
const page = await context.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));

const seen = new Map(); // report page path -> list page numbers it appeared on
const visited = [];
let url = pathToFileURL(path.join(dir, list, 'index.html')).href;
let previous = null;
try {
  for (let n = 1; url; n++) {
    const response = await page.goto(url);
    check(`page ${n} opens from file:// (${path.basename(fileURLToPath(url))})`,
      response === null || response.ok());
    visited.push(page.url());
    const state = await page.evaluate(() => {
      const pagers = [...document.querySelectorAll('nav.pager')];
      const current = pagers.map((p) => p.querySelector('a[aria-current="page"]')?.textContent.trim());
      const prev = document.querySelector('nav.pager a[rel="prev"]');
      const next = document.querySelector('nav.pager a[rel="next"]');
      const numbers = [...(pagers[0]?.querySelectorAll('li:not(.prev):not(.next) a') ?? [])].map((a) => a.href);
      const reports = [...document.querySelectorAll('table.reports tbody td.title a')].map((a) => a.href);
      const totals = document.querySelectorAll('table.totals').length;
      const labels = pagers.map((p) => p.getAttribute('aria-label'));
      return { current, prev: prev?.href ?? null, next: next?.href ?? null, numbers, reports, totals, labels };
    });
    const pages = state.numbers.length || 1;
    if (state.numbers.length > 0) {
      check(`page ${n}: both pagers name it 第${n}页`, state.current.length === 2 &&
        state.current.every((c) => c === `第${n}页`), JSON.stringify(state.current));
      check(`page ${n}: the pagers have distinct names`, new Set(state.labels).size === state.labels.length,
        JSON.stringify(state.labels));
      check(`page ${n}: 上一页 goes to the page before`, state.prev === previous,
        `${state.prev} != ${previous}`);
      check(`page ${n}: its own number links to itself`, state.numbers[n - 1] === page.url());
      check(`page ${n}: the number of the next page is 下一页`, (state.numbers[n] ?? null) === state.next);
    } else {
      check('a list of one page has no pager', n === 1 && !state.next);
    }
    check(`page ${n}: the totals are on page 1 only`, (state.totals > 0) === (n === 1),
      `${state.totals} totals tables`);
    check(`page ${n}: lists reports`, state.reports.length > 0);
    for (const href of state.reports) {
      const file = fileURLToPath(href);
      if (!seen.has(file)) seen.set(file, []);
      seen.get(file).push(n);
    }
    previous = page.url();
    if (state.next) {
      // Follow the link as a reader does: click it.
      await Promise.all([page.waitForNavigation(), page.click('nav.pager a[rel="next"]')]);
      url = page.url();
      check(`page ${n}: 下一页 opens ${path.basename(fileURLToPath(url))}`, url === state.next);
    } else {
      url = null;
      check(`the last page is the ${pages}th`, n === pages, `stopped at ${n} of ${pages}`);
    }
    if (n > 1000) throw new Error('more than 1,000 pages: a pager loop?');
  }
} finally {
  await close();
}

const twice = [...seen].filter(([, on]) => on.length > 1);
check(`every report appears once across ${visited.length} pages`, twice.length === 0,
  twice.slice(0, 5).map(([f, on]) => `${f} on pages ${on}`).join('; '));
check(`${expected} reports listed`, seen.size === expected, `${seen.size} listed`);
const missing = [...seen.keys()].filter((f) => !fs.existsSync(f));
check('every listed report page exists', missing.length === 0, missing.slice(0, 5).join('; '));
check('no JavaScript error', errors.length === 0, errors.join('; '));
check('no request to another host', blocked.length === 0, blocked.join('; '));

console.log(`pager: ${visited.length} pages, ${seen.size} reports: ${failures === 0 ? 'PASS' : 'FAIL'}`);
process.exit(failures === 0 ? 0 : 1);
