// The write guard: read-only mode, and an approval callback that may answer at once or
// through a Promise. A refused write never reaches the service.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';

import { RefusedError } from '../index.mjs';
import { LOC, client, sandbox } from './support.mjs';

let box;
before(async () => {
  box = await sandbox();
});
after(() => box.stop());
beforeEach(() => box.clearRequests());

async function sent(operation) {
  return (await box.requests()).filter((r) => r.operation === operation).length;
}

test('read-only refuses writes and lets reads through', async () => {
  const c = client(box, { readOnly: true });
  await assert.rejects(c.contacts.create({ locationId: LOC, firstName: 'No' }), RefusedError);
  assert.equal(await sent('createContact'), 0);
  const users = await c.users.list({ locationId: LOC });
  assert.ok(users.users.length > 0);
});

test('the callback sees the write: operation, method, targets and body', async () => {
  const seen = [];
  const c = client(box, {
    approveWrites: (write) => {
      seen.push(write);
      return true;
    },
  });
  const made = await c.contacts.create({ locationId: LOC, firstName: 'Ada' });
  await c.contacts.update({ contactId: made.contact.id }, { lastName: 'Lovelace' });
  await c.users.list({ locationId: LOC });

  assert.equal(seen.length, 2, 'reads are not asked about');
  assert.deepEqual(seen[0], {
    operation: 'createContact',
    method: 'POST',
    targets: {},
    body: { locationId: LOC, firstName: 'Ada' },
  });
  assert.equal(seen[1].operation, 'updateContact');
  assert.equal(seen[1].method, 'PUT');
  assert.deepEqual(seen[1].targets, { contactId: made.contact.id });
  assert.equal(await sent('createContact'), 1);
  assert.equal(await sent('updateContact'), 1);
});

test('a Promise that resolves later decides, while the event loop runs on', async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  try {
    const c = client(box, {
      approveWrites: async (write) => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return write.body.firstName === 'Yes' ? true : 'only Yes may be created';
      },
    });
    const made = await c.contacts.create({ locationId: LOC, firstName: 'Yes' });
    assert.equal(made.contact.firstName, 'Yes');

    await assert.rejects(c.contacts.create({ locationId: LOC, firstName: 'No' }), (err) => {
      assert.ok(err instanceof RefusedError);
      assert.match(err.message, /only Yes may be created/);
      return true;
    });
    assert.equal(await sent('createContact'), 1);
    assert.ok(ticks >= 10, `the timer fired ${ticks} times during two approvals`);
  } finally {
    clearInterval(timer);
  }
});

test('false, a throw, a rejection or no answer refuse the write', async () => {
  const verdicts = [
    () => false,
    () => {
      throw new Error('callback broke');
    },
    () => Promise.reject(new Error('rejected')),
    () => undefined,
    async () => 'yes',
  ];
  for (const verdict of verdicts.slice(0, 4)) {
    const c = client(box, { approveWrites: verdict });
    await assert.rejects(
      c.contacts.delete({ contactId: 'whatever' }),
      RefusedError,
      String(verdict),
    );
  }
  assert.equal(await sent('deleteContact'), 0);

  // A string is a reason, so it refuses too.
  const c = client(box, { approveWrites: verdicts[4] });
  await assert.rejects(c.contacts.delete({ contactId: 'whatever' }), /yes/);
  assert.equal(await sent('deleteContact'), 0);
});
