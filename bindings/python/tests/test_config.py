"""Settings come from keyword arguments and from the environment, as the core reads it;
arguments win. The sandbox is a context manager that stops serving on exit."""

from __future__ import annotations

import pytest

import highlevel

LOC = highlevel.LOCATION_IDS[0]


def test_settings_come_from_the_environment(
    sandbox: highlevel.Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MATON_API_KEY", sandbox.api_key)
    monkeypatch.setenv("HIGHLEVEL_BASE_URL", sandbox.proxy_url)
    monkeypatch.setenv("MATON_BASE_URL", sandbox.url)
    monkeypatch.setenv("MATON_CONNECTION", highlevel.LOCATION_CONNECTIONS[0])
    client = highlevel.Client()
    assert client.users.list(location_id=LOC)["users"]
    assert client.connections.list()["connections"]

    # An argument wins over the environment.
    wrong = highlevel.Client(api_key="not-the-key")
    with pytest.raises(highlevel.UnauthorizedError):
        wrong.users.list(location_id=LOC)
    # And the environment can be ignored altogether.
    with pytest.raises(highlevel.InvalidArgumentError, match="MATON_API_KEY"):
        highlevel.Client(from_env=False)


def test_a_missing_connection_fails_before_sending(fresh: highlevel.Sandbox) -> None:
    client = highlevel.Client(
        api_key=fresh.api_key, base_url=fresh.proxy_url, connection="conn-location-1"
    )
    with pytest.raises(highlevel.InvalidArgumentError, match="agency"):
        client.snapshots.list(company_id=highlevel.COMPANY_ID)
    assert fresh.request_count() == 0


def test_the_sandbox_stops_on_exit() -> None:
    with highlevel.Sandbox(contacts_per_location=5) as sandbox:
        client = sandbox.client(max_attempts=1)
        assert len(list(client.contacts.iter(location_id=LOC))) == 5
    # A new connection finds nothing listening.
    with pytest.raises(highlevel.ConnectionError):
        sandbox.client(max_attempts=1).users.list(location_id=LOC)
