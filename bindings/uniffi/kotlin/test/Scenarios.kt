// Plays the cross-language scenarios of tests/scenarios/*.json (format in tests/README.md)
// through the Kotlin binding, each against a fresh sandbox, as the Rust runner does.

package highlevel.test

import highlevel.Client
import highlevel.HighLevelException
import highlevel.SandboxOptions
import highlevel.startSandbox
import java.io.File

/** Replaces every `${name}` in the strings of [value] with a saved value. */
private fun fill(value: Any?, saved: Map<String, String>): Any? = when (value) {
    is String -> saved.entries.fold(value) { text, (name, v) -> text.replace("\${$name}", v) }
    is List<*> -> value.map { fill(it, saved) }
    is Map<*, *> -> value.entries.associate { (k, v) -> k as String to fill(v, saved) }
    else -> value
}

suspend fun playScenario(file: File) {
    @Suppress("UNCHECKED_CAST")
    val scenario = Json.parse(file.readText()) as Map<String, Any?>
    val name = scenario["name"] as String
    val sandbox = startSandbox(SandboxOptions())
    try {
        val client = Client(sandbox.clientConfig())
        val saved = mutableMapOf<String, String>()

        @Suppress("UNCHECKED_CAST")
        for ((index, raw) in (scenario["steps"] as List<Map<String, Any?>>).withIndex()) {
            @Suppress("UNCHECKED_CAST")
            val step = fill(raw, saved) as Map<String, Any?>
            val call = step["call"] as String
            val at = "$name, step ${index + 1} ($call)"
            val caller = (step["connection"] as String?)?.let { client.withConnection(it) } ?: client
            @Suppress("UNCHECKED_CAST")
            val expect = (step["expect"] as Map<String, Any?>?) ?: emptyMap()
            val params = Json.write(step["params"] ?: emptyMap<String, Any?>())
            val body = if (step.containsKey("body")) Json.write(step["body"]) else null

            val answer = try {
                val answer = caller.call(call, params, body)
                check(expect["error"] == null) { "$at: expected ${expect["error"]}, got ${answer.bodyJson}" }
                (expect["status"] as Long?)?.let { checkEqual(answer.status.toLong(), it, "$at: status") }
                Json.parse(answer.bodyJson)
            } catch (e: HighLevelException.Failed) {
                val kind = expect["error"] as String? ?: throw AssertionError("$at: ${e.detail}")
                checkEqual(e.code, kind, "$at: error kind (${e.detail})")
                (expect["status"] as Long?)?.let { checkEqual(e.status?.toLong(), it, "$at: status") }
                continue
            }

            @Suppress("UNCHECKED_CAST")
            for ((pointer, expected) in (expect["match"] as Map<String, Any?>?) ?: emptyMap()) {
                checkEqual(Json.pointer(answer, pointer), expected, "$at: $pointer")
            }
            @Suppress("UNCHECKED_CAST")
            for ((pointer, count) in (expect["count"] as Map<String, Any?>?) ?: emptyMap()) {
                val found = (Json.pointer(answer, pointer) as? List<*>)?.size?.toLong()
                checkEqual(found, count, "$at: length of $pointer")
            }
            @Suppress("UNCHECKED_CAST")
            for ((savedName, pointer) in (step["save"] as Map<String, Any?>?) ?: emptyMap()) {
                val value = Json.pointer(answer, pointer as String) as? String
                    ?: throw AssertionError("$at: nothing to save at $pointer")
                saved[savedName] = value
            }
        }
    } finally {
        sandbox.stop()
    }
}
