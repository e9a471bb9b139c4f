#!/usr/bin/env node
// The YAML language server (the one VS Code's YAML extension runs) on a report's front matter,
// as an editor would drive it over LSP: with the `# yaml-language-server: $schema=…` line that
// `init` and `new` write, it must offer the table's row keys as completions, show the Chinese
// label of a row on hover, and flag a wrong cell type, reading the schema file the site keeps.
//
//   node tests/web/yaml_ls.mjs SITE_DIR REPORT_FILE
//
// REPORT_FILE is a report (content/<unit>/<year>.md) below SITE_DIR whose front matter starts
// with the modeline. Exit status: 0 all as expected, 1 a difference (printed), 2 set-up error.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const USAGE = 'usage: node tests/web/yaml_ls.mjs SITE_DIR REPORT_FILE';
const [site, reportArg] = process.argv.slice(2);
if (!site || !reportArg) {
  console.error(USAGE);
  process.exit(2);
}
const report = path.resolve(site, reportArg);
let server;
try {
  server = require.resolve('yaml-language-server/bin/yaml-language-server');
} catch {
  console.error('error: yaml-language-server is not installed; run `npm ci` at the repository root');
  process.exit(2);
}

// The editor sees the front matter as a YAML document at the report's place, so the modeline's
// relative path resolves as it does for the real file.
const text = fs.readFileSync(report, 'utf8');
const lines = text.split('\n');
const close = lines.indexOf('---', 1);
if (lines[0] !== '---' || close < 0) {
  console.error(`error: ${report} has no front matter`);
  process.exit(2);
}
const yaml = lines.slice(1, close).join('\n') + '\n';
const docPath = report.replace(/\.md$/, '.yaml');
const uri = pathToFileURL(docPath).href;

let failures = 0;
function expect(what, ok, detail) {
  if (ok) console.log(`ok   ${what}`);
  else {
    failures++;
    console.log(`FAIL ${what}\n     ${detail}`);
  }
}

// ---- a minimal LSP client over stdio ---------------------------------------------------------
const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
let buffer = Buffer.alloc(0);
let nextId = 1;
const pending = new Map();
const diagnostics = new Map();
const diagWaiters = [];
const settings = { yaml: { validate: true, completion: true, hover: true, schemaStore: { enable: false } } };

function send(msg) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }), 'utf8');
  child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
  child.stdin.write(body);
}
function request(method, params) {
  const id = nextId++;
  send({ id, method, params });
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
  });
}
function notify(method, params) {
  send({ method, params });
}
child.stdout.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const m = /Content-Length: (\d+)/i.exec(buffer.slice(0, end).toString());
    const len = Number(m[1]);
    if (buffer.length < end + 4 + len) return;
    const msg = JSON.parse(buffer.slice(end + 4, end + 4 + len).toString('utf8'));
    buffer = buffer.slice(end + 4 + len);
    if (msg.id !== undefined && msg.method === undefined) {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(JSON.stringify(msg.error)));
      else p?.resolve(msg.result);
    } else if (msg.method === 'workspace/configuration') {
      send({ id: msg.id, result: msg.params.items.map((i) => (i.section ? settings[i.section] ?? null : settings)) });
    } else if (msg.id !== undefined && msg.method) {
      send({ id: msg.id, result: null }); // client/registerCapability and the like
    } else if (msg.method === 'textDocument/publishDiagnostics') {
      diagnostics.set(msg.params.uri + '#' + (msg.params.version ?? ''), msg.params.diagnostics);
      diagWaiters.splice(0).forEach((w) => w(msg.params));
    }
  }
});
function nextDiagnostics(version) {
  return new Promise((resolve) => {
    const check = (p) => {
      if (p.uri === uri && (p.version === undefined || p.version === version)) resolve(p.diagnostics);
      else diagWaiters.push(check);
    };
    diagWaiters.push(check);
  });
}
const timeout = setTimeout(() => {
  console.log('FAIL the language server did not answer within 60 s');
  child.kill();
  process.exit(1);
}, 60000);

try {
  await request('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(path.resolve(site)).href,
    capabilities: {
      workspace: { configuration: true },
      textDocument: { completion: { completionItem: { snippetSupport: false } }, hover: {} },
    },
  });
  notify('initialized', {});
  notify('workspace/didChangeConfiguration', { settings });

  // 1. The report as written: no problem.
  let waiting = nextDiagnostics(1);
  notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: yaml } });
  let diags = await waiting;
  expect('the report as written has no schema problem', diags.length === 0, JSON.stringify(diags));

  // 2. Completion inside `active:` offers the row keys of the table.
  const docLines = yaml.split('\n');
  const activeLine = docLines.findIndex((l) => l.startsWith('active:'));
  const rulesLine = docLines.findIndex((l, i) => i > activeLine && /^\s+rules:/.test(l));
  const edited = docLines.slice();
  edited.splice(rulesLine, 1, '  ');
  const editedText = edited.join('\n');
  waiting = nextDiagnostics(2);
  notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: editedText }] });
  await waiting;
  const completion = await request('textDocument/completion', {
    textDocument: { uri },
    position: { line: rulesLine, character: 2 },
  });
  const labels = (Array.isArray(completion) ? completion : completion?.items ?? []).map((i) => i.label);
  expect('completion in `active:` offers `rules`', labels.includes('rules'), `got ${JSON.stringify(labels)}`);

  // 3. Hover on a row key shows the row's Chinese name and columns.
  const normLine = docLines.findIndex((l, i) => i > activeLine && /^\s+normative:/.test(l));
  waiting = nextDiagnostics(3);
  notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: yaml }] });
  await waiting;
  const hover = await request('textDocument/hover', {
    textDocument: { uri },
    position: { line: normLine, character: docLines[normLine].indexOf('normative') + 2 },
  });
  const hoverText = JSON.stringify(hover?.contents ?? '');
  expect('hover on `normative` shows 规范性文件', hoverText.includes('规范性文件'), hoverText);

  // 4. A count written as text is flagged on its line.
  const wrong = docLines.slice();
  wrong[normLine] = wrong[normLine].replace(/\[([^,\]]+),/, '["8件",');
  waiting = nextDiagnostics(4);
  notify('textDocument/didChange', { textDocument: { uri, version: 4 }, contentChanges: [{ text: wrong.join('\n') }] });
  diags = await waiting;
  expect('"8件" in a count is flagged on its line',
    diags.some((d) => d.range.start.line === normLine), JSON.stringify(diags));

  // 5. An unknown row key is flagged.
  const unknown = docLines.slice();
  unknown[normLine] = unknown[normLine].replace('normative', 'normativ');
  waiting = nextDiagnostics(5);
  notify('textDocument/didChange', { textDocument: { uri, version: 5 }, contentChanges: [{ text: unknown.join('\n') }] });
  diags = await waiting;
  expect('a misspelt row key is flagged', diags.some((d) => d.range.start.line === normLine), JSON.stringify(diags));

  await request('shutdown', null);
  notify('exit', null);
} catch (e) {
  failures++;
  console.log(`FAIL ${e.stack || e}`);
} finally {
  clearTimeout(timeout);
  child.kill();
}

if (failures) {
  console.log(`\n${failures} language-server check(s) failed`);
  process.exit(1);
}
console.log('\nyaml-language-server: all checks passed');
