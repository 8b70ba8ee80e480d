"""The write guard: read-only mode, and approval callbacks (plain or async) that see every
write before it is sent. A refused write never reaches the service."""

from __future__ import annotations

from typing import Any

import pytest

import highlevel

LOC = highlevel.LOCATION_IDS[0]


def test_read_only_refuses_writes_and_lets_reads_through(fresh: highlevel.Sandbox) -> None:
    client = fresh.client(read_only=True)
    assert client.contacts.list(location_id=LOC, limit=1)["contacts"]
    with pytest.raises(highlevel.RefusedError):
        client.contacts.create(location_id=LOC, first_name="Nope")
    assert fresh.processed("createContact") == 0


def test_the_callback_sees_the_write_and_approves_it(fresh: highlevel.Sandbox) -> None:
    seen: list[Any] = []

    def approve(write: Any) -> bool:
        seen.append(write)
        return True

    client = fresh.client(approve=approve)
    contact = client.contacts.list(location_id=LOC, limit=1)["contacts"][0]["id"]
    assert seen == [], "reads are not asked about"
    client.contacts.update(contact_id=contact, first_name="Approved")

    assert seen == [
        {
            "operation": "updateContact",
            "method": "PUT",
            "targets": {"contactId": contact},
            "body": {"firstName": "Approved"},
        }
    ]
    assert fresh.processed("updateContact") == 1


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (False, "said no"),
        ("not on Fridays", "not on Fridays"),
        (None, "must answer True"),
    ],
)
def test_anything_but_true_refuses(fresh: highlevel.Sandbox, answer: Any, reason: str) -> None:
    client = fresh.client(approve=lambda write: answer)
    with pytest.raises(highlevel.RefusedError, match=reason):
        client.contacts.create(location_id=LOC, first_name="Nope")
    assert fresh.processed("createContact") == 0


def test_a_callback_that_raises_refuses(fresh: highlevel.Sandbox) -> None:
    def approve(write: Any) -> bool:
        raise RuntimeError("the reviewer is away")

    client = fresh.client(approve=approve)
    with pytest.raises(highlevel.RefusedError, match="the reviewer is away"):
        client.contacts.delete(contact_id="any")
    assert fresh.processed("deleteContact") == 0


async def test_an_async_callback_on_the_async_client(fresh: highlevel.Sandbox) -> None:
    asked: list[str] = []

    async def approve(write: Any) -> bool:
        asked.append(write["operation"])
        return bool(write["body"]["firstName"] != "Mallory")

    client = fresh.async_client(approve=approve)
    await client.contacts.create(location_id=LOC, first_name="Alice")
    with pytest.raises(highlevel.RefusedError):
        await client.contacts.create(location_id=LOC, first_name="Mallory")
    assert asked == ["createContact", "createContact"]
    assert fresh.processed("createContact") == 1


def test_an_async_callback_on_the_sync_client(fresh: highlevel.Sandbox) -> None:
    async def approve(write: Any) -> str:
        return "refused from a coroutine"

    client = fresh.client(approve=approve)
    with pytest.raises(highlevel.RefusedError, match="refused from a coroutine"):
        client.contacts.create(location_id=LOC, first_name="Nope")
