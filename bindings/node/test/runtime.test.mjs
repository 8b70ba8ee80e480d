// How the client behaves inside Node: it never blocks the event loop, AbortSignals cancel
// calls and walks, and log records reach a user's function without any secret.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';

import { setLogger } from '../index.mjs';
import { LOC, client, sandbox } from './support.mjs';

const KEY = 'sk-test-3f9a1c77e2b94d0c';

let box;
before(async () => {
  box = await sandbox({ apiKey: KEY });
});
after(() => box.stop());
beforeEach(async () => {
  await box.clearFaults();
  await box.clearRequests();
});

test('a timer keeps firing while a slow request is in flight', async () => {
  await box.addFault({ operation: 'listUsers', kind: 'latency', latencyMs: 600, times: 1 });
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  try {
    const answer = await client(box).users.list({ locationId: LOC });
    assert.ok(answer.users.length > 0);
  } finally {
    clearInterval(timer);
  }
  // 600 ms at one tick per 10 ms: a blocked loop would show 0 or 1.
  assert.ok(ticks >= 20, `the timer fired ${ticks} times`);
});

test('aborting a call rejects it with the signal reason, at once', async () => {
  await box.addFault({ operation: 'listUsers', kind: 'latency', latencyMs: 5000 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const started = Date.now();
  await assert.rejects(
    client(box).users.list({ locationId: LOC }, { signal: controller.signal }),
    (err) => err.name === 'AbortError',
  );
  assert.ok(Date.now() - started < 4000, 'the call did not wait for the answer');

  const reason = new Error('user went away');
  const other = new AbortController();
  setTimeout(() => other.abort(reason), 50);
  await assert.rejects(
    client(box).users.list({ locationId: LOC }, { signal: other.signal }),
    (err) => err === reason,
  );
});

test('an aborted signal sends nothing', async () => {
  const signal = AbortSignal.abort();
  await assert.rejects(
    client(box).contacts.create({ locationId: LOC, firstName: 'Never' }, { signal }),
    (err) => err.name === 'AbortError',
  );
  assert.deepEqual(await box.requests(), []);
});

test('aborting a walk ends the for-await loop', async () => {
  const controller = new AbortController();
  const c = client(box);
  let seen = 0;
  await assert.rejects(async () => {
    for await (const contact of c.contacts.iterate(
      { locationId: LOC, limit: 10 },
      { signal: controller.signal },
    )) {
      assert.ok(contact.id);
      seen += 1;
      if (seen === 15) {
        controller.abort();
      }
    }
  }, (err) => err.name === 'AbortError');
  assert.equal(seen, 15);
  // The walk stopped: at most the page in hand and the one fetched ahead were asked for.
  const pages = (await box.requests()).filter((r) => r.operation === 'listContacts').length;
  assert.ok(pages <= 4, `${pages} pages were fetched`);
});

test('log records reach the logger, with the request fields and no secret', async () => {
  const records = [];
  setLogger((record) => records.push(record), { level: 'trace' });
  try {
    const c = client(box);
    await c.contacts.create({ locationId: LOC, firstName: 'Logged' });
    await c.contacts.get({ contactId: 'missing' }).catch(() => {});
    // Records cross from the addon's threads through the event loop.
    await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    setLogger(null);
  }

  const answered = records.find(
    (r) => r.message === 'answered' && r.fields.operation === 'create_contact',
  );
  assert.ok(answered, JSON.stringify(records, null, 1));
  assert.equal(answered.level, 'debug');
  assert.equal(answered.span, 'highlevel.request');
  assert.equal(answered.fields['http.request.method'], 'POST');
  assert.equal(answered.fields['http.response.status_code'], 201);
  assert.equal(typeof answered.fields.duration_ms, 'number');
  assert.ok(records.some((r) => r.level === 'trace' && r.message === 'request body'));
  const failed = records.find((r) => r.message === 'answered with an error');
  assert.equal(failed.fields.status, 404);

  const text = JSON.stringify(records);
  assert.ok(!text.includes(KEY), 'the API key reached a log record');
  assert.ok(!/bearer/i.test(text), 'an Authorization header reached a log record');
});

test('after setLogger(null) nothing more is logged', async () => {
  const records = [];
  setLogger((record) => records.push(record));
  setLogger(null);
  await client(box).users.list({ locationId: LOC });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(records, []);
  assert.throws(() => setLogger(() => {}, { level: 'loud' }), /loud/);
});
