// The Kotlin tests of the binding, run on the JVM against in-process sandboxes by
// `cargo xtask uniffi-test`. The only argument is the folder of the shared scenarios.

package highlevel.test

import highlevel.Client
import highlevel.ClientConfig
import highlevel.CreateContactRequest
import highlevel.ErrorKind
import highlevel.HighLevelException
import highlevel.Sandbox
import highlevel.SandboxOptions
import highlevel.UpdateContactRequest
import highlevel.WriteApprover
import highlevel.WriteDecision
import highlevel.WriteRequest
import highlevel.asFlow
import highlevel.itemsFlow
import highlevel.startSandbox
import java.io.File
import java.util.Collections
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext

const val LOCATION = "demo-location-1"
const val OTHER_LOCATION = "demo-location-2"
const val COMPANY = "demo-company"

fun main(args: Array<String>): Unit = runBlocking {
    val startedAt = System.nanoTime()
    val scenarios = File(args.getOrElse(0) { "tests/scenarios" })
    val harness = Harness()
    val sandbox = startSandbox(SandboxOptions())
    try {
        val client = Client(sandbox.clientConfig())
        groups(harness, client)
        typedRecords(harness, client, sandbox)
        errors(harness, client, sandbox)
        pagination(harness, client)
        writeGuard(harness, sandbox)
        concurrency(harness, client)
    } finally {
        sandbox.stop()
    }

    val files = scenarios.listFiles { f -> f.name.endsWith(".json") }?.sortedBy { it.name }.orEmpty()
    harness.test("the scenario folder has scenarios") {
        check(files.size >= 20) { "only ${files.size} scenarios in $scenarios" }
    }
    for (file in files) {
        harness.test("scenario ${file.nameWithoutExtension}") { playScenario(file) }
    }
    harness.finish(startedAt)
}

/** A read of every resource group through its typed methods. */
suspend fun groups(h: Harness, client: Client) {
    h.test("businesses") {
        val answer = client.businesses().list(LOCATION)
        check(answer.businesses.orEmpty().isNotEmpty()) { "no businesses: $answer" }
    }
    h.test("calendars") {
        val calendars = client.calendars().list(LOCATION).calendars.orEmpty()
        check(calendars.isNotEmpty()) { "no calendars" }
        val one = client.calendars().get(calendars[0].id!!).calendar
        checkEqual(one?.id, calendars[0].id, "the calendar read by id")
    }
    h.test("products") {
        check(client.products().list(LOCATION).products.orEmpty().isNotEmpty()) { "no products" }
    }
    h.test("invoices") {
        val invoices = client.invoices().list(LOCATION, "location", "5", "0").invoices.orEmpty()
        checkEqual(invoices.size, 5, "invoices on a page of 5")
    }
    h.test("payments") {
        val orders = client.payments().listOrders(LOCATION, altType = "location", limit = 5.0).data
        checkEqual(orders?.size, 5, "orders on a page of 5")
    }
    h.test("connections") {
        val connections = client.connections().list().connections.orEmpty()
        check(connections.any { it.connectionId == "conn-agency" }) {
            "the agency connection is not listed: $connections"
        }
    }
    h.test("contacts") {
        val page = client.contacts().list(LOCATION, limit = 10.0)
        checkEqual(page.contacts?.size, 10, "contacts on a page of 10")
        check(page.contacts!!.all { it.locationId == LOCATION }) { "a contact of another location" }
    }
    h.test("conversations") {
        check(client.conversations().search(LOCATION).conversations.orEmpty().isNotEmpty()) { "none" }
    }
    h.test("tags") {
        check(client.tags().list(LOCATION).tags.orEmpty().isNotEmpty()) { "no tags" }
    }
    h.test("custom-fields") {
        check(client.customFields().list(LOCATION).customFields.orEmpty().isNotEmpty()) { "none" }
    }
    h.test("custom-values") {
        check(client.customValues().list(LOCATION).customValues.orEmpty().isNotEmpty()) { "none" }
    }
    h.test("locations") {
        // The agency's connection sees both locations; a location's own sees only itself.
        val agency = client.withConnection("conn-agency")
        checkEqual(agency.locations().search(COMPANY).locations?.size, 2, "locations")
    }
    h.test("snapshots") {
        checkEqual(client.snapshots().list(COMPANY).snapshots?.size, 2, "snapshots")
    }
    h.test("links") {
        check(client.links().list(LOCATION).links != null) { "no links field" }
    }
    h.test("workflows") {
        check(client.workflows().list(LOCATION).workflows.orEmpty().isNotEmpty()) { "none" }
    }
    h.test("campaigns") {
        check(client.campaigns().list(LOCATION).campaigns.orEmpty().isNotEmpty()) { "none" }
    }
    h.test("forms") {
        check(client.forms().list(LOCATION).forms.orEmpty().isNotEmpty()) { "none" }
    }
    h.test("surveys") {
        check(client.surveys().list(LOCATION).surveys.orEmpty().isNotEmpty()) { "none" }
    }
    h.test("funnels") {
        check(client.funnels().list(LOCATION).funnels.orEmpty().isNotEmpty()) { "none" }
    }
    h.test("social-media") {
        checkEqual(client.socialMedia().listAccounts(LOCATION).success, true, "success")
    }
    h.test("medias") {
        check(client.medias().listFiles("image", LOCATION, "location").files != null) { "no files" }
    }
    h.test("opportunities") {
        check(client.opportunities().listPipelines(LOCATION).pipelines.orEmpty().isNotEmpty()) { "none" }
        check(client.opportunities().search(LOCATION).opportunities != null) { "no opportunities" }
    }
    h.test("users") {
        check(client.users().list(LOCATION).users.orEmpty().isNotEmpty()) { "no users" }
    }
}

/** Typed records in both directions, and nothing lost next to them. */
suspend fun typedRecords(h: Harness, client: Client, sandbox: Sandbox) {
    h.test("a typed body is sent and the typed answer read back") {
        val created = client.contacts().create(
            CreateContactRequest(locationId = LOCATION, firstName = "Ada", lastName = "Lovelace",
                email = "ada@example.com", tags = listOf("kotlin"))
        ).contact!!
        checkEqual(created.firstName, "Ada", "firstName")
        checkEqual(created.tags, listOf("kotlin"), "tags")

        val read = client.contacts().get(created.id!!).contact!!
        checkEqual(read.email, "ada@example.com", "email read back")
        val updated = client.contacts().update(created.id!!, UpdateContactRequest(lastName = "Byron"))
        checkEqual(updated.contact?.lastName, "Byron", "lastName after update")
        checkEqual(client.contacts().delete(created.id!!).succeded, true, "deleted")
    }
    h.test("the typed answer holds what the raw JSON holds") {
        val raw = Json.parse(client.call("getContact", Json.write(mapOf("contactId" to firstContact(client))), null).bodyJson)
        val typed = client.contacts().get(firstContact(client)).contact!!
        checkEqual(typed.id, Json.pointer(raw, "/contact/id"), "id")
        checkEqual(typed.email, Json.pointer(raw, "/contact/email"), "email")
        // Every field the answer has is either typed or kept in extraJson.
        @Suppress("UNCHECKED_CAST")
        val fields = (Json.pointer(raw, "/contact") as Map<String, Any?>).keys
        val extra = typed.extraJson?.let { Json.parse(it) as Map<*, *> }?.keys.orEmpty()
        for (field in fields) {
            val known = field in DOCUMENTED_CONTACT_FIELDS
            check(known || field in extra) { "`$field` is neither typed nor in extraJson" }
        }
    }
    h.test("fields in extraJson are sent with the body") {
        val created = client.contacts().create(
            CreateContactRequest(locationId = LOCATION, firstName = "Extra",
                extraJson = """{"lastName": "FromExtra"}""")
        ).contact!!
        checkEqual(created.lastName, "FromExtra", "lastName sent through extraJson")
        client.contacts().delete(created.id!!)
    }
    h.test("extraJson that is not JSON is refused before sending") {
        val before = sandbox.processed("createContact")
        val e = expectFailure("bad extraJson") {
            client.contacts().create(CreateContactRequest(locationId = LOCATION, extraJson = "{oops"))
        }
        checkEqual(e.kind, ErrorKind.INVALID_ARGUMENT, "kind")
        check(e.detail.contains("extra_json")) { "the error does not name extra_json: ${e.detail}" }
        checkEqual(sandbox.processed("createContact"), before, "createContact requests processed")
    }
}

val DOCUMENTED_CONTACT_FIELDS = setOf(
    "id", "locationId", "name", "contactName", "firstName", "lastName", "email", "phone",
    "companyName", "tags", "type", "dnd", "dndSettings", "inboundDndSettings", "source",
    "assignedTo", "address1", "city", "state", "country", "postalCode", "website", "timezone",
    "dateOfBirth", "dateAdded", "dateUpdated", "lastActivity", "customFields",
    "additionalEmails", "additionalPhones", "businessId", "followers", "attributionSource",
    "lastAttributionSource", "attributions", "visitorId", "deleted", "bounceEmail",
    "unsubscribeEmail",
)

suspend fun firstContact(client: Client): String =
    client.contacts().list(LOCATION, limit = 1.0).contacts!![0].id!!

/** The flat error type, from the service, the client and the configuration. */
suspend fun errors(h: Harness, client: Client, sandbox: Sandbox) {
    h.test("a missing contact is NOT_FOUND with its status and operation") {
        val e = expectFailure("getContact") { client.contacts().get("no-such-contact") }
        checkEqual(e.kind, ErrorKind.NOT_FOUND, "kind")
        checkEqual(e.code, "not_found", "code")
        checkEqual(e.status, 404.toUShort(), "status")
        checkEqual(e.operation, "getContact", "operation")
        check(e.messages.isNotEmpty()) { "no messages" }
        check(e.message.orEmpty().contains("not_found")) { "the exception message: ${e.message}" }
    }
    h.test("a location the connection may not act on is FORBIDDEN_LOCATION") {
        val pinned = client.withConnection("conn-location-1")
        val e = expectFailure("other location") { pinned.contacts().list(OTHER_LOCATION) }
        checkEqual(e.kind, ErrorKind.FORBIDDEN_LOCATION, "kind")
        checkEqual(e.status, 403.toUShort(), "status")
    }
    h.test("a body the service refuses is VALIDATION (422)") {
        val e = expectFailure("validation") {
            client.call("createContactTask", Json.write(mapOf("contactId" to firstContact(client))),
                """{"title": "t", "dueDate": "2030-01-01T00:00:00Z", "completed": "yes"}""")
        }
        checkEqual(e.code, "validation", "code (${e.detail})")
        checkEqual(e.status, 422.toUShort(), "status")
    }
    h.test("an unknown operation, parameter or bad JSON is INVALID_ARGUMENT, nothing sent") {
        for ((what, call) in listOf<Pair<String, suspend () -> Unit>>(
            "unknown operation" to { client.call("noSuchOperation", "{}", null) },
            "unknown parameter" to { client.call("listContacts", """{"locationId":"x","bogus":1}""", null) },
            "parameters not JSON" to { client.call("listContacts", "{", null) },
            "missing body" to { client.call("createContact", "{}", null) },
        )) {
            val e = expectFailure(what) { call() }
            checkEqual(e.kind, ErrorKind.INVALID_ARGUMENT, "$what: kind (${e.detail})")
        }
    }
    h.test("a configuration without an API key is refused, naming the setting") {
        val saved = try {
            Client(ClientConfig(baseUrl = sandbox.proxyUrl()))
            null
        } catch (e: HighLevelException.Failed) {
            e
        }
        check(saved != null) { "a client was built without an API key" }
        checkEqual(saved!!.kind, ErrorKind.INVALID_ARGUMENT, "kind")
        check(saved.detail.contains("MATON_API_KEY")) { "the error does not say how: ${saved.detail}" }
    }
    h.test("the API key never appears in an error") {
        val bad = Client(sandbox.clientConfig().copy(apiKey = "secret-key-123", maxAttempts = 1u))
        val e = expectFailure("wrong key") { bad.contacts().list(LOCATION) }
        checkEqual(e.kind, ErrorKind.UNAUTHORIZED, "kind")
        check(!e.toString().contains("secret-key-123") && !e.detail.contains("secret-key-123")) {
            "the key leaked: $e"
        }
    }
    h.test("a stopped server is a CONNECTION error") {
        val other = startSandbox(SandboxOptions(contactsPerLocation = 1u))
        val lonely = Client(other.clientConfig().copy(maxAttempts = 1u))
        other.stop()
        val e = expectFailure("stopped") { lonely.contacts().list(LOCATION) }
        checkEqual(e.kind, ErrorKind.CONNECTION, "kind")
    }
    h.test("fromEnv takes the configuration's settings over the environment") {
        val fromEnv = Client.fromEnv(sandbox.clientConfig())
        checkEqual(fromEnv.contacts().list(LOCATION, limit = 2.0).contacts?.size, 2, "contacts")
    }
}

/** Pagination through the Pages object and its Flow. */
suspend fun pagination(h: Harness, client: Client) {
    h.test("every contact of a location arrives once through the items Flow") {
        val ids = client.contacts().listPages(LOCATION, limit = 100.0).itemsFlow()
            .map { Json.pointer(Json.parse(it), "/id") as String }
            .toList()
        checkEqual(ids.size, 300, "contacts")
        checkEqual(ids.toSet().size, 300, "distinct contacts")
    }
    h.test("the pages Flow ends after the last page") {
        val pages = client.contacts().listPages(LOCATION, limit = 100.0).asFlow().toList()
        checkEqual(pages.map { it.itemsJson.size }, listOf(100, 100, 100), "page sizes")
    }
    h.test("next() answers null after the last page, and again after that") {
        val pages = client.pages("listContacts", """{"locationId":"$LOCATION","limit":100}""")
        for (n in 1..3) checkEqual(pages.next()?.itemsJson?.size, 100, "page $n")
        checkEqual(pages.next(), null, "after the last page")
        checkEqual(pages.next(), null, "asked again")
    }
    h.test("an operation that does not paginate is refused") {
        val e = try {
            client.pages("getContact", """{"contactId":"x"}""")
            null
        } catch (e: HighLevelException.Failed) {
            e
        }
        checkEqual(e?.kind, ErrorKind.INVALID_ARGUMENT, "kind")
    }
    h.test("an error of the service ends the Flow with the exception") {
        val pinned = client.withConnection("conn-location-1")
        val e = expectFailure("flow") { pinned.contacts().listPages(OTHER_LOCATION).asFlow().toList() }
        checkEqual(e.kind, ErrorKind.FORBIDDEN_LOCATION, "kind")
    }
}

/** The write guard: a Kotlin approver, and read-only mode. */
suspend fun writeGuard(h: Harness, sandbox: Sandbox) {
    h.test("an approver that refuses stops the write before it is sent") {
        val seen = Collections.synchronizedList(mutableListOf<WriteRequest>())
        val refusing = object : WriteApprover {
            override fun approve(write: WriteRequest): WriteDecision {
                seen += write
                return WriteDecision.Refuse("not today")
            }
        }
        val client = Client(sandbox.clientConfig(), refusing)
        val before = sandbox.processed("createContact")
        val e = expectFailure("refused") {
            client.contacts().create(CreateContactRequest(locationId = LOCATION, firstName = "No"))
        }
        checkEqual(e.kind, ErrorKind.REFUSED, "kind")
        check(e.detail.contains("not today")) { "the reason is not in the error: ${e.detail}" }
        checkEqual(sandbox.processed("createContact"), before, "createContact requests processed")
        checkEqual(seen.map { it.operation }, listOf("createContact"), "writes seen")
        check(seen[0].bodyJson!!.contains("\"No\"")) { "the approver did not see the body" }
        // Reads are not asked about.
        client.contacts().list(LOCATION, limit = 1.0)
        checkEqual(seen.size, 1, "writes seen after a read")
    }
    h.test("an approver that approves lets the write through and sees its targets") {
        val seen = Collections.synchronizedList(mutableListOf<WriteRequest>())
        val approving = object : WriteApprover {
            override fun approve(write: WriteRequest): WriteDecision {
                seen += write
                return WriteDecision.Approve
            }
        }
        val client = Client(sandbox.clientConfig(), approving)
        val id = firstContact(client)
        client.contacts().update(id, UpdateContactRequest(city = "Paris"))
        checkEqual(seen.single().targets, mapOf("contactId" to id), "targets")
        checkEqual(seen.single().method, "PUT", "method")
    }
    h.test("an approver that throws refuses the write") {
        val throwing = object : WriteApprover {
            override fun approve(write: WriteRequest): WriteDecision = throw IllegalStateException("boom")
        }
        val client = Client(sandbox.clientConfig(), throwing)
        val before = sandbox.processed("createContact")
        val e = expectFailure("throwing approver") {
            client.contacts().create(CreateContactRequest(locationId = LOCATION, firstName = "T"))
        }
        checkEqual(e.kind, ErrorKind.REFUSED, "kind")
        check(e.detail.contains("boom")) { "the approver's failure is not in the error: ${e.detail}" }
        checkEqual(sandbox.processed("createContact"), before, "createContact requests processed")
    }
    h.test("a read-only client refuses writes and still reads") {
        val client = Client(sandbox.clientConfig().copy(readOnly = true))
        val before = sandbox.processed("deleteContact")
        val id = firstContact(client)
        val e = expectFailure("read-only") { client.contacts().delete(id) }
        checkEqual(e.kind, ErrorKind.REFUSED, "kind")
        checkEqual(sandbox.processed("deleteContact"), before, "deleteContact requests processed")
        checkEqual(client.contacts().get(id).contact?.id, id, "the contact is still there")
    }
}

/** Many calls at once from coroutines on several threads. */
suspend fun concurrency(h: Harness, client: Client) {
    h.test("50 concurrent calls from coroutines all answer, each with its own result") {
        val ids = client.contacts().list(LOCATION, limit = 50.0).contacts!!.map { it.id!! }
        val read = withContext(Dispatchers.Default) {
            ids.map { id -> async { client.contacts().get(id).contact!!.id } }.awaitAll()
        }
        checkEqual(read, ids, "ids read concurrently")
    }
    h.test("concurrent walks of two locations do not mix") {
        val (first, second) = withContext(Dispatchers.Default) {
            listOf(LOCATION, OTHER_LOCATION).map { location ->
                async {
                    client.contacts().listPages(location, limit = 50.0).itemsFlow()
                        .map { Json.pointer(Json.parse(it), "/locationId") }.toList()
                }
            }.awaitAll()
        }
        checkEqual(first.toSet(), setOf<Any?>(LOCATION), "first walk")
        checkEqual(second.toSet(), setOf<Any?>(OTHER_LOCATION), "second walk")
        checkEqual(first.size + second.size, 600, "contacts in both")
    }
}
