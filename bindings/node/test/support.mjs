// What the tests share: a sandbox per test file, with rate limits no test reaches, and
// clients of it.
import { Client, SANDBOX, startSandbox } from '../index.mjs';

export const LOC = SANDBOX.locationIds[0];
export const LOC2 = SANDBOX.locationIds[1];
export const COMPANY = SANDBOX.companyId;

/** A sandbox that no test's pace can rate-limit. */
export function sandbox(options = {}) {
  return startSandbox({ rateLimits: false, ...options });
}

/** A client of `box` with its demo connections, no client-side limiter and no retries. */
export function client(box, options = {}) {
  return new Client({ ...box.clientOptions(), rateLimit: false, retry: false, ...options });
}

/** The operationIds the sandbox answered with a success, by how often. */
export async function answered(box) {
  const counts = new Map();
  for (const request of await box.requests()) {
    if (request.operation && request.status >= 200 && request.status < 300) {
      counts.set(request.operation, (counts.get(request.operation) ?? 0) + 1);
    }
  }
  return counts;
}
