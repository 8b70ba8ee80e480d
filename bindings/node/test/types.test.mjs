// The TypeScript declarations: a typed example compiles under `tsc --strict`, and the
// lines it marks `@ts-expect-error` are refused (tsc fails if one of them compiles).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

test('the typed example compiles with tsc --strict', () => {
  const tsc = spawnSync(
    process.execPath,
    ['node_modules/typescript/bin/tsc', '-p', 'test/tsconfig.json'],
    { cwd: PACKAGE, encoding: 'utf8' },
  );
  assert.equal(tsc.status, 0, `${tsc.stdout}${tsc.stderr}`);
});

test('every public method of the declarations has JSDoc', async () => {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(new URL('../index.d.ts', import.meta.url), 'utf8');
  const lines = text.split('\n');
  // A method starts a line, indented once, with its name and an opening parenthesis.
  const methods = lines
    .map((line, index) => [line, index])
    .filter(([line]) => /^ {2}\w+\(/.test(line));
  assert.ok(methods.length >= 85 + 16 * 2, `${methods.length} methods`);
  for (const [line, index] of methods) {
    assert.ok(lines[index - 1].trim().endsWith('*/'), `no JSDoc above: ${line.trim()}`);
  }
});
