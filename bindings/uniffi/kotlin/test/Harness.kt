// A minimal test runner: named suspending tests, each timed, failures collected, and a
// non-zero exit when any failed. kotlin.test would need a test framework on the classpath
// for little gain here.

package highlevel.test

import kotlin.system.exitProcess

class Harness {
    private var passed = 0
    private val failed = mutableListOf<String>()

    suspend fun test(name: String, body: suspend () -> Unit) {
        val start = System.nanoTime()
        try {
            body()
            passed++
            println("ok    $name (${(System.nanoTime() - start) / 1_000_000} ms)")
        } catch (e: Throwable) {
            failed += name
            println("FAIL  $name: $e")
            e.printStackTrace(System.out)
        }
    }

    fun finish(startedAt: Long): Nothing {
        val seconds = (System.nanoTime() - startedAt) / 1e9
        println("kotlin tests: $passed passed, ${failed.size} failed in ${"%.1f".format(seconds)} s")
        for (name in failed) println("  failed: $name")
        exitProcess(if (failed.isEmpty() && passed > 0) 0 else 1)
    }
}

fun check(condition: Boolean, what: () -> String) {
    if (!condition) throw AssertionError(what())
}

fun <T> checkEqual(actual: T, expected: T, what: String) {
    if (actual != expected) throw AssertionError("$what: expected <$expected>, got <$actual>")
}

/** Runs [body], which must fail with a HighLevelException; returns it. */
suspend fun expectFailure(what: String, body: suspend () -> Unit): highlevel.HighLevelException.Failed {
    try {
        body()
    } catch (e: highlevel.HighLevelException.Failed) {
        return e
    }
    throw AssertionError("$what: expected a HighLevelException, but the call succeeded")
}
