"""The README's Python example and the typed example run as written."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def test_the_readme_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (HERE.parents[2] / "README.md").read_text()
    section = readme.split("## Using the Python package", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "the README has no Python example"
    exec(compile(match.group(1), "README.md", "exec"), {"__name__": "__readme__"})

    out = capsys.readouterr().out
    assert "5 contacts on the first page" in out
    assert "301 in all" in out
    assert "not sent: deleteContact: refused by the write guard" in out
    assert "404 ['Contact with id nope not found'] getContact" in out
    assert "users" in out


def test_the_typed_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(HERE.parent / "examples" / "typed_usage.py"), run_name="__main__")
    assert "404" in capsys.readouterr().out
