#!/usr/bin/env node
// What a reader's browser loads to answer one search (issue 12): the search page of a built
// site opened in headless Chromium from file:// with ?q=QUERY, and the size of every file it
// loaded (the page, its scripts and styles, the index or the index shards the query needed).
//
//   node bench/search-load.mjs DIR QUERY
//
// Prints one line: `BYTES FILES` (bytes of the distinct files loaded, how many), then the
// status line the page showed, so that a search that found nothing is seen. Files are counted
// from Chromium's requests and the page's resource timing entries, so whatever the search
// loads (one index.js or shards chosen by the query) is measured the same way.
//
// Exit status: 0 measured, 2 set-up error (no search page, no Chromium or playwright-core).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium, blockExternal } from '../tests/web/lib/browser.mjs';

const USAGE = 'usage: node bench/search-load.mjs DIR QUERY';
const [dir, q] = process.argv.slice(2);
if (!dir || !q) {
  console.error(USAGE);
  process.exit(2);
}
const searchPage = path.join(path.resolve(dir), 'search/index.html');
if (!fs.existsSync(searchPage)) {
  console.error(`error: ${searchPage} not found: is ${dir} a built nianbao site?\n${USAGE}`);
  process.exit(2);
}

const { context, close } = await launchChromium();
await blockExternal(context, []);
const page = await context.newPage();
const urls = new Set();
page.on('requestfinished', (r) => urls.add(r.url()));
await page.goto(pathToFileURL(searchPage).href + '?q=' + encodeURIComponent(q), {
  waitUntil: 'networkidle',
  timeout: 120000,
});
// Shards requested by the query after the page loaded.
await page.waitForLoadState('networkidle');
const seen = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
seen.forEach((u) => urls.add(u));
const status = await page.evaluate(() => document.getElementById('search-status')?.textContent ?? '');
await close();

let bytes = 0;
let files = 0;
for (const u of urls) {
  if (!u.startsWith('file:')) continue;
  const file = fileURLToPath(u.split(/[?#]/)[0]);
  if (fs.existsSync(file) && fs.statSync(file).isFile()) {
    bytes += fs.statSync(file).size;
    files++;
  }
}
console.log(`${bytes} ${files}`);
console.log(status.trim());
