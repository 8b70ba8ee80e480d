// The hand-written part of the package's types: the client, its options, the sandbox and
// logging. The types made from the description are in index.d.ts, which re-exports these.

import type { ErrorFields, Resources, OperationId } from './index';

/** How a client is set up. Every field falls back to the environment, then a default. */
export interface ClientOptions {
  /** The Maton API key; `MATON_API_KEY` when absent. */
  apiKey?: string;
  /** The base URL of the HighLevel operations; `HIGHLEVEL_BASE_URL`, then Maton's. */
  baseUrl?: string;
  /** The base URL of Maton's connection management; `MATON_BASE_URL`, then Maton's. */
  matonBaseUrl?: string;
  /** The default sub-account connection; `MATON_CONNECTION` when absent. */
  connection?: string;
  /** The connection holding the agency token; `MATON_AGENCY_CONNECTION` when absent. */
  agencyConnection?: string;
  /** A sub-account connection per location id; `MATON_LOCATION_CONNECTIONS` adds more. */
  locationConnections?: Record<string, string>;
  /** Direct mode: call HighLevel itself with this token, without Maton. */
  directToken?: string;
  /** A `Version` header for every request instead of each operation's own. */
  apiVersion?: string;
  /** The longest a whole call may take, in milliseconds (30000 unless set). */
  timeout?: number;
  /** The longest connecting may take, in milliseconds (10000 unless set). */
  connectTimeout?: number;
  /** How failed attempts are retried; `false` turns retries off. */
  retry?: boolean | RetryOptions;
  /** The rate the client holds itself to; `false` turns the limiter off. */
  rateLimit?: boolean | RateLimitOptions;
  /** Refuse every create, update and delete before it is sent. */
  readOnly?: boolean;
  /**
   * Asked about every create, update and delete before it is sent. Return (or resolve to)
   * `true` to send it; `false`, a string (the reason) or a throw refuses it, and the call
   * fails with a `RefusedError`. Anything else refuses it too, so a callback that forgets
   * to answer cannot let a write through.
   */
  approveWrites?: (write: WriteRequest) => boolean | string | Promise<boolean | string>;
  /** The `User-Agent` header. */
  userAgent?: string;
}

/** How failed attempts are retried. */
export interface RetryOptions {
  /** Attempts in all, the first one included (4 unless set). */
  maxAttempts?: number;
  /** The wait before the first retry, in milliseconds; each later one doubles it. */
  initialBackoff?: number;
  /** The longest wait between two attempts, in milliseconds. */
  maxBackoff?: number;
}

/** The rate the client holds itself to before the service reports its own limits. */
export interface RateLimitOptions {
  /** Requests allowed in one window (100 unless set). */
  burst?: number;
  /** The window, in milliseconds (10000 unless set). */
  interval?: number;
}

/** What a single call may change. */
export interface CallOptions {
  /** Aborts the call (or the walk); it then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** The `Maton-Connection` to send, whatever the operation's token type. */
  connection?: string;
  /** The longest this call may take, in milliseconds. */
  timeout?: number;
}

/** A create, update or delete about to be sent, as the approval callback sees it. */
export interface WriteRequest {
  /** The operationId, such as `createContact`. */
  operation: string;
  /** The HTTP method. */
  method: string;
  /** The path parameters, which name what the write acts on (`contactId`, ...). */
  targets: Record<string, string>;
  /** The JSON body, when there is one. */
  body: unknown;
}

/** One page of a paginated operation. */
export interface Page<Item = unknown, Body = unknown> {
  /** The page's items. */
  items: Item[];
  /** The whole answer, items included, with every field the service sent. */
  body: Body;
}

/** A successful answer of `Client.call`. */
export interface Answer<Body = unknown> {
  /** The HTTP status (200 or 201). */
  status: number;
  /** The response headers, names in lower case. */
  headers: Record<string, string>;
  /** The JSON body, with every field the service sent (`null` for an empty body). */
  body: Body;
}

/**
 * A client of the HighLevel API. The operations are grouped by resource:
 * `client.contacts.list({ locationId })`, `client.contacts.iterate({ locationId })`.
 */
export declare class Client {
  /**
   * Builds a client from `options`, falling back to the environment.
   * @throws {InvalidArgumentError} When a setting is missing or malformed.
   */
  constructor(options?: ClientOptions);
  /**
   * Calls any operation by its operationId, with path and query parameters by their wire
   * names and an optional JSON body. The resource groups' methods call this.
   * @returns The status, headers and body of the answer.
   * @throws {HighLevelError} A subclass per kind of failure.
   */
  call<Body = unknown>(
    operation: OperationId,
    params?: Record<string, unknown>,
    body?: unknown,
    options?: CallOptions,
  ): Promise<Answer<Body>>;
}
export interface Client extends Resources {}

/** What `startSandbox` takes; every field is optional. */
export interface SandboxOptions {
  /** The API key requests must carry (`sandbox-key` unless set). */
  apiKey?: string;
  /** The seed of the demo data: the same seed gives the same ids. */
  seed?: number;
  /** How many contacts each location gets (300 unless set). */
  contactsPerLocation?: number;
  /** The limits the sandbox enforces; `false` for limits no test reaches. */
  rateLimits?: boolean | { burst?: number; interval?: number; daily?: number };
  /** The port on 127.0.0.1; 0 (the default) lets the system pick a free one. */
  port?: number;
}

/** A fault for the sandbox to inject, as its control API takes it. */
export interface Fault {
  /** The operationId it hits; every operation when absent. */
  operation?: string;
  /** What goes wrong. */
  kind:
    | 'latency'
    | 'status'
    | 'reset-before'
    | 'reset-after'
    | 'truncated-json'
    | 'invalid-json'
    | 'html-502';
  /** For `latency`: how long the sandbox waits before answering. */
  latencyMs?: number;
  /** For `status`: the status to answer with (400 to 599). */
  status?: number;
  /** How many requests it hits; all of them when absent. */
  times?: number;
}

/** One request as the sandbox saw it. */
export interface SandboxRequest {
  method: string;
  path: string;
  query: string;
  operation: string | null;
  connection: string | null;
  status: number;
  processed: boolean;
  [key: string]: unknown;
}

/** A running sandbox: an offline, stateful HighLevel and Maton, for tests. */
export declare class Sandbox {
  private constructor();
  /** The root URL: Maton's connection API and the control API live here. */
  readonly url: string;
  /** The base URL of the HighLevel operations (a client's `baseUrl`). */
  readonly proxyUrl: string;
  /** The API key the sandbox expects. */
  readonly apiKey: string;
  /** Options for a client of this sandbox, with its demo connections configured. */
  clientOptions(): ClientOptions;
  /** Injects a fault. */
  addFault(fault: Fault): Promise<void>;
  /** Removes every fault. */
  clearFaults(): Promise<void>;
  /** The requests the sandbox received, oldest first. */
  requests(): Promise<SandboxRequest[]>;
  /** Forgets the requests received so far. */
  clearRequests(): Promise<void>;
  /** Starts over from the demo data. */
  reset(): Promise<void>;
  /** Stops the sandbox. */
  stop(): Promise<void>;
}

/**
 * Starts a sandbox inside this process, on 127.0.0.1 and a free port.
 * @example
 * const sandbox = await startSandbox();
 * const client = new Client(sandbox.clientOptions());
 */
export declare function startSandbox(options?: SandboxOptions): Promise<Sandbox>;

/** The ids of the sandbox's demo data. */
export declare const SANDBOX: {
  readonly companyId: string;
  readonly locationIds: readonly [string, string];
  readonly agencyConnection: string;
  readonly locationConnections: readonly [string, string];
};

/** One log record of the SDK. Never carries the API key or a token. */
export interface LogRecord {
  level: 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /** The Rust module that logged it, such as `highlevel::hooks`. */
  target: string;
  message: string;
  /** The span it happened in, such as `highlevel.request`. */
  span: string | null;
  /** The span's fields (operation, method, attempt, status, duration) and the event's. */
  fields: Record<string, unknown>;
}

/**
 * Sends the SDK's log records to `logger`, at `level` and above (`debug` unless set;
 * `trace` adds request bodies); `null` stops logging.
 */
export declare function setLogger(
  logger: ((record: LogRecord) => void) | null,
  options?: { level?: LogRecord['level'] },
): void;

export type { ErrorFields };
