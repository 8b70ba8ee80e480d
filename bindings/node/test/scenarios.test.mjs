// Plays the cross-language scenarios of tests/scenarios/ (format in tests/README.md), each
// against a fresh sandbox, through `Client.call`.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { HighLevelError, SANDBOX } from '../index.mjs';
import { client, sandbox } from './support.mjs';

const FOLDER = fileURLToPath(new URL('../../../tests/scenarios/', import.meta.url));

/** Replaces every `${name}` in the strings of `value` with a saved value. */
function fill(value, saved) {
  if (typeof value === 'string') {
    return value.replace(/\$\{(\w+)\}/g, (whole, name) => saved[name] ?? whole);
  }
  if (Array.isArray(value)) {
    return value.map((item) => fill(item, saved));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, saved)]));
  }
  return value;
}

/** The value at a JSON pointer (RFC 6901) in `document`. */
function pointer(document, path) {
  let value = document;
  for (const raw of path.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (value === null || typeof value !== 'object' || !(key in value)) {
      return undefined;
    }
    value = value[key];
  }
  return value;
}

async function play(scenario) {
  const box = await sandbox();
  try {
    const c = client(box);
    const saved = {};
    for (const [index, raw] of scenario.steps.entries()) {
      const step = fill(raw, saved);
      const at = `${scenario.name}, step ${index + 1} (${step.call})`;
      const expect = step.expect ?? {};
      const options = step.connection ? { connection: step.connection } : undefined;

      let answer;
      try {
        answer = await c.call(step.call, step.params ?? {}, step.body, options);
      } catch (err) {
        if (!expect.error) {
          throw new Error(`${at}: ${err}`, { cause: err });
        }
        assert.ok(err instanceof HighLevelError, `${at}: ${err}`);
        assert.equal(err.code, expect.error, `${at}: ${err}`);
        if (expect.status !== undefined) {
          assert.equal(err.status, expect.status, `${at}: ${err}`);
        }
        continue;
      }
      assert.ok(!expect.error, `${at}: expected ${expect.error}, got ${JSON.stringify(answer)}`);
      if (expect.status !== undefined) {
        assert.equal(answer.status, expect.status, at);
      }
      for (const [path, value] of Object.entries(expect.match ?? {})) {
        assert.deepEqual(pointer(answer.body, path), value, `${at}: ${path}`);
      }
      for (const [path, count] of Object.entries(expect.count ?? {})) {
        const found = pointer(answer.body, path);
        assert.ok(Array.isArray(found), `${at}: ${path} is not a list`);
        assert.equal(found.length, count, `${at}: ${path}`);
      }
      for (const [name, path] of Object.entries(step.save ?? {})) {
        const value = pointer(answer.body, path);
        assert.equal(typeof value, 'string', `${at}: nothing to save at ${path}`);
        saved[name] = value;
      }
    }
  } finally {
    await box.stop();
  }
}

const files = readdirSync(FOLDER)
  .filter((name) => name.endsWith('.json'))
  .sort();

test('there is a scenario for each resource group', () => {
  assert.ok(files.length >= 20, `only ${files.length} scenarios`);
  assert.equal(SANDBOX.locationIds.length, 2);
});

for (const file of files) {
  const scenario = JSON.parse(readFileSync(join(FOLDER, file), 'utf8'));
  test(`scenario ${file}: ${scenario.name}`, () => play(scenario));
}
