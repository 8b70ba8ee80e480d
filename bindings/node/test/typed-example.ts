// A typed use of the package, compiled with `tsc --strict` by the tests (and run from an
// installed tarball by the packaging test). The `@ts-expect-error` lines prove that the
// types refuse what they should: tsc fails if one of them compiles cleanly.
import {
  Client,
  HighLevelError,
  NotFoundError,
  SANDBOX,
  startSandbox,
  type Contact,
  type ListContactsParams,
  type WriteRequest,
} from 'highlevel';

async function main(): Promise<void> {
  const sandbox = await startSandbox({ rateLimits: false });
  const asked: WriteRequest[] = [];
  const client = new Client({
    ...sandbox.clientOptions(),
    approveWrites: async (write) => {
      asked.push(write);
      return write.operation === 'createContact';
    },
  });

  const params: ListContactsParams = { locationId: SANDBOX.locationIds[0], limit: 10 };
  const page = await client.contacts.list(params);
  const first: Contact | undefined = page.contacts?.[0];
  const name: string | null | undefined = first?.firstName;

  let count = 0;
  for await (const contact of client.contacts.iterate(params)) {
    const id: string | undefined = contact.id;
    if (id) {
      count += 1;
    }
  }

  const made = await client.contacts.create({ locationId: params.locationId, firstName: 'Typed' });
  const madeId: string | undefined = made.contact?.id;

  try {
    await client.contacts.get({ contactId: 'no-such-contact' });
  } catch (err) {
    if (err instanceof NotFoundError) {
      const status: number | null = err.status;
      const messages: string[] = err.messages;
      console.log(`not found (${status}): ${messages.join('; ')}`);
    } else if (err instanceof HighLevelError) {
      throw err;
    }
  }

  // @ts-expect-error: listContacts requires locationId.
  await client.contacts.list({}).catch(() => undefined);
  // @ts-expect-error: limit is a number.
  await client.contacts.list({ locationId: 'x', limit: 'ten' }).catch(() => undefined);
  // @ts-expect-error: there is no such resource group.
  client.nonsense;

  console.log(
    `typed example: ${count} contacts, first ${name}, made ${madeId}, asked ${asked.length}`,
  );
  await sandbox.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
