"""What every resource group of `_resources.py` shares: the way to the native client.

The generated methods only name the operation and its arguments; this turns them into
the generic call of the native module, where the core does the work.

For asyncio, the native module runs the work on its own thread and leaves each outcome in
the queue of the event loop's `Completions`, waking the loop through a socket it watches;
`_Waiter` settles the matching futures, many at a wake-up, on the loop's own thread. The
SDK's thread never waits for the GIL, which the loop holds while it runs.
"""

from __future__ import annotations

import asyncio
import itertools
import weakref
from typing import Any, AsyncIterator, Callable, Iterator, Mapping, Optional

from . import _native


class Group:
    """The operations of one resource, bound to a client."""

    __slots__ = ("_native", "_asynchronous")

    def __init__(self, native: Any, asynchronous: bool) -> None:
        self._native = native
        self._asynchronous = asynchronous

    def _call(self, operation: str, params: dict[str, Any], body: Any = None) -> Any:
        if self._asynchronous:
            native = self._native
            return _submit(lambda done, n: native.call_into(operation, params, body, done, n))
        return self._native.call(operation, params, body)

    def _items(self, operation: str, params: dict[str, Any]) -> Any:
        # The native walk hands over a page's items at once; handing them out one by one
        # here costs far less than a call into the native module for each.
        if self._asynchronous:
            return _async_items(self._native.pages_async(operation, params))
        return _items(self._native.items(operation, params))

    def _pages(self, operation: str, params: dict[str, Any]) -> Any:
        if self._asynchronous:
            return _async_pages(self._native.pages_async(operation, params))
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


async def _async_items(pages: _native.AsyncPages) -> AsyncIterator[Any]:
    async for items in _ahead(pages.next_items_into):
        for item in items:
            yield item


async def _async_pages(pages: _native.AsyncPages) -> AsyncIterator[_native.Page]:
    async for page in _ahead(pages.next_page_into):
        yield page


async def _ahead(start: _Start) -> AsyncIterator[Any]:
    """What `start` fetches, one after another until `None`, each asked for before the
    caller gets the one before: the wake-up and hand-over of the next page then overlap
    the caller's work on this one."""
    ahead = _submit(start)
    try:
        while True:
            got = await ahead
            if got is None:
                return
            ahead = _submit(start)
            yield got
    finally:
        ahead.cancel()


class _Waiter:
    """The futures of one event loop's native tasks, settled as their outcomes arrive."""

    __slots__ = ("completions", "pending", "numbers", "__weakref__")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.completions = _native.Completions()
        self.pending: dict[int, asyncio.Future[Any]] = {}
        self.numbers = itertools.count()
        loop.add_reader(self.completions.fileno(), self.settle)

    def start(self, loop: asyncio.AbstractEventLoop, start: _Start) -> asyncio.Future[Any]:
        future = loop.create_future()
        number = next(self.numbers)
        task = start(self.completions, number)
        self.pending[number] = future

        def done(future: asyncio.Future[Any]) -> None:
            # A cancelled future stops its task, which drops the request.
            if self.pending.pop(number, None) is not None and future.cancelled():
                task.cancel()

        future.add_done_callback(done)
        return future

    def settle(self) -> None:
        for number, value, error in self.completions.drain():
            future = self.pending.get(number)
            if future is None or future.done():
                continue
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(value)


_Start = Callable[[_native.Completions, int], _native.Task]

# One waiter per event loop, forgotten with its loop.
_WAITERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Waiter] = (
    weakref.WeakKeyDictionary()
)


def _submit(start: _Start) -> asyncio.Future[Any]:
    """Starts a native task with `start` and answers the future of its outcome."""
    loop = asyncio.get_running_loop()
    waiter = _WAITERS.get(loop)
    if waiter is None:
        waiter = _WAITERS[loop] = _Waiter(loop)
    return waiter.start(loop, start)
