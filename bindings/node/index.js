// The `highlevel` package: the client, its resource groups and errors, the sandbox and
// logging. The native addon does the work (HTTP, retries, routing, pagination, the write
// guard); this file shapes it for JavaScript: options and results as plain objects, errors
// as classes, walks as async iterators, AbortSignals as cancellation.
'use strict';

const native = require('./native.js');
const generated = require('./generated.js');

const { SEND, WALK, errorFrom, attachResources, InvalidArgumentError } = generated;

/** The demo data's ids, as the sandbox seeds them. */
const SANDBOX = Object.freeze(native.sandboxFacts());

/** The value of a native outcome (its JSON text), or the error it stands for thrown. */
function unwrap(text, signal) {
  const outcome = JSON.parse(text);
  if (outcome.aborted) {
    throw signal?.reason ?? new DOMException('The operation was aborted.', 'AbortError');
  }
  if (outcome.error) {
    throw errorFrom(outcome.error);
  }
  return outcome.ok;
}

/** A cancel token that `signal` sets, and the function that unhooks it afterwards. */
function cancelOn(signal) {
  const token = new native.CancelToken();
  if (!signal) {
    return [token, () => {}];
  }
  const cancel = () => token.cancel();
  signal.addEventListener('abort', cancel, { once: true });
  return [token, () => signal.removeEventListener('abort', cancel)];
}

/** Splits call options into the signal and what the addon takes. */
function split(options) {
  if (options == null) {
    return [undefined, undefined];
  }
  if (typeof options !== 'object') {
    throw new InvalidArgumentError({
      code: 'invalid_argument',
      message: `the call options must be an object, not ${typeof options}`,
    });
  }
  const { signal, ...rest } = options;
  return [signal, rest];
}

/**
 * The approval callback as the addon calls it: always a Promise, resolving to `null` to
 * send the write or to the reason for refusing it. Only an explicit `true` sends.
 */
function approval(callback) {
  if (typeof callback !== 'function') {
    throw new InvalidArgumentError({
      code: 'invalid_argument',
      message: `approveWrites must be a function, not ${typeof callback}`,
    });
  }
  return async (write) => {
    try {
      const verdict = await callback(write);
      if (verdict === true) {
        return null;
      }
      if (typeof verdict === 'string' && verdict !== '') {
        return verdict;
      }
      if (verdict === false) {
        return `the approval callback refused ${write.operation}`;
      }
      return `the approval callback answered ${String(verdict)}; only true sends a write`;
    } catch (err) {
      return `the approval callback threw: ${err?.message ?? String(err)}`;
    }
  };
}

class Client {
  #native;

  constructor(options = {}) {
    const { approveWrites, ...rest } = options ?? {};
    const approve = approveWrites === undefined ? undefined : approval(approveWrites);
    try {
      this.#native = new native.NativeClient(rest, approve);
    } catch (err) {
      throw new InvalidArgumentError({ code: 'invalid_argument', message: err.message });
    }
    attachResources(this);
  }

  async call(operation, params, body, options) {
    const [signal, rest] = split(options);
    signal?.throwIfAborted();
    const [token, unhook] = cancelOn(signal);
    try {
      const outcome = await this.#native.call(operation, params, body, rest, token);
      return unwrap(outcome, signal);
    } finally {
      unhook();
    }
  }

  async [SEND](operation, params, body, options) {
    return (await this.call(operation, params, body, options)).body;
  }

  async *[WALK](operation, params, options, items) {
    const [signal, rest] = split(options);
    signal?.throwIfAborted();
    const [token, unhook] = cancelOn(signal);
    const walk = this.#native.pages(operation, params, rest, token);
    try {
      for (;;) {
        const page = unwrap(await walk.next(), signal);
        if (page === null) {
          return;
        }
        const found = page.itemsAt.split('.').reduce((at, key) => at?.[key], page.body);
        const value = Array.isArray(found) ? found : [];
        if (!items) {
          yield { items: value, body: page.body };
          continue;
        }
        // An item walk gets a page's items at once and hands them out one by one; an
        // abort still ends it at the next item, not at the end of the page.
        for (const item of value) {
          signal?.throwIfAborted();
          yield item;
        }
      }
    } finally {
      walk.close();
      unhook();
    }
  }
}

/** A running sandbox; see `startSandbox`. */
class Sandbox {
  #native;

  constructor(handle) {
    this.#native = handle;
  }

  get url() {
    return this.#native.url;
  }

  get proxyUrl() {
    return this.#native.proxyUrl;
  }

  get apiKey() {
    return this.#native.apiKey;
  }

  clientOptions() {
    return {
      apiKey: this.apiKey,
      baseUrl: this.proxyUrl,
      matonBaseUrl: this.url,
      connection: SANDBOX.locationConnections[0],
      agencyConnection: SANDBOX.agencyConnection,
      locationConnections: { [SANDBOX.locationIds[1]]: SANDBOX.locationConnections[1] },
    };
  }

  addFault(fault) {
    return this.#control('POST', 'faults', fault);
  }

  clearFaults() {
    return this.#control('DELETE', 'faults');
  }

  async requests() {
    return (await this.#control('GET', 'requests')).requests;
  }

  clearRequests() {
    return this.#control('DELETE', 'requests');
  }

  reset() {
    return this.#control('POST', 'reset');
  }

  stop() {
    return this.#native.stop();
  }

  /** One request to the sandbox's control API, which any language's tests drive. */
  async #control(method, path, body) {
    const response = await fetch(`${this.url}/_sandbox/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`the sandbox refused ${method} ${path} (${response.status}): ${text}`);
    }
    return text ? JSON.parse(text) : undefined;
  }
}

async function startSandbox(options) {
  return new Sandbox(await native.startSandbox(options));
}

function setLogger(logger, options = {}) {
  if (logger !== null && typeof logger !== 'function') {
    throw new InvalidArgumentError({
      code: 'invalid_argument',
      message: `the logger must be a function or null, not ${typeof logger}`,
    });
  }
  let warned = false;
  // A logger that throws must not take the process down from inside the addon's thread.
  const safe = logger && ((record) => {
    try {
      logger(record);
    } catch (err) {
      if (!warned) {
        warned = true;
        process.emitWarning(`the highlevel logger threw: ${err?.message ?? err}`);
      }
    }
  });
  try {
    native.setLogger(safe, options?.level);
  } catch (err) {
    throw new InvalidArgumentError({ code: 'invalid_argument', message: err.message });
  }
}

module.exports = {
  Client,
  Sandbox,
  startSandbox,
  setLogger,
  SANDBOX,
  HighLevelError: generated.HighLevelError,
  ...Object.fromEntries(Object.values(generated.ERRORS).map((Class) => [Class.name, Class])),
};
