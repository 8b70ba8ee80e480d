"""An example of the typed surface, checked by `mypy --strict` in CI and run by the tests:
results are TypedDicts, iterators yield typed items, and the async client's methods are
awaitable."""

from __future__ import annotations

import asyncio

import highlevel
from highlevel.types import Contact, ContactList

LOC = highlevel.LOCATION_IDS[0]


def first_names(client: highlevel.Client) -> list[str]:
    page: ContactList = client.contacts.list(location_id=LOC, limit=5)
    contacts: list[Contact] = page.get("contacts", [])
    return [c.get("firstName") or "" for c in contacts]


def count_all(client: highlevel.Client) -> int:
    return sum(1 for _ in client.contacts.iter(location_id=LOC, limit=100))


async def count_async(client: highlevel.AsyncClient) -> int:
    total = 0
    async for page in client.contacts.pages(location_id=LOC, limit=100):
        total += len(page.items)
    return total


def main() -> None:
    with highlevel.Sandbox() as sandbox:
        client = sandbox.client()
        made = client.contacts.create({"locationId": LOC, "firstName": "Typed"})
        contact_id = made.get("contact", {}).get("id")
        assert contact_id is not None
        print(first_names(client), count_all(client))
        print(asyncio.run(count_async(sandbox.async_client())))
        try:
            client.contacts.get(contact_id="missing")
        except highlevel.NotFoundError as error:
            print(error.status, error.messages, error.trace_id)


if __name__ == "__main__":
    main()
