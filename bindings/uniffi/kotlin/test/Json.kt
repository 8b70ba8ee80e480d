// A small JSON reader and writer for the tests: the scenarios are JSON files, and the JVM
// has no JSON library without extra dependencies. Numbers are read as Long when whole and
// Double otherwise, so that values read from two documents compare equal.

package highlevel.test

class JsonException(what: String) : Exception(what)

object Json {
    fun parse(text: String): Any? {
        val reader = Reader(text)
        val value = reader.value()
        reader.skipSpace()
        if (reader.pos != text.length) throw JsonException("trailing text at ${reader.pos}")
        return value
    }

    fun write(value: Any?): String = StringBuilder().also { write(value, it) }.toString()

    private fun write(value: Any?, out: StringBuilder) {
        when (value) {
            null -> out.append("null")
            is String -> quote(value, out)
            is Boolean, is Long, is Int -> out.append(value.toString())
            is Double -> out.append(if (value % 1.0 == 0.0) value.toLong().toString() else value.toString())
            is Map<*, *> -> {
                out.append('{')
                value.entries.forEachIndexed { i, (k, v) ->
                    if (i > 0) out.append(',')
                    quote(k as String, out)
                    out.append(':')
                    write(v, out)
                }
                out.append('}')
            }
            is List<*> -> {
                out.append('[')
                value.forEachIndexed { i, v ->
                    if (i > 0) out.append(',')
                    write(v, out)
                }
                out.append(']')
            }
            else -> throw JsonException("cannot write ${value::class}")
        }
    }

    private fun quote(text: String, out: StringBuilder) {
        out.append('"')
        for (c in text) {
            when {
                c == '"' -> out.append("\\\"")
                c == '\\' -> out.append("\\\\")
                c == '\n' -> out.append("\\n")
                c < ' ' -> out.append(String.format("\\u%04x", c.code))
                else -> out.append(c)
            }
        }
        out.append('"')
    }

    /** The value at a JSON pointer (`/contact/id`), or [Missing]. */
    fun pointer(value: Any?, pointer: String): Any? {
        if (pointer.isEmpty()) return value
        var current = value
        for (raw in pointer.removePrefix("/").split('/')) {
            val key = raw.replace("~1", "/").replace("~0", "~")
            current = when (current) {
                is Map<*, *> -> if (current.containsKey(key)) current[key] else return Missing
                is List<*> -> key.toIntOrNull()?.let { current.getOrNull(it) } ?: return Missing
                else -> return Missing
            }
        }
        return current
    }

    object Missing {
        override fun toString() = "<missing>"
    }

    private class Reader(val text: String) {
        var pos = 0

        fun skipSpace() {
            while (pos < text.length && text[pos].isWhitespace()) pos++
        }

        fun value(): Any? {
            skipSpace()
            if (pos >= text.length) throw JsonException("unexpected end")
            return when (val c = text[pos]) {
                '{' -> obj()
                '[' -> list()
                '"' -> string()
                't' -> literal("true", true)
                'f' -> literal("false", false)
                'n' -> literal("null", null)
                else -> if (c == '-' || c.isDigit()) number() else throw JsonException("unexpected '$c' at $pos")
            }
        }

        private fun literal(word: String, value: Any?): Any? {
            if (!text.startsWith(word, pos)) throw JsonException("bad literal at $pos")
            pos += word.length
            return value
        }

        private fun number(): Any {
            val start = pos
            while (pos < text.length && (text[pos].isDigit() || text[pos] in "+-.eE")) pos++
            val raw = text.substring(start, pos)
            return raw.toLongOrNull() ?: raw.toDouble().let { if (it % 1.0 == 0.0 && Math.abs(it) < 9e15) it.toLong() else it }
        }

        private fun string(): String {
            pos++
            val out = StringBuilder()
            while (true) {
                if (pos >= text.length) throw JsonException("unterminated string")
                val c = text[pos++]
                when (c) {
                    '"' -> return out.toString()
                    '\\' -> {
                        val e = text[pos++]
                        when (e) {
                            'n' -> out.append('\n')
                            't' -> out.append('\t')
                            'r' -> out.append('\r')
                            'b' -> out.append('\b')
                            'f' -> out.append('\u000c')
                            'u' -> {
                                out.append(text.substring(pos, pos + 4).toInt(16).toChar())
                                pos += 4
                            }
                            else -> out.append(e)
                        }
                    }
                    else -> out.append(c)
                }
            }
        }

        private fun list(): List<Any?> {
            pos++
            val out = mutableListOf<Any?>()
            skipSpace()
            if (text[pos] == ']') { pos++; return out }
            while (true) {
                out.add(value())
                skipSpace()
                when (text[pos++]) {
                    ',' -> continue
                    ']' -> return out
                    else -> throw JsonException("expected , or ] at ${pos - 1}")
                }
            }
        }

        private fun obj(): Map<String, Any?> {
            pos++
            val out = linkedMapOf<String, Any?>()
            skipSpace()
            if (text[pos] == '}') { pos++; return out }
            while (true) {
                skipSpace()
                val key = string()
                skipSpace()
                if (text[pos++] != ':') throw JsonException("expected : at ${pos - 1}")
                out[key] = value()
                skipSpace()
                when (text[pos++]) {
                    ',' -> continue
                    '}' -> return out
                    else -> throw JsonException("expected , or } at ${pos - 1}")
                }
            }
        }
    }
}
