// Launch Debian's Chromium (/usr/bin/chromium) through playwright-core.
// Never downloads a browser. Flags: see shared/spec/engineering.md.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Launch Chromium and open one browser context. `contextOptions` go to
 * browser.newContext (viewport, deviceScaleFactor, ...). Playwright gives the
 * browser a fresh throw-away profile (user data dir) of its own.
 */
export async function launchChromium(contextOptions = {}) {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`error: ${CHROMIUM} not found; install it with ` +
      '`apt-get install -y --no-install-recommends chromium chromium-driver` (or set CHROMIUM_PATH)');
    process.exit(2);
  }
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch {
    console.error('error: playwright-core is not installed; run `npm ci` at the repository root');
    process.exit(2);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60000,
  });
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
    ...contextOptions,
  });
  const close = async () => {
    await context.close().catch(() => {});
    await browser.close().catch(() => {});
  };
  return { browser, context, close };
}

/**
 * Make every request to a host other than 127.0.0.1/localhost fail at once
 * (there is no network here, and the site must load nothing from another
 * host), and record it in `blocked`.
 */
export async function blockExternal(context, blocked) {
  await context.route('**/*', (route) => {
    const url = route.request().url();
    let u;
    try {
      u = new URL(url);
    } catch {
      return route.continue();
    }
    const local = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
    if ((u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:' || u.protocol === 'wss:') && !local) {
      blocked.push(url);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
}

/** Turn a page argument ("/", "2024/", "/unit/2024/index.html") into a URL under `base`. */
export function pageUrl(base, page) {
  // The URL parser percent-encodes non-ASCII (Chinese folder names) itself.
  const rel = String(page).replace(/^\/+/, '');
  return new URL(rel, base.endsWith('/') ? base : base + '/').href;
}
