// One failure of each kind, each raised as its own class with the fields that answer
// questions: code, status, the service's messages, its trace id and the operation.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import * as highlevel from '../index.mjs';
import { LOC, LOC2, client, sandbox } from './support.mjs';

const { HighLevelError } = highlevel;

let box;
before(async () => {
  box = await sandbox();
});
after(() => box.stop());

/** Asserts that `promise` rejects with `Class`, of `code` and `status`, for `operation`. */
async function failsWith(promise, Class, code, status, operation) {
  const err = await promise.then(
    (answer) => assert.fail(`expected ${Class.name}, got ${JSON.stringify(answer)}`),
    (err) => err,
  );
  assert.ok(err instanceof Class, `expected ${Class.name}, got ${err?.stack ?? err}`);
  assert.ok(err instanceof HighLevelError);
  assert.ok(err instanceof Error);
  assert.equal(err.name, Class.name);
  assert.equal(err.code, code);
  assert.equal(Class.code, code);
  assert.equal(err.status, status);
  assert.equal(err.operation, operation);
  assert.ok(Array.isArray(err.messages));
  assert.match(err.stack, new RegExp(Class.name));
  return err;
}

test('bad_request, server, gateway: the service says so', async () => {
  const c = client(box);
  const kinds = [
    [400, highlevel.BadRequestError, 'bad_request'],
    [500, highlevel.ServerError, 'server'],
    [503, highlevel.GatewayError, 'gateway'],
  ];
  for (const [status, Class, code] of kinds) {
    await box.addFault({ operation: 'listUsers', kind: 'status', status, times: 1 });
    await failsWith(c.users.list({ locationId: LOC }), Class, code, status, 'listUsers');
  }

  await box.addFault({ operation: 'listUsers', kind: 'html-502', times: 1 });
  const err = await failsWith(
    c.users.list({ locationId: LOC }),
    highlevel.GatewayError,
    'gateway',
    502,
    'listUsers',
  );
  assert.ok(err.messages.length > 0, 'the HTML page gives a message');
});

test('unauthorized: the key is wrong', async () => {
  const c = client(box, { apiKey: 'wrong' });
  await failsWith(
    c.users.list({ locationId: LOC }),
    highlevel.UnauthorizedError,
    'unauthorized',
    401,
    'listUsers',
  );
});

test('wrong_token_type and forbidden_location: the connection does not fit', async () => {
  const c = client(box);
  await failsWith(
    c.locations.create(
      { companyId: 'demo-company', name: 'No' },
      { connection: 'conn-location-1' },
    ),
    highlevel.WrongTokenTypeError,
    'wrong_token_type',
    401,
    'createLocation',
  );
  await failsWith(
    c.users.list({ locationId: LOC2 }, { connection: 'conn-location-1' }),
    highlevel.ForbiddenLocationError,
    'forbidden_location',
    403,
    'listUsers',
  );
});

test('not_found carries the message and trace id', async () => {
  const err = await failsWith(
    client(box).contacts.get({ contactId: 'no-such-contact' }),
    highlevel.NotFoundError,
    'not_found',
    404,
    'getContact',
  );
  assert.match(err.messages.join(' '), /no-such-contact/);
  assert.equal(typeof err.traceId, 'string');
  assert.match(err.message, /getContact/);
});

test('validation: a 422 with its list of messages', async () => {
  const err = await failsWith(
    client(box).contacts.createTask({ contactId: 'x' }, { title: 'No completed field' }),
    highlevel.InvalidArgumentError,
    'invalid_argument',
    null,
    'createContactTask',
  );
  assert.match(err.message, /completed/);

  await box.addFault({ operation: 'listUsers', kind: 'status', status: 422, times: 1 });
  await failsWith(
    client(box).users.list({ locationId: LOC }),
    highlevel.ValidationError,
    'validation',
    422,
    'listUsers',
  );
});

test('rate_limited: a 429 that retries did not outlast', async () => {
  await box.addFault({ operation: 'listUsers', kind: 'status', status: 429, times: 1 });
  await failsWith(
    client(box).users.list({ locationId: LOC }),
    highlevel.RateLimitedError,
    'rate_limited',
    429,
    'listUsers',
  );
});

test('timeout: slower than the call allows', async () => {
  await box.addFault({ operation: 'listUsers', kind: 'latency', latencyMs: 1500, times: 1 });
  await failsWith(
    client(box).users.list({ locationId: LOC }, { timeout: 100 }),
    highlevel.TimeoutError,
    'timeout',
    null,
    'listUsers',
  );
});

test('connection: nothing listens there', async () => {
  const c = new highlevel.Client({
    apiKey: 'k',
    baseUrl: 'http://127.0.0.1:9',
    connection: 'conn',
    retry: false,
  });
  await failsWith(
    c.users.list({ locationId: LOC }),
    highlevel.ConnectionError,
    'connection',
    null,
    'listUsers',
  );
});

test('decode: a success that is not JSON', async () => {
  await box.addFault({ operation: 'listUsers', kind: 'invalid-json', times: 1 });
  await failsWith(
    client(box).users.list({ locationId: LOC }),
    highlevel.DecodeError,
    'decode',
    null,
    'listUsers',
  );
});

test('refused: the write guard said no, and nothing was sent', async () => {
  await box.clearRequests();
  await failsWith(
    client(box, { readOnly: true }).contacts.create({ locationId: LOC, firstName: 'No' }),
    highlevel.RefusedError,
    'refused',
    null,
    'createContact',
  );
  assert.deepEqual(await box.requests(), []);
});

test('invalid_argument: refused before sending, naming what is wrong', async () => {
  const c = client(box);
  let err = await failsWith(
    c.contacts.get({}),
    highlevel.InvalidArgumentError,
    'invalid_argument',
    null,
    'getContact',
  );
  assert.match(err.message, /contactId/);

  err = await failsWith(
    c.contacts.get({ contactId: 'x', nonsense: 1 }),
    highlevel.InvalidArgumentError,
    'invalid_argument',
    null,
    'getContact',
  );
  assert.match(err.message, /nonsense/);

  await assert.rejects(c.call('noSuchOperation'), (e) => {
    assert.ok(e instanceof highlevel.InvalidArgumentError, String(e));
    assert.match(e.message, /noSuchOperation/);
    return true;
  });
  await assert.rejects(c.users.list('not an object'), highlevel.InvalidArgumentError);
  await assert.rejects(c.users.list({ locationId: LOC }, 7), highlevel.InvalidArgumentError);
});

test('bad options throw InvalidArgumentError from the constructor', () => {
  assert.throws(
    () => new highlevel.Client({ apiKey: 'k', timeout: -5 }),
    (err) => err instanceof highlevel.InvalidArgumentError && /timeout/.test(err.message),
  );
  assert.throws(
    () => new highlevel.Client({ apiKey: 'k', baseUrl: 'not a url' }),
    highlevel.InvalidArgumentError,
  );
  assert.throws(
    () => new highlevel.Client({ apiKey: 'k', approveWrites: 'yes' }),
    highlevel.InvalidArgumentError,
  );
});

test('the options fall back to the environment', () => {
  const saved = process.env.MATON_API_KEY;
  const savedToken = process.env.HIGHLEVEL_TOKEN;
  try {
    delete process.env.MATON_API_KEY;
    delete process.env.HIGHLEVEL_TOKEN;
    assert.throws(() => new highlevel.Client(), (err) => {
      assert.ok(err instanceof highlevel.InvalidArgumentError);
      assert.match(err.message, /MATON_API_KEY/);
      return true;
    });
    process.env.MATON_API_KEY = 'from-the-environment';
    assert.ok(new highlevel.Client() instanceof highlevel.Client);
  } finally {
    restore('MATON_API_KEY', saved);
    restore('HIGHLEVEL_TOKEN', savedToken);
  }
});

test('the key from the environment reaches the service', async () => {
  const saved = process.env.MATON_API_KEY;
  try {
    process.env.MATON_API_KEY = box.apiKey;
    const c = new highlevel.Client({ baseUrl: box.proxyUrl, connection: 'conn-location-1' });
    const answer = await c.users.list({ locationId: LOC });
    assert.ok(answer.users.length > 0);
  } finally {
    restore('MATON_API_KEY', saved);
  }
});

function restore(name, value) {
  if (value === undefined) {
    delete process.env[name];
  } else {
    process.env[name] = value;
  }
}

test('errors can be made and told apart by users too', () => {
  const err = new highlevel.NotFoundError({ message: 'gone', status: 404 });
  assert.ok(err instanceof HighLevelError);
  assert.equal(err.code, 'not_found');
  assert.equal(err.message, 'gone');
  assert.ok(!(err instanceof highlevel.ValidationError));
});
