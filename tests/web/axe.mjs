#!/usr/bin/env node
// Accessibility check of a built site with axe-core in headless Chromium.
//
//   node tests/web/axe.mjs DIR PAGE [PAGE ...] [--reflow]
//
// DIR is served on 127.0.0.1 (random port); each PAGE is a path inside it
// ("/", "2024/", "some-unit/2024/"). Every page is checked against the
// WCAG 2.0 and 2.1 level A and AA rules (tags wcag2a wcag2aa wcag21a wcag21aa).
// Also counted as failures: the page itself not answering 200, a JavaScript
// error on the page, a request to another host (the site must load nothing
// from elsewhere), and a resource of the page answering 4xx/5xx.
// --reflow also loads each page 320 CSS px wide (= 1280 px at 400 % zoom,
// WCAG 1.4.10) and fails if the page as a whole scrolls sideways
// (a wide table may scroll inside its own box).
//
// Exit status: 0 all clean, 1 any failure, 2 usage or set-up error.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { serveDir, requireDir } from './lib/serve.mjs';
import { launchChromium, blockExternal, pageUrl } from './lib/browser.mjs';

const require = createRequire(import.meta.url);
const USAGE = 'usage: node tests/web/axe.mjs DIR PAGE [PAGE ...] [--reflow]';
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const argv = process.argv.slice(2);
const reflow = argv.includes('--reflow');
const positional = argv.filter((a) => !a.startsWith('--'));
const unknown = argv.filter((a) => a.startsWith('--') && a !== '--reflow');
if (unknown.length) {
  console.error(`error: unknown option ${unknown.join(' ')}\n${USAGE}`);
  process.exit(2);
}
const dir = requireDir(positional[0], USAGE);
const pages = positional.slice(1);
if (pages.length === 0) {
  console.error(`error: give at least one page path\n${USAGE}`);
  process.exit(2);
}

let axePath;
try {
  axePath = require.resolve('axe-core/axe.min.js');
} catch {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  console.error(`error: axe-core is not installed; run \`npm ci\` in ${root}`);
  process.exit(2);
}
const axeVersion = JSON.parse(fs.readFileSync(path.join(path.dirname(axePath), 'package.json'))).version;

const srv = await serveDir(dir);
const { context, close } = await launchChromium();
const blocked = [];
await blockExternal(context, blocked);

let failures = 0;
let violationCount = 0;
let nodeCount = 0;

function fail(page, msg) {
  failures++;
  console.log(`FAIL ${page}: ${msg}`);
}

try {
  for (const p of pages) {
    const url = pageUrl(srv.origin + '/', p);
    const page = await context.newPage();
    const jsErrors = [];
    const badResources = [];
    page.on('pageerror', (e) => jsErrors.push(String(e && e.message || e)));
    page.on('response', (r) => {
      const u = new URL(r.url());
      if (r.status() >= 400 && u.pathname !== '/favicon.ico' && r.url() !== url) {
        badResources.push(`${r.status()} ${r.url()}`);
      }
    });
    const blockedBefore = blocked.length;
    let resp;
    try {
      resp = await page.goto(url, { waitUntil: 'load', timeout: 30000 });
    } catch (e) {
      fail(p, `could not load ${url}: ${e.message.split('\n')[0]}`);
      await page.close();
      continue;
    }
    if (!resp || resp.status() !== 200) {
      fail(p, `${url} answered ${resp ? resp.status() : 'nothing'}`);
      await page.close();
      continue;
    }
    await page.addScriptTag({ path: axePath });
    const result = await page.evaluate(async (tags) => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        tags: v.tags.filter((t) => /^wcag\d/.test(t)),
        nodes: v.nodes.map((n) => ({
          target: n.target.join(' '),
          html: n.html,
          summary: n.failureSummary,
        })),
      }));
    }, TAGS);

    for (const v of result) {
      failures++;
      violationCount++;
      nodeCount += v.nodes.length;
      console.log(`FAIL ${p}: [${v.impact}] ${v.id}: ${v.help} (${v.tags.join(', ')}; ${v.nodes.length} node${v.nodes.length === 1 ? '' : 's'})`);
      console.log(`     ${v.helpUrl}`);
      for (const n of v.nodes.slice(0, 20)) {
        console.log(`     - ${n.target}`);
        console.log(`       ${n.html.replace(/\s+/g, ' ').slice(0, 200)}`);
        if (n.summary) {
          for (const line of n.summary.split('\n').slice(0, 6)) console.log(`         ${line}`);
        }
      }
      if (v.nodes.length > 20) console.log(`     ... and ${v.nodes.length - 20} more nodes`);
    }
    for (const e of jsErrors) fail(p, `JavaScript error: ${e}`);
    for (const b of blocked.slice(blockedBefore)) fail(p, `requests a resource from another host: ${b}`);
    for (const b of badResources) fail(p, `resource failed: ${b}`);

    if (reflow) {
      await page.setViewportSize({ width: 320, height: 640 });
      await page.goto(url, { waitUntil: 'load', timeout: 30000 });
      const wide = await page.evaluate(() => {
        const el = document.scrollingElement || document.documentElement;
        return { scroll: el.scrollWidth, client: el.clientWidth };
      });
      if (wide.scroll > wide.client + 1) {
        fail(p, `at 320 CSS px wide the page scrolls sideways (scrollWidth ${wide.scroll} > ${wide.client}); WCAG 1.4.10 reflow`);
      }
    }
    if (!result.length) console.log(`ok   ${p}: no axe violations`);
    await page.close();
  }
} finally {
  await close();
  await srv.close();
}

const verdict = failures ? 'FAIL' : 'PASS';
console.log(`axe ${axeVersion} (${TAGS.join(' ')}${reflow ? ', reflow' : ''}): ${pages.length} page(s), ` +
  `${violationCount} violation(s) on ${nodeCount} node(s), ${failures} failure(s) in all: ${verdict}`);
process.exit(failures ? 1 : 0);
