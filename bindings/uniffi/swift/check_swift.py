"""Checks the Swift package without a Swift compiler (none exists for Debian).

Usage: check_swift.py SOURCES OPERATIONS_JSON

Every `.swift` file under SOURCES must parse with tree-sitter-swift without an error or a
missing node, and every operation in OPERATIONS_JSON (a list of [class, method,
operationId]) must be a method of that class. Only syntax is checked, not types.
"""

import json
import pathlib
import re
import sys

import tree_sitter_swift
from tree_sitter import Language, Parser

# The grammar does not know this attribute, which uniffi puts on its internal helpers. It is
# blanked out (same length, so positions stay right) rather than taught to the grammar.
UNKNOWN_ATTRIBUTE = re.compile(rb"@_documentation\(visibility:\s*\w+\)")


def problems(node, out):
    """Collects the syntax errors under `node` as (line, column, what)."""
    if node.type == "ERROR" or node.is_missing:
        what = "missing " + node.type if node.is_missing else "syntax error"
        out.append((node.start_point[0] + 1, node.start_point[1] + 1, what))
        return
    if node.has_error:
        for child in node.children:
            problems(child, out)


def methods_by_class(node, out):
    """Maps each class (and extension) name to the names of the functions in its body."""
    if node.type == "class_declaration":
        name = node.child_by_field_name("name")
        body = node.child_by_field_name("body")
        if name is not None and body is not None:
            found = out.setdefault(name.text.decode(), set())
            for member in body.children:
                if member.type == "function_declaration":
                    function = member.child_by_field_name("name")
                    if function is not None:
                        found.add(function.text.decode())
    for child in node.children:
        methods_by_class(child, out)


def main():
    sources, operations = pathlib.Path(sys.argv[1]), sys.argv[2]
    parser = Parser(Language(tree_sitter_swift.language()))
    failures = []
    classes = {}

    files = sorted(sources.rglob("*.swift"))
    if not files:
        failures.append(f"no Swift files under {sources}")
    for path in files:
        text = UNKNOWN_ATTRIBUTE.sub(lambda m: b" " * len(m.group(0)), path.read_bytes())
        tree = parser.parse(text)
        found = []
        problems(tree.root_node, found)
        for line, column, what in found[:20]:
            failures.append(f"{path}:{line}:{column}: {what}")
        methods_by_class(tree.root_node, classes)

    expected = json.loads(pathlib.Path(operations).read_text())
    for cls, method, operation in expected:
        if method not in classes.get(cls, set()):
            failures.append(f"{operation}: no method `{method}` in the Swift class `{cls}`")

    for failure in failures:
        print(failure)
    print(
        f"swift: {len(files)} file(s) parsed, {len(expected)} operations expected, "
        f"{len(failures)} problem(s)"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
