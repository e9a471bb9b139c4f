// The pass/fail bookkeeping of the search scripts: each check prints "ok" or "FAIL" with what
// was expected and what came, and the script ends with exit code 1 if any failed.

let failures = 0;

/** Compares `actual` with `expected` as JSON; `limit` shortens long values in the report. */
export function expect(what, actual, expected, limit = Infinity) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a === e) {
    console.log(`ok   ${what}`);
  } else {
    fail(`${what}\n     expected ${e.slice(0, limit)}\n     actual   ${a.slice(0, limit)}`);
  }
}

/** Records a failed check that is not a comparison. */
export function fail(message) {
  failures++;
  console.log(`FAIL ${message}`);
}

/** Exits 1 with the count if any check failed; else prints `passed`. */
export function finish(name, passed) {
  if (failures) {
    console.log(`\n${failures} ${name} check(s) failed`);
    process.exit(1);
  }
  console.log(`\n${passed}`);
}
