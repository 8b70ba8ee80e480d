"""What every resource group of `_resources.py` shares: the way to the native client.

The generated methods only name the operation and its arguments; this turns them into
the generic call of the native module, where the core does the work.
"""

from __future__ import annotations

import itertools
from typing import Any, AsyncIterator, Iterator, Mapping, Optional


class Group:
    """The operations of one resource, bound to a client."""

    __slots__ = ("_native", "_asynchronous")

    def __init__(self, native: Any, asynchronous: bool) -> None:
        self._native = native
        self._asynchronous = asynchronous

    def _call(self, operation: str, params: dict[str, Any], body: Any = None) -> Any:
        if self._asynchronous:
            return self._native.call_async(operation, params, body)
        return self._native.call(operation, params, body)

    def _items(self, operation: str, params: dict[str, Any]) -> Any:
        # The native walk hands over a page's items at once; handing them out one by one
        # here costs far less than a call into the native module for each.
        if self._asynchronous:
            return _async_items(self._native.items_async(operation, params))
        return _items(self._native.items(operation, params))

    def _pages(self, operation: str, params: dict[str, Any]) -> Any:
        if self._asynchronous:
            return self._native.pages_async(operation, params)
        return self._native.pages(operation, params)

    @staticmethod
    def _body(
        body: Optional[Mapping[str, Any]],
        fields: dict[str, Any],
        renamed: Mapping[str, str],
    ) -> Any:
        """The body: `body` with `fields` added under their wire names."""
        merged = dict(body) if body is not None else {}
        for name, value in fields.items():
            wire = renamed.get(name, name)
            if wire in merged:
                raise TypeError(f"the body field `{wire}` is given twice")
            merged[wire] = value
        return merged


def _items(pages: Any) -> Iterator[Any]:
    # `chain` hands the items out in C, without a generator step of Python's per item.
    return itertools.chain.from_iterable(pages)


async def _async_items(pages: Any) -> AsyncIterator[Any]:
    async for items in pages:
        for item in items:
            yield item
