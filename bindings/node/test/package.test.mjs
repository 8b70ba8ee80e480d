// The package as users get it: `npm pack`, installed into an empty project with no Rust
// toolchain involved, used from CommonJS, from an ES module, from compiled TypeScript, and
// through the README's example, run as written.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const README = fileURLToPath(new URL('../../../README.md', import.meta.url));

let scratch;

function run(command, args, cwd = scratch) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: 'pipe' });
}

before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'highlevel-node-'));
  const packed = JSON.parse(
    run('npm', ['pack', '--json', '--pack-destination', scratch], PACKAGE),
  )[0];
  writeFileSync(
    join(scratch, 'package.json'),
    JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }),
  );
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(scratch, packed.filename)]);
});

after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

test('the tarball holds the addon, the code and the types, and nothing else', () => {
  const files = JSON.parse(run('npm', ['pack', '--dry-run', '--json'], PACKAGE))[0].files.map(
    (f) => f.path,
  );
  for (const expected of [
    'highlevel.linux-x64-gnu.node',
    'index.js',
    'index.mjs',
    'index.d.ts',
    'client.d.ts',
    'generated.js',
    'native.js',
    'package.json',
  ]) {
    assert.ok(files.includes(expected), `${expected} is missing from ${files}`);
  }
  assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('test/')), String(files));
});

test('it runs from CommonJS', () => {
  writeFileSync(
    join(scratch, 'main.cjs'),
    `const { Client, NotFoundError, startSandbox } = require('highlevel');
(async () => {
  const sandbox = await startSandbox();
  const client = new Client(sandbox.clientOptions());
  const page = await client.contacts.list({ locationId: 'demo-location-1', limit: 3 });
  const missing = await client.contacts.get({ contactId: 'nope' }).catch((e) => e);
  console.log(JSON.stringify({ n: page.contacts.length, nf: missing instanceof NotFoundError }));
  await sandbox.stop();
})();
`,
  );
  assert.deepEqual(JSON.parse(run('node', ['main.cjs'])), { n: 3, nf: true });
});

test('it runs from an ES module, with the same exports as CommonJS', () => {
  writeFileSync(
    join(scratch, 'main.mjs'),
    `import { createRequire } from 'node:module';
import * as esm from 'highlevel';
import { Client, startSandbox } from 'highlevel';
const cjs = createRequire(import.meta.url)('highlevel');
const names = Object.keys(esm).filter((k) => k !== 'default').sort();
const same = JSON.stringify(names) === JSON.stringify(Object.keys(cjs).sort());
const sandbox = await startSandbox();
const client = new Client(sandbox.clientOptions());
let n = 0;
const params = { locationId: 'demo-location-1', limit: 100 };
for await (const page of client.contacts.iteratePages(params)) {
  n += page.items.length;
}
console.log(JSON.stringify({ n, same, errors: names.filter((k) => k.endsWith('Error')).length }));
await sandbox.stop();
`,
  );
  assert.deepEqual(JSON.parse(run('node', ['main.mjs'])), { n: 300, same: true, errors: 15 });
});

test('the typed example compiles against the installed package and runs', () => {
  copyFileSync(join(PACKAGE, 'test/typed-example.ts'), join(scratch, 'typed-example.ts'));
  writeFileSync(
    join(scratch, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: 'es2022',
        lib: ['es2022'],
        module: 'nodenext',
        moduleResolution: 'nodenext',
        types: ['node'],
        typeRoots: [join(PACKAGE, 'node_modules/@types')],
        outDir: 'out',
      },
      files: ['typed-example.ts'],
    }),
  );
  run(process.execPath, [join(PACKAGE, 'node_modules/typescript/bin/tsc'), '-p', '.']);
  const output = run('node', ['out/typed-example.js']);
  assert.match(output, /typed example: 300 contacts, first \w+, made \w+, asked 1/);
  assert.match(output, /not found \(404\)/);
});

test("the README's Node example runs as written", () => {
  const readme = readFileSync(README, 'utf8');
  const section = readme.split('## Using the Node package')[1];
  assert.ok(section, 'the README has no Node section');
  const example = section.match(/```js\n([\s\S]*?)```/)?.[1];
  assert.ok(example, 'the Node section has no js example');
  writeFileSync(join(scratch, 'readme.mjs'), example);
  const output = run('node', ['readme.mjs']);
  assert.match(output, /300 contacts in all/);
  assert.match(output, /created \S+/);
  assert.match(output, /about to createContact/);
  assert.match(output, /404/);
});
