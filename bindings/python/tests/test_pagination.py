"""Pagination, sync and async: lazy, item by item and page by page, with the core's
prefetch of one page."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import highlevel

LOC = highlevel.LOCATION_IDS[0]


def test_items_walk_every_contact_once(client: highlevel.Client) -> None:
    ids = [c["id"] for c in client.contacts.iter(location_id=LOC, limit=100)]
    assert len(ids) >= 300
    assert len(set(ids)) == len(ids)


def test_pages_carry_items_and_the_whole_answer(client: highlevel.Client) -> None:
    pages = list(client.contacts.pages(location_id=LOC, limit=100))
    assert len(pages) >= 3
    first = pages[0]
    assert isinstance(first, highlevel.Page)
    assert len(first.items) == 100
    assert first.body["contacts"] == first.items
    assert "meta" in first.body


def test_other_styles_page_too(client: highlevel.Client) -> None:
    # Page numbers (opportunity search) and skip (locations) walk to the end as well.
    opportunities = list(client.opportunities.iter_search(location_id=LOC, limit=5))
    assert len(opportunities) == len({o["id"] for o in opportunities}) > 5
    products = list(client.products.iter(location_id=LOC, limit=2))
    assert len(products) > 2


def test_items_are_fetched_lazily(fresh: highlevel.Sandbox) -> None:
    client = fresh.client()
    items = client.contacts.iter(location_id=LOC, limit=10)
    next(items)
    # The first page, and at most the one fetched ahead: not the thirty pages there are.
    assert 1 <= fresh.processed("listContacts") <= 2


def test_an_error_mid_walk_is_raised_from_the_loop(sandbox: highlevel.Sandbox) -> None:
    client = sandbox.client(max_attempts=1)
    items = client.contacts.iter(location_id=LOC, limit=100)
    seen = [next(items)]
    sandbox.add_status(500, "listContacts")
    try:
        try:
            for item in items:
                seen.append(item)
        except highlevel.ServerError as error:
            assert error.operation == "listContacts"
        else:
            raise AssertionError("the walk ended without the error")
    finally:
        sandbox.clear_faults()
    # The walk had at most the first two pages before the failing request.
    assert 1 <= len(seen) <= 200


async def test_async_items_and_pages(aclient: highlevel.AsyncClient) -> None:
    ids = [c["id"] async for c in aclient.contacts.iter(location_id=LOC, limit=100)]
    assert len(ids) >= 300 and len(set(ids)) == len(ids)
    pages = [p async for p in aclient.contacts.pages(location_id=LOC, limit=100)]
    assert sum(len(p.items) for p in pages) == len(ids)


async def test_leaving_an_async_walk_early_stops_it(fresh: highlevel.Sandbox) -> None:
    client = fresh.async_client()
    walk = client.contacts.iter(location_id=LOC, limit=10)
    async for _ in walk:
        break
    assert isinstance(walk, AsyncGenerator)
    await walk.aclose()
    # Nothing is left waiting: the client goes on with other work at once.
    answer = await client.users.list(location_id=LOC)
    assert "users" in answer
    # The page in hand, the one fetched ahead and the one asked for after it, at most.
    assert 1 <= fresh.processed("listContacts") <= 3


async def test_paginating_an_operation_that_does_not_page_is_refused(
    aclient: highlevel.AsyncClient,
) -> None:
    from highlevel import _native

    native = aclient._native
    try:
        native.pages_async("get_contact", {"contactId": "x"})
    except highlevel.InvalidArgumentError as error:
        assert "does not paginate" in str(error)
    else:
        raise AssertionError("a non-paginated operation was paginated")
    assert isinstance(native, _native.NativeClient)
