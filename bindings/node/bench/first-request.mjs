// How long a fresh process takes from loading the package to the answer of its first
// request, against a sandbox server started beforehand in another process. A measurement,
// not a test: run it by hand with the addon of the build to measure (see the README).
//
//   node bench/first-request.mjs http://127.0.0.1:PORT [runs]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [url, runs = '10'] = process.argv.slice(2);
if (!url) {
  console.error('usage: node bench/first-request.mjs <sandbox url> [runs]');
  process.exit(2);
}

// The child loads the package and makes one call; it reports its own timings.
const entry = JSON.stringify(fileURLToPath(new URL('../index.js', import.meta.url)));
const child = `
const t0 = performance.now();
const { Client } = require(${entry});
const loaded = performance.now();
const client = new Client({ apiKey: 'sandbox-key', baseUrl: process.argv[1] + '/highlevel-pit',
  connection: 'conn-location-1' });
client.users.list({ locationId: 'demo-location-1' }).then(() => {
  const answered = performance.now();
  console.log(JSON.stringify({ require: loaded - t0, firstAnswer: answered - t0 }));
});
`;

const samples = [];
for (let i = 0; i < Number(runs); i += 1) {
  const out = spawnSync(process.execPath, ['-e', child, url], { encoding: 'utf8' });
  if (out.status !== 0) {
    throw new Error(out.stderr);
  }
  samples.push(JSON.parse(out.stdout));
}
const median = (key) => samples.map((s) => s[key]).sort((a, b) => a - b)[samples.length >> 1];
console.log(
  `require: ${median('require').toFixed(1)} ms, require to first answer: ` +
    `${median('firstAnswer').toFixed(1)} ms (median of ${samples.length})`,
);
