// Walking paginated operations with `for await`, item by item and page by page, in the
// service's different pagination styles.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { InvalidArgumentError, NotFoundError } from '../index.mjs';
import { LOC, client, sandbox } from './support.mjs';

let box;
before(async () => {
  box = await sandbox();
});
after(() => box.stop());

test('iterate walks every contact once (cursor style)', async () => {
  const ids = [];
  for await (const contact of client(box).contacts.iterate({ locationId: LOC, limit: 40 })) {
    ids.push(contact.id);
  }
  assert.equal(ids.length, 300);
  assert.equal(new Set(ids).size, 300);
});

test('iteratePages gives each page with its items and the whole answer', async () => {
  const sizes = [];
  for await (const page of client(box).contacts.iteratePages({ locationId: LOC, limit: 100 })) {
    sizes.push(page.items.length);
    assert.equal(page.body.contacts.length, page.items.length);
    assert.equal(page.body.meta.total, 300);
  }
  assert.deepEqual(sizes, [100, 100, 100]);
});

test('other styles: page (opportunities), offset (products), skip (forms)', async () => {
  const c = client(box);
  const count = async (iterable) => {
    let n = 0;
    for await (const item of iterable) {
      assert.equal(typeof item, 'object');
      n += 1;
    }
    return n;
  };
  const opportunities = await c.opportunities.search({ location_id: LOC, limit: 100 });
  assert.equal(
    await count(c.opportunities.iterateSearch({ location_id: LOC, limit: 3 })),
    opportunities.meta.total,
  );
  const products = await c.products.list({ locationId: LOC, limit: 100 });
  assert.equal(
    await count(c.products.iterate({ locationId: LOC, limit: 2 })),
    products.products.length,
  );
  const forms = await c.forms.list({ locationId: LOC, limit: 50 });
  assert.equal(await count(c.forms.iterate({ locationId: LOC, limit: 1 })), forms.forms.length);
});

test('breaking out of the loop stops the walk', async () => {
  await box.clearRequests();
  let seen = 0;
  for await (const contact of client(box).contacts.iterate({ locationId: LOC, limit: 10 })) {
    assert.ok(contact.id);
    seen += 1;
    if (seen === 5) {
      break;
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  const pages = (await box.requests()).filter((r) => r.operation === 'listContacts').length;
  assert.ok(pages >= 1 && pages <= 2, `${pages} pages were fetched for 5 contacts`);
});

test('a failing page rejects the loop with its error class', async () => {
  await box.addFault({ operation: 'listContacts', kind: 'status', status: 404, times: 1 });
  await assert.rejects(async () => {
    for await (const contact of client(box).contacts.iterate({ locationId: LOC })) {
      assert.fail(`no contact expected, got ${contact.id}`);
    }
  }, NotFoundError);
});

test('bad parameters fail the loop before anything is sent', async () => {
  await assert.rejects(async () => {
    // eslint-disable-next-line no-unused-vars
    for await (const _ of client(box).contacts.iterate({})) {
      assert.fail('nothing to walk');
    }
  }, (err) => err instanceof InvalidArgumentError && /locationId/.test(err.message));
});
