// Self-test of the web check scripts in tests/web/: each one passes on a
// small clean site and fails, naming the fault, on a copy with one fault put
// in. The sites are written to a temporary folder here, not kept in the repo.
//
//   node --test tests/web/selftest.test.mjs
//
// Needs what the scripts need: `npm ci`, /usr/bin/chromium, java 17+.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
let tmp;

function page(prefix, title, body) {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="${prefix}static/site.css">
</head>
<body>
<a class="skip" href="#main">跳到正文</a>
<header><nav aria-label="栏目"><a href="${prefix}">年报首页</a> <a href="${prefix}2024/">2024年</a> <a href="${prefix}县人民政府/">县人民政府</a></nav></header>
<main id="main">
<h1>${title}</h1>
<p>发布日期：2025-01-20</p>
${body}
</main>
<footer><p>主办单位：示例县人民政府办公室 <a href="https://beian.miit.gov.cn/">京ICP备00000000号</a></p></footer>
</body>
</html>
`;
}

const TABLE = '<table><caption>收到和处理政府信息公开申请情况</caption>' +
  '<tr><th scope="col">项目</th><th scope="col">数量</th></tr>' +
  '<tr><th scope="row">新收</th><td>12</td></tr></table>';

/** Write the clean site into `dir`; `fault(files)` may change it first. */
function makeSite(dir, fault = () => {}) {
  const files = {
    'static/site.css': 'body{font-family:sans-serif;margin:0 1rem;color:#222;background:#fff}\n' +
      'a{color:#0645ad}\na:focus{outline:3px solid #c60}\n' +
      '.skip{position:absolute;left:-999px}\n.skip:focus{left:0}\n',
    'index.html': page('', '政府信息公开年报', '<p><a href="县人民政府/2024/">县人民政府2024年度报告</a> <a href="data/reports.csv">全部数据</a></p>'),
    '2024/index.html': page('../', '2024年度', '<p><a href="../县人民政府/2024/#main">县人民政府</a></p>'),
    '县人民政府/index.html': page('../', '县人民政府', '<p><a href="2024/">2024年度报告</a></p>'),
    '县人民政府/2024/index.html': page('../../', '县人民政府2024年度报告', `${TABLE}<p><a href="report.json">JSON</a></p>`),
    '县人民政府/2024/report.json': '{"收到申请":12}\n',
    '县人民政府/2024/fragment.html': `<style>table{border-collapse:collapse}</style>\n<h2>一、总体情况</h2>\n${TABLE}\n`,
    'data/reports.csv': '\ufeff单位,年份\n县人民政府,2024\n',
    '404.html': page('', '页面不存在', ''),
  };
  fault(files);
  for (const [name, text] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return dir;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 180000 });
  const out = `${r.stdout}${r.stderr}`;
  return { status: r.status, out };
}
const node = (script, ...args) => run(process.execPath, [path.join(HERE, script), ...args]);

let good;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-web-selftest-'));
  good = makeSite(path.join(tmp, 'good'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function bad(name, fault) {
  return makeSite(path.join(tmp, name), fault);
}

test('vnu.sh passes a valid site and fails on invalid markup', () => {
  const ok = run('bash', [path.join(HERE, 'vnu.sh'), good]);
  assert.equal(ok.status, 0, ok.out);
  assert.match(ok.out, /vnu: 6 HTML file\(s\) \(1 fragment\(s\)\) and 1 CSS file\(s\) checked .* 0 errors: PASS/);

  const dir = bad('vnu-bad', (f) => {
    f['2024/index.html'] = f['2024/index.html'].replace('<h1>', '<p><div>x</p></div><h1>');
    f['县人民政府/2024/fragment.html'] += '<p><b>未闭合</p>\n';
    f['static/site.css'] += 'a{colr:red}\n';
  });
  const r = run('bash', [path.join(HERE, 'vnu.sh'), dir]);
  assert.equal(r.status, 1, r.out);
  // Line numbers as in the files (the fragment is checked wrapped).
  assert.match(r.out, /"2024\/index.html":13\.\d+-13\.\d+: error:/);
  assert.match(r.out, /"县人民政府\/2024\/fragment.html":4\.\d+-4\.\d+: error:/);
  assert.match(r.out, /"static\/site.css":6\.\d+-6\.\d+: error: CSS: "colr"/);
  assert.match(r.out, /: FAIL$/m);
});

test('axe.mjs passes an accessible site and fails on violations', () => {
  const pages = ['/', '2024/', '县人民政府/', '县人民政府/2024/'];
  const ok = node('axe.mjs', good, ...pages, '--reflow');
  assert.equal(ok.status, 0, ok.out);
  assert.match(ok.out, /4 page\(s\), 0 violation\(s\).*: PASS/);

  const dir = bad('axe-bad', (f) => {
    f['static/site.css'] += '.pale{color:#bbb}\n';
    f['2024/index.html'] = f['2024/index.html'].replace('<h1>', '<p class="pale">浅色文字</p><h1>');
    f['县人民政府/index.html'] = f['县人民政府/index.html']
      .replace('<h1>', '<script src="https://cdn.example.com/x.js"></script><h1>');
  });
  const r = node('axe.mjs', dir, ...pages);
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /FAIL 2024\/: \[serious\] color-contrast/);
  assert.match(r.out, /FAIL 县人民政府\/: requests a resource from another host: https:\/\/cdn\.example\.com\/x\.js/);
  assert.match(r.out, /: FAIL$/m);
});

test('links.mjs passes a linked site, at the root and under a sub-path', () => {
  const ok = node('links.mjs', good);
  assert.equal(ok.status, 0, ok.out);
  assert.match(ok.out, /links \[root\]: \d+ unique internal URL\(s\) checked, 0 broken/);
  assert.match(ok.out, /links \[\/zwgk\/zfxxgknb\/\]: \d+ unique internal URL\(s\) checked, 0 broken/);
  assert.match(ok.out, /links: 2 crawl\(s\) .* 0 broken: PASS/);
});

test('links.mjs fails on a missing file, a bad fragment and a root-relative link', () => {
  const dir = bad('links-bad', (f) => {
    f['2024/index.html'] = f['2024/index.html'].replace('</main>', '<p><a href="../nosuch/">缺</a> <a href="#nosuch">锚</a></p></main>');
    f['县人民政府/index.html'] = f['县人民政府/index.html'].replace('</main>', '<p><a href="/2024/">根相对</a></p></main>');
  });
  const r = node('links.mjs', dir);
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /BROKEN \[root\] \/nosuch\/ \(status 404/);
  assert.match(r.out, /BROKEN \[root\] \/2024\/#nosuch .*Fragment/);
  // The root-relative link works at the root of a host, not under a path.
  assert.doesNotMatch(r.out, /BROKEN \[root\] .*\/2024\/ \(status 404/);
  assert.match(r.out, /BROKEN \[\/zwgk\/zfxxgknb\/\] http:\/\/127\.0\.0\.1:\d+\/2024\/ \(status 404.*root-relative/);
  assert.match(r.out, /: FAIL$/m);
});

test('links.mjs --file-urls fails on folder links', () => {
  const r = node('links.mjs', good, '--file-urls');
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /BROKEN \[file-urls\] \/2024\/ \(status 404/);
});

test('screenshot.mjs writes a PNG and fails on a missing page', () => {
  const out = path.join(tmp, 'shot.png');
  const ok = node('screenshot.mjs', good, '县人民政府/2024/', out, '375');
  assert.equal(ok.status, 0, ok.out);
  const png = fs.readFileSync(out);
  assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
  assert.equal(png.readUInt32BE(16), 375, 'PNG width');

  const r = node('screenshot.mjs', good, 'nosuch/', path.join(tmp, 'none.png'));
  assert.equal(r.status, 1, r.out);
  assert.ok(!fs.existsSync(path.join(tmp, 'none.png')));
});
