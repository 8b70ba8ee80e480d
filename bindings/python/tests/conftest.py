"""Fixtures: a sandbox served from the test process, and clients set up for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import highlevel


@pytest.fixture(scope="session")
def sandbox() -> Iterator[highlevel.Sandbox]:
    """One sandbox for the tests that only add data of their own; faults are cleared after
    each test by `client`."""
    with highlevel.Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def client(sandbox: highlevel.Sandbox) -> Iterator[highlevel.Client]:
    yield sandbox.client()
    sandbox.clear_faults()


@pytest.fixture
def aclient(sandbox: highlevel.Sandbox) -> Iterator[highlevel.AsyncClient]:
    yield sandbox.async_client()
    sandbox.clear_faults()


@pytest.fixture
def fresh() -> Iterator[highlevel.Sandbox]:
    """A sandbox of its own, for tests that count requests or change shared data."""
    with highlevel.Sandbox() as sandbox:
        yield sandbox
