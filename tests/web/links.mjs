#!/usr/bin/env node
// Broken-link crawl of a built site with linkinator, served two ways.
//
//   node tests/web/links.mjs DIR [--file-urls] [--allow-redirects] [--no-fragments]
//
// 1. DIR served at the root of http://127.0.0.1:PORT/, crawled from "/".
// 2. DIR served under a sub-path, as a portal would host it:
//    <tmp>/zwgk/zfxxgknb/ -> DIR, crawled from /zwgk/zfxxgknb/. A link that
//    only works at the root of a host (href="/...", or one "../" too many)
//    breaks here.
// With --file-urls, 3. DIR served the way file:// opens it: a folder URL
//    gives no index.html (404), so every link must name a file
//    ("2024/index.html", not "2024/"); crawled from /index.html.
//
// Both crawls follow every internal link (pages, CSS, scripts, images, JSON,
// CSV, CSS url()s) and check #fragments (skip links, in-page anchors) against
// the ids on the target page. Links to other hosts are never fetched (there
// is no network); they are counted as skipped. An internal link that gets a
// redirect (a folder without its trailing slash) counts as broken, since a
// plain file host or file:// won't redirect, unless --allow-redirects.
//
// Exit status: 0 no broken link, 1 any broken link, 2 usage or set-up error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveDir, requireDir } from './lib/serve.mjs';

const USAGE = 'usage: node tests/web/links.mjs DIR [--file-urls] [--allow-redirects] [--no-fragments]';
const SUB_PATH = 'zwgk/zfxxgknb';
const OPTIONS = ['--file-urls', '--allow-redirects', '--no-fragments'];

const argv = process.argv.slice(2);
const unknown = argv.filter((a) => a.startsWith('--') && !OPTIONS.includes(a));
if (unknown.length) {
  console.error(`error: unknown option ${unknown.join(' ')}\n${USAGE}`);
  process.exit(2);
}
const positional = argv.filter((a) => !a.startsWith('--'));
if (positional.length !== 1) {
  console.error(USAGE);
  process.exit(2);
}
const dir = requireDir(positional[0], USAGE);
const fileUrls = argv.includes('--file-urls');
const allowRedirects = argv.includes('--allow-redirects');
const checkFragments = !argv.includes('--no-fragments');

let LinkChecker;
try {
  ({ LinkChecker } = await import('linkinator'));
} catch {
  console.error('error: linkinator is not installed; run `npm ci` at the repository root');
  process.exit(2);
}

function describe(link) {
  const details = (link.failureDetails || []).map((d) => {
    if (d instanceof Error) return d.message;
    if (d && typeof d === 'object' && 'status' in d) return `HTTP ${d.status}`;
    return String(d);
  }).filter(Boolean);
  return [...new Set(details)].join('; ');
}

/** Crawl `start` (served by `srv`); print broken links; return counts. */
async function crawl(label, srv, start, shownBase) {
  const origin = srv.origin + '/';
  const checker = new LinkChecker();
  const result = await checker.check({
    path: start,
    recurse: true,
    checkCss: true,
    checkFragments,
    redirects: allowRedirects ? 'allow' : 'error',
    concurrency: 20,
    timeout: 20000,
    // Fetch nothing but our own server.
    linksToSkip: async (link) => !link.startsWith(origin),
  });
  const show = (u) => (u && u.startsWith(shownBase) ? '/' + u.slice(shownBase.length) : u || '?');
  const broken = result.links.filter((l) => l.state === 'BROKEN');
  const ok = result.links.filter((l) => l.state === 'OK');
  const skipped = result.links.filter((l) => l.state === 'SKIPPED');
  const MAX_SHOWN = 200;
  if (broken.length > MAX_SHOWN) console.log(`(showing the first ${MAX_SHOWN} of ${broken.length} broken links)`);
  for (const l of broken.slice(0, MAX_SHOWN)) {
    let u = l.url;
    try {
      u = decodeURI(u);
    } catch { /* keep as is */ }
    let why = l.status >= 300 && l.status < 400
      ? 'redirects; a folder link without its trailing slash? (--allow-redirects to accept)'
      : describe(l);
    if (!l.url.startsWith(shownBase)) why += `; outside ${shownBase}: a root-relative link ("/...") or one "../" too many?`;
    console.log(`BROKEN [${label}] ${show(u)} (status ${l.status ?? '-'}${why ? ': ' + why : ''})`);
    let p = l.parent;
    try {
      p = decodeURI(p);
    } catch { /* keep as is */ }
    console.log(`       linked from ${show(p)}`);
  }
  const pages = new Set(ok.map((l) => l.url.split('#')[0]));
  console.log(`links [${label}]: ${ok.length + broken.length} unique internal URL(s) checked, ` +
    `${broken.length} broken, ${skipped.length} external skipped (start ${start})`);
  return { checked: ok.length + broken.length, broken: broken.length, urls: pages };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-links-'));
const servers = [];
let totalBroken = 0;
let totalChecked = 0;
let crawls = 0;
try {
  // 1. At the root.
  const root = await serveDir(dir);
  servers.push(root);
  const r1 = await crawl('root', root, root.origin + '/', root.origin + '/');
  totalBroken += r1.broken;
  totalChecked += r1.checked;
  crawls++;

  // Unreached HTML files (information only: 404.html, fragments are not linked).
  const reached = new Set([...r1.urls].map((u) => {
    let p = decodeURIComponent(new URL(u).pathname);
    if (p.endsWith('/')) p += 'index.html';
    return p;
  }));
  const unreached = [];
  (function walk(d, rel) {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel + '/' + e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else if (e.name.endsWith('.html') && !reached.has(r)) unreached.push(r);
    }
  })(dir, '');
  if (unreached.length) {
    const notable = unreached.filter((p) => !/(^\/404\.html|\/fragment\.html)$/.test(p));
    console.log(`note: ${unreached.length} HTML file(s) not reached from / ` +
      `(${notable.length} other than 404.html and fragment.html)` +
      (notable.length ? ': ' + notable.slice(0, 10).join(' ') + (notable.length > 10 ? ' ...' : '') : ''));
  }

  // 2. Under a sub-path of a portal.
  const hostRoot = path.join(tmp, 'host');
  fs.mkdirSync(path.join(hostRoot, path.dirname(SUB_PATH)), { recursive: true });
  fs.symlinkSync(dir, path.join(hostRoot, SUB_PATH), 'dir');
  const sub = await serveDir(hostRoot);
  servers.push(sub);
  const r2 = await crawl(`/${SUB_PATH}/`, sub, `${sub.origin}/${SUB_PATH}/`, `${sub.origin}/${SUB_PATH}/`);
  totalBroken += r2.broken;
  totalChecked += r2.checked;
  crawls++;

  // 3. As file:// would open it.
  if (fileUrls) {
    const files = await serveDir(dir, { directoryIndex: false });
    servers.push(files);
    const r3 = await crawl('file-urls', files, files.origin + '/index.html', files.origin + '/');
    totalBroken += r3.broken;
    totalChecked += r3.checked;
    crawls++;
  }
} finally {
  for (const s of servers) await s.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}

console.log(`links: ${crawls} crawl(s) of ${dir}, ${totalChecked} URL check(s), ${totalBroken} broken: ` +
  (totalBroken ? 'FAIL' : 'PASS'));
process.exit(totalBroken ? 1 : 0);
