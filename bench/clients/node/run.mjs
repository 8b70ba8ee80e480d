// The Node clients of `cargo xtask bench`: this project's package and its peers.
//
// Run as `node run.mjs CLIENT JOB CONFIG`, where CONFIG is the JSON file the orchestrator
// (`bench/run.py`) writes. Each run does one job and prints one JSON line: how many items
// it saw, the job's wall and CPU seconds (taken around the job alone), how many 429s
// reached this code, and how requests overlapped. Only the chosen client's library is
// loaded, so that job D measures loading that library alone.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const CONCURRENCY = '32 in flight';

const [client, job, path] = process.argv.slice(2);
const config = JSON.parse(readFileSync(path, 'utf8'));

async function timed(work, mode) {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const [count, rateLimited] = await work();
  const used = process.cpuUsage(cpu);
  return {
    count,
    seconds: Number(process.hrtime.bigint() - wall) / 1e9,
    cpu: (used.user + used.system) / 1e6,
    rate_limited: rateLimited,
    mode,
  };
}

function ids() {
  return readFileSync(config.ids, 'utf8').split(/\s+/).filter(Boolean);
}

function newContact(index) {
  return {
    locationId: config.location,
    firstName: `Bench${index}`,
    email: `${config.prefix}-${index}@bench.example`,
  };
}

/** Every id fetched by 32 workers that take the next id as each finishes one. */
async function gatheredGets(get) {
  const pending = ids()[Symbol.iterator]();
  let seen = 0;
  const worker = async () => {
    for (const id of pending) {
      if ((await get(id)) === id) seen += 1;
    }
  };
  await Promise.all(Array.from({ length: config.concurrency }, worker));
  return [seen, 0];
}

/** How long a plain client waits after a 429: the window the service reports. */
function waitOf(value) {
  return value ? Number(value) : 1000;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const headers = {
  Authorization: `Bearer ${config.api_key}`,
  Version: '2021-07-28',
  Accept: 'application/json',
};

function pageQuery(meta) {
  const query = new URLSearchParams({ locationId: config.location, limit: '100' });
  if (meta) {
    query.set('startAfterId', meta.startAfterId);
    query.set('startAfter', String(meta.startAfter));
  }
  return query;
}

const more = (meta) => meta.startAfterId !== null && meta.startAfterId !== undefined;

/** A walk of every page through `list(meta)`, which answers a page. */
async function walk(list) {
  let seen = 0;
  let meta = null;
  for (;;) {
    const page = await list(meta);
    seen += page.contacts.length;
    meta = page.meta;
    if (page.contacts.length === 0 || !more(meta)) return [seen, 0];
  }
}

/** Creates `config.count` contacts, one after another, through `create(body)`, which
 * answers the status and, for a 429, how long to wait. */
async function createAll(create) {
  let made = 0;
  let limited = 0;
  for (let index = 0; index < config.count; index += 1) {
    for (;;) {
      const { status, wait } = await create(newContact(index));
      if (status !== 429) break;
      limited += 1;
      await sleep(wait);
    }
    made += 1;
  }
  return [made, limited];
}

/** The job, done through a peer's own `list(meta)`, `get(id)` and `create(body)`. */
function peerJob({ list, get, create }) {
  if (job === 'A') return timed(() => walk(list), 'sequential');
  if (job === 'B') return timed(() => gatheredGets(get), CONCURRENCY);
  if (job === 'C') return timed(() => createAll(create), 'sequential');
  return first(() => get(config.first_id));
}

const clients = {
  // This project's package.
  async highlevel() {
    const { Client, RateLimitedError } = require(config.node_package);
    const sdk = new Client({
      apiKey: config.api_key,
      baseUrl: config.base_url,
      connection: config.connection,
    });
    const { contacts } = sdk;
    if (job === 'A') {
      return timed(async () => {
        let seen = 0;
        for await (const contact of contacts.iterate({ locationId: config.location, limit: 100 })) {
          if (contact.id) seen += 1;
        }
        return [seen, 0];
      }, 'sequential');
    }
    if (job === 'B') {
      const get = async (id) => (await contacts.get({ contactId: id })).contact.id;
      return timed(() => gatheredGets(get), CONCURRENCY);
    }
    if (job === 'C') {
      return timed(
        () =>
          createAll(async (body) => {
            try {
              await contacts.create(body);
              return { status: 201 };
            } catch (err) {
              if (err instanceof RateLimitedError) return { status: 429, wait: 1000 };
              throw err;
            }
          }),
        'sequential',
      );
    }
    return first(async () => (await contacts.get({ contactId: config.first_id })).contact.id);
  },

  // Node's built-in fetch (undici).
  async fetch() {
    const base = config.base_url;
    const list = async (meta) => {
      const answer = await fetch(`${base}/contacts/?${pageQuery(meta)}`, { headers });
      if (!answer.ok) throw new Error(`fetch answered ${answer.status}`);
      return answer.json();
    };
    const get = async (id) => {
      const answer = await fetch(`${base}/contacts/${id}`, { headers });
      if (!answer.ok) throw new Error(`fetch answered ${answer.status}`);
      return (await answer.json()).contact.id;
    };
    const post = { ...headers, 'Content-Type': 'application/json' };
    const create = async (body) => {
      const answer = await fetch(`${base}/contacts/`, {
        method: 'POST',
        headers: post,
        body: JSON.stringify(body),
      });
      await answer.arrayBuffer();
      if (answer.status !== 429 && !answer.ok) {
        throw new Error(`fetch answered ${answer.status}`);
      }
      const wait = waitOf(answer.headers.get('x-ratelimit-interval-milliseconds'));
      return { status: answer.status, wait };
    };
    return peerJob({ list, get, create });
  },

  // axios, with keep-alive agents.
  async axios() {
    const axios = require('axios');
    const http = require('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: config.concurrency });
    const api = axios.create({ baseURL: config.base_url, headers, httpAgent: agent });
    const list = async (meta) => (await api.get('/contacts/', { params: pageQuery(meta) })).data;
    const get = async (id) => (await api.get(`/contacts/${id}`)).data.contact.id;
    const create = async (body) => {
      const answer = await api.post('/contacts/', body, { validateStatus: () => true });
      if (answer.status !== 429 && answer.status >= 300) {
        throw new Error(`axios answered ${answer.status}`);
      }
      const wait = waitOf(answer.headers['x-ratelimit-interval-milliseconds']);
      return { status: answer.status, wait };
    };
    return peerJob({ list, get, create });
  },

  // HighLevel's own Node SDK, pointed at the local server. Its 429 retries are on, as
  // its README recommends for bulk work.
  async gohighlevel() {
    const { HighLevel, LogLevel } = require('@gohighlevel/api-client');
    HighLevel.BASE_URL = config.base_url;
    const ghl = new HighLevel({
      privateIntegrationToken: config.api_key,
      logLevel: LogLevel.ERROR,
      rateLimitRetry: true,
    });
    const list = (meta) => {
      const params = { locationId: config.location, limit: 100 };
      if (meta) {
        Object.assign(params, { startAfterId: meta.startAfterId, startAfter: meta.startAfter });
      }
      return ghl.contacts.getContacts(params);
    };
    const get = async (id) => (await ghl.contacts.getContact({ contactId: id })).contact.id;
    const create = async (body) => {
      try {
        await ghl.contacts.createContact(body);
        return { status: 201 };
      } catch (err) {
        if (err?.statusCode === 429 || err?.response?.status === 429) {
          return { status: 429, wait: 1000 };
        }
        throw err;
      }
    };
    return peerJob({ list, get, create });
  },
};

/** Job D: the orchestrator times the whole process; this only checks the answer. */
async function first(get) {
  return { count: (await get()) === config.first_id ? 1 : 0 };
}

/** This process's peak resident set since it started, in KiB (see `bench/run.py`). */
function peakRssKb() {
  const line = readFileSync('/proc/self/status', 'ascii')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return Number(line.split(/\s+/)[1]);
}

const result = await clients[client]();
result.peak_rss_kb = peakRssKb();
process.stdout.write(`${JSON.stringify(result)}\n`);
