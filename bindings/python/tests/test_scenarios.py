"""Plays the cross-language scenarios of `tests/scenarios/` (format in `tests/README.md`)
through the generated resource methods, each against a fresh sandbox."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path
from typing import Any

import pytest

import highlevel
from highlevel._resources import _OPERATIONS

SCENARIOS = sorted((Path(__file__).parents[3] / "tests" / "scenarios").glob("*.json"))


def fill(value: Any, saved: dict[str, str]) -> Any:
    """`value` with every `${name}` in its strings replaced by a saved value."""
    if isinstance(value, str):
        return re.sub(r"\$\{(\w+)\}", lambda m: saved[m.group(1)], value)
    if isinstance(value, list):
        return [fill(v, saved) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, saved) for k, v in value.items()}
    return value


def pointer(document: Any, path: str) -> Any:
    """The value at a JSON pointer, or a `KeyError` naming it."""
    for token in path.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        document = document[int(token)] if isinstance(document, list) else document[token]
    return document


def call(client: highlevel.Client, step: dict[str, Any]) -> Any:
    """Calls the step's operation through its generated method, with Python names."""
    group, method, names = _OPERATIONS[step["call"]]
    kwargs = {names[wire]: value for wire, value in step.get("params", {}).items()}
    bound = getattr(getattr(client, group), method)
    # A required argument the step leaves out is passed as None, so that the core, not
    # Python's signature check, refuses the call, as in every other language.
    for name, parameter in inspect.signature(bound).parameters.items():
        if parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty:
            kwargs.setdefault(name, None)
    if "body" in step:
        return bound(step["body"], **kwargs)
    return bound(**kwargs)


def test_there_is_a_scenario_for_every_group() -> None:
    groups = {group for group, _, _ in _OPERATIONS.values()}
    files = {path.stem.replace("-", "_") for path in SCENARIOS}
    assert groups <= files, groups - files


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_plays_as_written(path: Path) -> None:
    scenario = json.loads(path.read_text())
    with highlevel.Sandbox() as sandbox:
        client = sandbox.client()
        saved: dict[str, str] = {}
        for index, step in enumerate(scenario["steps"], 1):
            step = fill(step, saved)
            at = f"{scenario['name']}, step {index} ({step['call']})"
            caller = client.with_connection(step["connection"]) if "connection" in step else client
            expect = step.get("expect", {})

            if "error" in expect:
                with pytest.raises(highlevel.HighLevelError) as raised:
                    call(caller, step)
                assert raised.value.code == expect["error"], f"{at}: {raised.value}"
                if "status" in expect:
                    assert raised.value.status == expect["status"], at
                continue

            answer = call(caller, step)
            for path_, value in expect.get("match", {}).items():
                assert pointer(answer, path_) == value, f"{at}: {path_} in {answer}"
            for path_, count in expect.get("count", {}).items():
                assert len(pointer(answer, path_)) == count, f"{at}: {path_} in {answer}"
            for name, path_ in step.get("save", {}).items():
                saved[name] = pointer(answer, path_)
