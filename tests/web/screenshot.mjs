#!/usr/bin/env node
// Full-page screenshot of one page of a built site, in headless Chromium.
//
//   node tests/web/screenshot.mjs DIR PAGE OUT.png [WIDTH] [--print] [--zoom=2]
//
// DIR is served on 127.0.0.1 (random port); PAGE is a path inside it ("/",
// "2024/", "some-unit/2024/"). WIDTH is the viewport width in CSS px
// (default 1280; 375 for a phone). --print renders with the print
// stylesheet (media "print"). --zoom=N sets the device scale factor
// (2 for a sharp README picture). Chinese text needs a CJK font on the
// machine: apt-get install -y fonts-noto-cjk.
//
// Exit status: 0 written, 1 the page did not load with 200, 2 usage error.
import fs from 'node:fs';
import path from 'node:path';
import { serveDir, requireDir } from './lib/serve.mjs';
import { launchChromium, blockExternal, pageUrl } from './lib/browser.mjs';

const USAGE = 'usage: node tests/web/screenshot.mjs DIR PAGE OUT.png [WIDTH] [--print] [--zoom=N]';
const argv = process.argv.slice(2);
const flags = argv.filter((a) => a.startsWith('--'));
const positional = argv.filter((a) => !a.startsWith('--'));
const print = flags.includes('--print');
let zoom = 1;
for (const f of flags) {
  if (f === '--print') continue;
  const m = /^--zoom=(\d+(?:\.\d+)?)$/.exec(f);
  if (m) {
    zoom = Number(m[1]);
    continue;
  }
  console.error(`error: unknown option ${f}\n${USAGE}`);
  process.exit(2);
}
if (positional.length < 3 || positional.length > 4) {
  console.error(USAGE);
  process.exit(2);
}
const dir = requireDir(positional[0], USAGE);
const [, page, out] = positional;
const width = positional[3] ? Number(positional[3]) : 1280;
if (!Number.isInteger(width) || width < 200 || width > 4000) {
  console.error(`error: WIDTH must be a whole number of CSS px between 200 and 4000\n${USAGE}`);
  process.exit(2);
}

const srv = await serveDir(dir);
const { context, close } = await launchChromium({ viewport: { width, height: 800 }, deviceScaleFactor: zoom });
const blocked = [];
await blockExternal(context, blocked);
let status = 0;
try {
  const p = await context.newPage();
  if (print) await p.emulateMedia({ media: 'print' });
  const url = pageUrl(srv.origin + '/', page);
  const resp = await p.goto(url, { waitUntil: 'load', timeout: 30000 });
  if (!resp || resp.status() !== 200) {
    console.error(`screenshot: ${url} answered ${resp ? resp.status() : 'nothing'}: FAIL`);
    status = 1;
  } else {
    await p.evaluate(() => document.fonts && document.fonts.ready);
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    await p.screenshot({ path: out, fullPage: true });
    const size = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]);
    if (blocked.length) console.log(`note: blocked ${blocked.length} request(s) to other hosts: ${blocked.slice(0, 5).join(' ')}`);
    console.log(`screenshot: ${page} at ${width} px${print ? ' (print)' : ''}${zoom !== 1 ? ` x${zoom}` : ''}, ` +
      `page ${size[0]}x${size[1]} CSS px -> ${out}: OK`);
  }
} finally {
  await close();
  await srv.close();
}
process.exit(status);
