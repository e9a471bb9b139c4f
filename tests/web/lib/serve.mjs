// Tiny static file server for the web checks: serves a built site folder on
// 127.0.0.1 at a random free port, the way a plain file host (nginx, a portal
// CMS's static area) would:
//   * `/a/b/` serves `a/b/index.html`;
//   * `/a/b` (a folder, no slash) answers 301 to `/a/b/`, like nginx;
//   * percent-encoded paths (Chinese folder names) are decoded;
//   * a missing file answers 404 with a plain-text body (not the site's
//     404.html: a crawler would follow that page's relative links from
//     wherever the 404 happened);
//   * nothing outside the root is ever served.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.zip': 'application/zip',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function statOrNull(p) {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

/**
 * Start serving `root`. Resolves to { server, port, origin, close() }.
 * `notFoundPage` (optional) is a file whose body is sent with 404s.
 * With `directoryIndex: false` a folder URL answers 404 instead of serving
 * its index.html, as file:// behaves.
 */
export async function serveDir(root, { notFoundPage, directoryIndex = true } = {}) {
  root = fs.realpathSync(path.resolve(root));
  const log = [];

  const server = http.createServer((req, res) => {
    const send = (status, headers, body) => {
      log.push({ method: req.method, url: req.url, status });
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(405, { 'content-type': 'text/plain' }, 'method not allowed\n');
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return send(400, { 'content-type': 'text/plain' }, 'bad request\n');
    }
    if (pathname.includes('\0')) {
      return send(400, { 'content-type': 'text/plain' }, 'bad request\n');
    }
    const file = path.join(root, pathname);
    if (file !== root && !file.startsWith(root + path.sep)) {
      return send(403, { 'content-type': 'text/plain' }, 'forbidden\n');
    }
    let target = file;
    let st = statOrNull(target);
    if (st?.isDirectory()) {
      if (!directoryIndex) {
        st = null;
      } else if (!pathname.endsWith('/')) {
        const u = new URL(req.url, 'http://x');
        return send(301, { location: u.pathname + '/' + u.search }, '');
      } else {
        target = path.join(target, 'index.html');
        st = statOrNull(target);
      }
    }
    if (!st?.isFile()) {
      const body = notFoundPage ? fs.readFileSync(notFoundPage) : 'not found\n';
      return send(404, { 'content-type': notFoundPage ? TYPES['.html'] : 'text/plain' }, body);
    }
    const type = TYPES[path.extname(target).toLowerCase()] || 'application/octet-stream';
    send(200, { 'content-type': type, 'content-length': st.size, 'cache-control': 'no-store' },
      fs.readFileSync(target));
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    server,
    port,
    origin: `http://127.0.0.1:${port}`,
    log,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

/** Exit with a usage message unless `dir` is an existing folder. */
export function requireDir(dir, usage) {
  if (!dir) {
    console.error(usage);
    process.exit(2);
  }
  if (!statOrNull(dir)?.isDirectory()) {
    console.error(`error: ${dir} is not a folder`);
    console.error(usage);
    process.exit(2);
  }
  return path.resolve(dir);
}
