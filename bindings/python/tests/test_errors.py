"""Each kind of failure raises its own `HighLevelError` subclass, carrying what the service
said, and nothing secret."""

from __future__ import annotations

import pickle
import socket

import pytest

import highlevel

LOC = highlevel.LOCATION_IDS[0]


def raised(call: object) -> highlevel.HighLevelError:
    assert callable(call)
    with pytest.raises(highlevel.HighLevelError) as info:
        call()
    return info.value


def test_not_found_carries_status_messages_and_operation(client: highlevel.Client) -> None:
    error = raised(lambda: client.contacts.get(contact_id="missing"))
    assert type(error) is highlevel.NotFoundError
    assert (error.code, error.status, error.operation) == ("not_found", 404, "getContact")
    assert error.messages and "missing" in error.messages[0]
    assert "404" in str(error)


def test_validation(client: highlevel.Client) -> None:
    calendar = client.calendars.list(location_id=LOC)["calendars"][0]["id"]
    # The service refuses a calendar update that names the location, a field the
    # description leaves out of the body, so it goes as a keyword argument.
    error = raised(lambda: client.calendars.update(calendar_id=calendar, locationId=LOC))
    assert type(error) is highlevel.ValidationError
    assert error.status == 422


def test_forbidden_location(client: highlevel.Client) -> None:
    pinned = client.with_connection(highlevel.LOCATION_CONNECTIONS[0])
    error = raised(lambda: pinned.contacts.list(location_id=highlevel.LOCATION_IDS[1]))
    assert type(error) is highlevel.ForbiddenLocationError
    assert error.status == 403


def test_wrong_token_type(client: highlevel.Client) -> None:
    agency = client.with_connection(highlevel.AGENCY_CONNECTION)
    error = raised(lambda: agency.contacts.list(location_id=LOC))
    assert type(error) is highlevel.WrongTokenTypeError
    assert error.status == 401


def test_unauthorized_never_shows_the_key(sandbox: highlevel.Sandbox) -> None:
    secret = "not-the-key-5f2c9e"
    client = sandbox.client(api_key=secret)
    error = raised(lambda: client.contacts.list(location_id=LOC))
    assert type(error) is highlevel.UnauthorizedError
    shown = [str(error), repr(error), repr(client), str(client.settings)]
    shown += error.messages
    assert all(secret not in text for text in shown), shown


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, highlevel.BadRequestError),
        (429, highlevel.RateLimitedError),
        (500, highlevel.ServerError),
        (502, highlevel.GatewayError),
    ],
)
def test_status_faults(
    sandbox: highlevel.Sandbox, status: int, kind: type[highlevel.HighLevelError]
) -> None:
    client = sandbox.client(max_attempts=1)
    sandbox.add_status(status, "listUsers", times=1)
    try:
        error = raised(lambda: client.users.list(location_id=LOC))
    finally:
        sandbox.clear_faults()
    assert type(error) is kind
    assert error.status == status
    assert error.operation == "listUsers"


def test_gateway_html_page(sandbox: highlevel.Sandbox) -> None:
    client = sandbox.client(max_attempts=1)
    sandbox.add_fault("html_bad_gateway", "listUsers", times=1)
    error = raised(lambda: client.users.list(location_id=LOC))
    assert type(error) is highlevel.GatewayError


def test_timeout(sandbox: highlevel.Sandbox) -> None:
    client = sandbox.client(timeout=0.2, max_attempts=1)
    sandbox.add_latency(2.0, "listUsers", times=1)
    error = raised(lambda: client.users.list(location_id=LOC))
    assert type(error) is highlevel.TimeoutError
    assert isinstance(error, TimeoutError)


def test_connection() -> None:
    # A port that was free a moment ago: nothing listens there.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = highlevel.Client(
        api_key="k", base_url=f"http://127.0.0.1:{port}", connection="c", max_attempts=1
    )
    error = raised(lambda: client.users.list(location_id=LOC))
    assert type(error) is highlevel.ConnectionError
    assert isinstance(error, ConnectionError)


def test_decode(sandbox: highlevel.Sandbox) -> None:
    client = sandbox.client(max_attempts=1)
    sandbox.add_fault("invalid_json", "listUsers", times=1)
    error = raised(lambda: client.users.list(location_id=LOC))
    assert type(error) is highlevel.DecodeError


def test_refused(sandbox: highlevel.Sandbox) -> None:
    client = sandbox.client(read_only=True)
    error = raised(lambda: client.contacts.create(location_id=LOC, first_name="X"))
    assert type(error) is highlevel.RefusedError
    assert "read-only" in str(error)


def test_invalid_argument_names_the_parameter(client: highlevel.Client) -> None:
    error = raised(lambda: client.contacts.get(contact_id=None))  # type: ignore[arg-type]
    assert type(error) is highlevel.InvalidArgumentError
    assert isinstance(error, ValueError)
    assert "contactId" in str(error)


def test_bad_settings_are_invalid_arguments() -> None:
    with pytest.raises(highlevel.InvalidArgumentError, match="MATON_API_KEY"):
        highlevel.Client(from_env=False)
    with pytest.raises(highlevel.InvalidArgumentError, match="timeout"):
        highlevel.Client(api_key="k", timeout=-1, from_env=False)


def test_values_json_cannot_hold_are_refused(client: highlevel.Client) -> None:
    with pytest.raises(TypeError, match=r"body\.when is a datetime"):
        import datetime

        client.contacts.create(location_id=LOC, when=datetime.datetime.now())


def test_errors_pickle_with_their_fields(client: highlevel.Client) -> None:
    error = raised(lambda: client.contacts.get(contact_id="missing"))
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is highlevel.NotFoundError
    assert (copy.status, copy.messages, copy.operation) == (
        error.status,
        error.messages,
        error.operation,
    )
