// Every operation through the resource groups: each must succeed against the sandbox, and
// fail with an UnauthorizedError when the API key is wrong. The sandbox's request log,
// not this file, says which operations ran.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Client, HighLevelError, UnauthorizedError } from '../index.mjs';
import { COMPANY, LOC, answered, client, sandbox } from './support.mjs';

// Each step calls one operation; `keep` names values of its answer for later steps.
const STEPS = [
  ['listUsers', (c) => c.users.list({ locationId: LOC }), { user: (a) => a.users[0].id }],
  [
    'listContacts',
    (c) => c.contacts.list({ locationId: LOC, limit: 5 }),
    { contact: (a) => a.contacts[0].id },
  ],
  [
    'listPipelines',
    (c) => c.opportunities.listPipelines({ locationId: LOC }),
    { pipeline: (a) => a.pipelines[0].id, stage: (a) => a.pipelines[0].stages[1].id },
  ],
  [
    'searchOpportunities',
    (c) => c.opportunities.search({ location_id: LOC, limit: 3 }),
    { opportunity: (a) => a.opportunities[0].id },
  ],
  [
    'listCalendars',
    (c) => c.calendars.list({ locationId: LOC }),
    { calendar: (a) => a.calendars[0].id },
  ],
  ['listCalendarGroups', (c) => c.calendars.listGroups({ locationId: LOC })],
  [
    'listCalendarEvents',
    (c, v) =>
      c.calendars.listEvents({
        locationId: LOC,
        calendarId: v.calendar,
        startTime: '1766000000000',
        endTime: '1769000000000',
      }),
  ],
  [
    'getFreeSlots',
    (c, v) =>
      c.calendars.getFreeSlots({
        calendarId: v.calendar,
        startDate: 1767600000000,
        endDate: 1768200000000,
      }),
  ],
  [
    'searchConversations',
    (c) => c.conversations.search({ locationId: LOC, limit: 2 }),
    { conversation: (a) => a.conversations[0].id },
  ],
  ['getConversation', (c, v) => c.conversations.get({ conversationId: v.conversation })],
  [
    'listConversationMessages',
    (c, v) => c.conversations.listMessages({ conversationId: v.conversation, limit: 2 }),
  ],
  [
    'listBusinesses',
    (c) => c.businesses.list({ locationId: LOC }),
    { business: (a) => a.businesses[0].id },
  ],
  ['getBusiness', (c, v) => c.businesses.get({ businessId: v.business })],
  [
    'listProducts',
    (c) => c.products.list({ locationId: LOC, limit: 3 }),
    { product: (a) => a.products[0]._id },
  ],
  ['getProduct', (c, v) => c.products.get({ productId: v.product, locationId: LOC })],
  [
    'listInvoices',
    (c) => c.invoices.list({ altId: LOC, altType: 'location', limit: 3, offset: 0 }),
    { invoice: (a) => a.invoices[0]._id },
  ],
  [
    'getInvoice',
    (c, v) => c.invoices.get({ invoiceId: v.invoice, altId: LOC, altType: 'location' }),
  ],
  ['listOrders', (c) => c.payments.listOrders({ altId: LOC, altType: 'location', limit: 3 })],
  [
    'listTransactions',
    (c) => c.payments.listTransactions({ altId: LOC, altType: 'location', limit: 3 }),
  ],
  [
    'listSubscriptions',
    (c) => c.payments.listSubscriptions({ altId: LOC, altType: 'location', limit: 3 }),
  ],
  ['listLinks', (c) => c.links.list({ locationId: LOC })],
  ['listWorkflows', (c) => c.workflows.list({ locationId: LOC })],
  ['listCampaigns', (c) => c.campaigns.list({ locationId: LOC })],
  ['listForms', (c) => c.forms.list({ locationId: LOC, limit: 3 })],
  ['listSurveys', (c) => c.surveys.list({ locationId: LOC, limit: 3 })],
  ['listFunnels', (c) => c.funnels.list({ locationId: LOC, limit: 3 })],
  ['listSocialAccounts', (c) => c.socialMedia.listAccounts({ locationId: LOC })],
  ['listSocialCategories', (c) => c.socialMedia.listCategories({ locationId: LOC, limit: 3 })],
  [
    'listMediaFiles',
    (c) => c.medias.listFiles({ altId: LOC, altType: 'location', type: 'image', limit: 3 }),
  ],
  ['listLocationTags', (c) => c.tags.list({ locationId: LOC })],
  ['listCustomFields', (c) => c.customFields.list({ locationId: LOC })],
  ['listCustomValues', (c) => c.customValues.list({ locationId: LOC })],
  ['searchLocations', (c) => c.locations.search({ companyId: COMPANY, limit: 5 })],
  ['getLocation', (c) => c.locations.get({ locationId: LOC })],
  ['listSnapshots', (c) => c.snapshots.list({ companyId: COMPANY })],
  [
    'createLocation',
    (c) => c.locations.create({ companyId: COMPANY, name: 'Walk Location' }),
    { newLocation: (a) => a.id },
  ],
  [
    'updateLocation',
    (c, v) => c.locations.update({ locationId: v.newLocation }, { city: 'Reno' }),
  ],
  ['deleteLocation', (c, v) => c.locations.delete({ locationId: v.newLocation })],
  ['getContact', (c, v) => c.contacts.get({ contactId: v.contact })],
  [
    'createContact',
    (c) => c.contacts.create({ locationId: LOC, firstName: 'Walk', email: 'walk@example.com' }),
    { newContact: (a) => a.contact.id },
  ],
  [
    'updateContact',
    (c, v) => c.contacts.update({ contactId: v.newContact }, { lastName: 'Through' }),
  ],
  [
    'addContactTags',
    (c, v) => c.contacts.addTags({ contactId: v.newContact }, { tags: ['vip', 'walk'] }),
  ],
  [
    'removeContactTags',
    (c, v) => c.contacts.removeTags({ contactId: v.newContact }, { tags: ['walk'] }),
  ],
  [
    'createContactNote',
    (c, v) => c.contacts.createNote({ contactId: v.newContact }, { body: 'first note' }),
    { note: (a) => a.note.id },
  ],
  ['listContactNotes', (c, v) => c.contacts.listNotes({ contactId: v.newContact })],
  [
    'updateContactNote',
    (c, v) =>
      c.contacts.updateNote({ contactId: v.newContact, noteId: v.note }, { body: 'edited' }),
  ],
  [
    'deleteContactNote',
    (c, v) => c.contacts.deleteNote({ contactId: v.newContact, noteId: v.note }),
  ],
  [
    'createContactTask',
    (c, v) =>
      c.contacts.createTask(
        { contactId: v.newContact },
        { title: 'Call', dueDate: '2026-06-01T10:00:00Z', completed: false },
      ),
    { task: (a) => a.task.id },
  ],
  ['listContactTasks', (c, v) => c.contacts.listTasks({ contactId: v.newContact })],
  [
    'updateContactTask',
    (c, v) =>
      c.contacts.updateTask({ contactId: v.newContact, taskId: v.task }, { completed: true }),
  ],
  [
    'deleteContactTask',
    (c, v) => c.contacts.deleteTask({ contactId: v.newContact, taskId: v.task }),
  ],
  ['getOpportunity', (c, v) => c.opportunities.get({ opportunityId: v.opportunity })],
  [
    'createOpportunity',
    (c, v) =>
      c.opportunities.create({
        pipelineId: v.pipeline,
        locationId: LOC,
        name: 'Walk deal',
        status: 'open',
        contactId: v.newContact,
        pipelineStageId: v.stage,
      }),
    { newOpportunity: (a) => a.opportunity.id },
  ],
  [
    'updateOpportunity',
    (c, v) =>
      c.opportunities.update(
        { opportunityId: v.newOpportunity },
        { pipelineId: v.pipeline, status: 'won' },
      ),
  ],
  ['deleteOpportunity', (c, v) => c.opportunities.delete({ opportunityId: v.newOpportunity })],
  ['getCalendar', (c, v) => c.calendars.get({ calendarId: v.calendar })],
  [
    'createCalendar',
    (c) => c.calendars.create({ locationId: LOC, name: 'Walk calendar' }),
    { newCalendar: (a) => a.calendar.id },
  ],
  [
    'updateCalendar',
    (c, v) => c.calendars.update({ calendarId: v.newCalendar }, { name: 'Walk calendar 2' }),
  ],
  ['deleteCalendar', (c, v) => c.calendars.delete({ calendarId: v.newCalendar })],
  [
    'createConversation',
    (c, v) => c.conversations.create({ locationId: LOC, contactId: v.newContact }),
  ],
  ['deleteContact', (c, v) => c.contacts.delete({ contactId: v.newContact })],
  [
    'createLocationTag',
    (c) => c.tags.create({ locationId: LOC }, { name: 'walk-tag' }),
    { tag: (a) => a.tag.id },
  ],
  ['getLocationTag', (c, v) => c.tags.get({ locationId: LOC, tagId: v.tag })],
  [
    'updateLocationTag',
    (c, v) => c.tags.update({ locationId: LOC, tagId: v.tag }, { name: 'walk-tag-2' }),
  ],
  ['deleteLocationTag', (c, v) => c.tags.delete({ locationId: LOC, tagId: v.tag })],
  [
    'createCustomField',
    (c) => c.customFields.create({ locationId: LOC }, { name: 'Walk Field', dataType: 'TEXT' }),
    { field: (a) => a.customField.id },
  ],
  ['getCustomField', (c, v) => c.customFields.get({ locationId: LOC, customFieldId: v.field })],
  [
    'updateCustomField',
    (c, v) =>
      c.customFields.update(
        { locationId: LOC, customFieldId: v.field },
        { name: 'Walk Field 2' },
      ),
  ],
  [
    'deleteCustomField',
    (c, v) => c.customFields.delete({ locationId: LOC, customFieldId: v.field }),
  ],
  [
    'createCustomValue',
    (c) => c.customValues.create({ locationId: LOC }, { name: 'Walk Value', value: 'x' }),
    { value: (a) => a.customValue.id },
  ],
  ['getCustomValue', (c, v) => c.customValues.get({ locationId: LOC, customValueId: v.value })],
  [
    'updateCustomValue',
    (c, v) =>
      c.customValues.update(
        { locationId: LOC, customValueId: v.value },
        { name: 'Walk Value', value: 'y' },
      ),
  ],
  [
    'deleteCustomValue',
    (c, v) => c.customValues.delete({ locationId: LOC, customValueId: v.value }),
  ],
  [
    'createBusiness',
    (c) => c.businesses.create({ locationId: LOC, name: 'Walk Biz' }),
    { newBusiness: (a) => a.buiseness.id },
  ],
  [
    'updateBusiness',
    (c, v) => c.businesses.update({ businessId: v.newBusiness }, { city: 'Reno' }),
  ],
  ['deleteBusiness', (c, v) => c.businesses.delete({ businessId: v.newBusiness })],
  [
    'createProduct',
    (c) => c.products.create({ locationId: LOC, name: 'Walk course', productType: 'DIGITAL' }),
    { newProduct: (a) => a._id },
  ],
  ['deleteProduct', (c, v) => c.products.delete({ productId: v.newProduct, locationId: LOC })],
  [
    'createLink',
    (c) =>
      c.links.create({ locationId: LOC, name: 'Walk link', redirectTo: 'https://example.com' }),
    { link: (a) => a.link.id },
  ],
  [
    'updateLink',
    (c, v) =>
      c.links.update(
        { linkId: v.link },
        { name: 'Walk link 2', redirectTo: 'https://example.com/2' },
      ),
  ],
  ['deleteLink', (c, v) => c.links.delete({ linkId: v.link })],
  ['listConnections', (c) => c.connections.list({ app: 'highlevel-pit' })],
  [
    'createConnection',
    (c) => c.connections.create({ app: 'highlevel-pit' }),
    { connection: (a) => a.connection.connection_id },
  ],
  ['getConnection', (c, v) => c.connections.get({ connectionId: v.connection })],
  ['deleteConnection', (c, v) => c.connections.delete({ connectionId: v.connection })],
];

let box;
before(async () => {
  box = await sandbox();
});
after(() => box.stop());

test('every operation answers through its resource group, and fails without the key', async () => {
  const good = client(box);
  const stranger = client(box, { apiKey: 'not-the-key' });
  const values = {};

  for (const [id, call, keep = {}] of STEPS) {
    await assert.rejects(call(stranger, values), (err) => {
      assert.ok(err instanceof UnauthorizedError, `${id}: ${err}`);
      assert.ok(err instanceof HighLevelError);
      assert.equal(err.status, 401, id);
      assert.equal(err.operation, id);
      return true;
    });

    const answer = await call(good, values);
    assert.equal(typeof answer, 'object', `${id} answered ${answer}`);
    for (const [name, pick] of Object.entries(keep)) {
      values[name] = pick(answer);
      assert.equal(typeof values[name], 'string', `${id}: ${name} in ${JSON.stringify(answer)}`);
    }
  }

  // What reached the sandbox and succeeded, against the description's full list.
  const ran = await answered(box);
  const all = new Set(STEPS.map(([id]) => id));
  const missing = [...all].filter((id) => !ran.has(id));
  assert.deepEqual(missing, [], 'operations that never succeeded');
  assert.equal(ran.size, 85, `operations answered: ${[...ran.keys()].join(', ')}`);
});

test('the resource groups name every operation of the description once', async () => {
  const { OPERATIONS } = await import('../generated.js').then((m) => m.default);
  const ids = Object.values(OPERATIONS).flatMap((group) => Object.values(group));
  assert.equal(ids.length, 85);
  assert.equal(new Set(ids).size, 85);
  assert.deepEqual(new Set(ids), new Set(STEPS.map(([id]) => id)));

  const c = new Client({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9' });
  for (const [group, methods] of Object.entries(OPERATIONS)) {
    for (const method of Object.keys(methods)) {
      assert.equal(typeof c[group][method], 'function', `${group}.${method}`);
    }
  }
});

test('answers keep fields the description does not name', async () => {
  const c = client(box);
  const made = await c.contacts.create({
    locationId: LOC,
    firstName: 'Extra',
    someUndocumentedField: 'kept',
  });
  // The whole answer comes through as sent: the envelope and every field of the contact.
  assert.equal(made.contact.firstName, 'Extra');
  const answer = await c.call('getContact', { contactId: made.contact.id });
  assert.equal(answer.status, 200);
  assert.equal(answer.body.contact.id, made.contact.id);
  assert.match(answer.headers['content-type'], /json/);
});
