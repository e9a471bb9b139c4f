#!/usr/bin/env node
// Live reload of `nianbao serve` in headless Chromium.
//
//   node tests/web/live_reload.mjs URL FILE
//
// URL is a report page served by `nianbao serve`; FILE is that report's source (it is edited).
// The page must show `licensing: 447228` as 447228. Checks, in order:
//   1. a figure changed in FILE appears in the open page by itself, by a real reload;
//   2. a broken edit (行政复议 总计 one less) brings the error overlay to the open page, with the
//      rule code and file:line:column; axe-core finds no WCAG 2.1 A/AA violation in it; its
//      close button hides it;
//   3. fixing the file removes the overlay by itself;
//   4. no JavaScript error on the way.
// Exit status: 0 pass, 1 fail, 2 usage or set-up error.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { launchChromium } from './lib/browser.mjs';

const require = createRequire(import.meta.url);
const [url, file] = process.argv.slice(2);
if (!url || !file) {
  console.error('usage: node tests/web/live_reload.mjs URL FILE');
  process.exit(2);
}
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const GOOD = 'review:                  [72, 64, 178, 37, 351]';
const BAD = 'review:                  [72, 64, 178, 37, 350]';

function replaceIn(from, to) {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  fs.writeFileSync(file, text.replace(from, to));
}

async function until(what, f, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (await f()) return;
    } catch {
      // The page is reloading: its context is gone for a moment.
    }
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const { context, close } = await launchChromium();
const errors = [];
let failed = false;
try {
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e && e.message || e)));
  const stream = page.waitForResponse((r) => r.url().includes('__nianbao/events'), { timeout: 30000 });
  const resp = await page.goto(url, { waitUntil: 'load', timeout: 30000 });
  if (!resp || resp.status() !== 200) throw new Error(`${url} answered ${resp && resp.status()}`);
  if (!(await page.content()).includes('447228')) throw new Error('the page does not show 447228');
  // The page's event stream is open (its head has arrived); mark this page load.
  const head = await stream;
  if (!String(head.headers()['content-type']).startsWith('text/event-stream')) {
    throw new Error(`the event stream answered ${head.status()} ${head.headers()['content-type']}`);
  }
  await page.evaluate(() => { window.__nianbaoLoad = 'first'; });

  // 1. An edit reloads the page by itself.
  const t0 = Date.now();
  replaceIn('licensing: 447228', 'licensing: 447299');
  await until('the new figure shows', async () => (await page.content()).includes('447299'));
  const reloaded = await page.evaluate(() => window.__nianbaoLoad === undefined);
  if (!reloaded) throw new Error('the figure changed without a reload');
  console.log(`ok: edited figure shown after ${Date.now() - t0} ms, by a reload`);

  // 2. A broken edit: the overlay, accessible, closable.
  replaceIn(GOOD, BAD);
  await page.waitForSelector('#nianbao-overlay', { state: 'visible', timeout: 30000 });
  const text = await page.innerText('#nianbao-overlay');
  for (const want of ['T4-total', 'content/huaian/2024.md:47:46', '网站没有更新']) {
    if (!text.includes(want)) throw new Error(`the overlay does not say ${want}:\n${text}`);
  }
  if (!(await page.content()).includes('447299')) throw new Error('the last good page is gone');
  if ((await page.getAttribute('#nianbao-overlay-title', 'role')) !== 'alert') {
    throw new Error('the overlay title is not an alert');
  }
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run({ include: [['#nianbao-overlay']] }, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  }, TAGS);
  if (violations.length) throw new Error(`axe-core on the overlay:\n${violations.join('\n')}`);
  console.log('ok: overlay shown with code and place; axe-core: no violation');
  await page.click('#nianbao-overlay-close');
  await page.waitForSelector('#nianbao-overlay', { state: 'hidden', timeout: 5000 });
  console.log('ok: the close button hides the overlay');

  // 3. The fix removes it.
  replaceIn(BAD, GOOD);
  await page.waitForSelector('#nianbao-overlay', { state: 'detached', timeout: 30000 });
  await until('the page is back', async () => (await page.content()).includes('447299'));
  console.log('ok: fixing the file removed the overlay');

  if (errors.length) throw new Error(`JavaScript errors: ${errors.join('; ')}`);
  console.log('live reload: PASS');
} catch (e) {
  failed = true;
  console.log(`FAIL ${e.message}`);
  console.log('live reload: FAIL');
} finally {
  await close();
}
process.exit(failed ? 1 : 0);
