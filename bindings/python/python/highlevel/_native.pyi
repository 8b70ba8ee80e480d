"""Stubs of the native module, `highlevel._native` (written by hand; `mypy.stubtest`
checks them against the built module)."""

from typing import Any, Optional, final

__all__ = [
    "AsyncPages",
    "Completions",
    "ItemPages",
    "NativeClient",
    "NativeSandbox",
    "Page",
    "PageIterator",
    "Task",
    "operations",
    "reset_logging",
    "shutdown",
]

@final
class NativeClient:
    def __new__(
        cls,
        *,
        from_env: bool,
        api_key: Optional[str],
        direct_token: Optional[str],
        base_url: Optional[str],
        maton_base_url: Optional[str],
        connection: Optional[str],
        agency_connection: Optional[str],
        location_connections: Optional[list[tuple[str, str]]],
        pinned_connection: Optional[str],
        api_version: Optional[str],
        timeout: Optional[float],
        connect_timeout: Optional[float],
        max_attempts: Optional[int],
        read_only: bool,
        approve: Optional[Any],
        user_agent: Optional[str],
    ) -> NativeClient: ...
    def call(self, operation: str, params: Optional[Any], body: Optional[Any] = None) -> Any: ...
    def call_into(
        self,
        operation: str,
        params: Optional[Any],
        body: Optional[Any],
        completions: Completions,
        id: int,
    ) -> Task: ...
    def items(self, operation: str, params: Optional[Any]) -> ItemPages: ...
    def pages(self, operation: str, params: Optional[Any]) -> PageIterator: ...
    def pages_async(self, operation: str, params: Optional[Any]) -> AsyncPages: ...

@final
class Page:
    """One page of a paginated call: its `items`, and the whole answer `body`."""

    @property
    def items(self) -> list[Any]: ...
    @property
    def body(self) -> dict[str, Any]: ...

@final
class ItemPages:
    """The items of a paginated call, a list per page."""

    def __iter__(self) -> ItemPages: ...
    def __next__(self) -> list[Any]: ...

@final
class PageIterator:
    def __iter__(self) -> PageIterator: ...
    def __next__(self) -> Page: ...

@final
class AsyncPages:
    """The pages of a paginated call for asyncio, each fetched into `Completions`."""

    def next_items_into(self, completions: Completions, id: int) -> Task: ...
    def next_page_into(self, completions: Completions, id: int) -> Task: ...

@final
class Completions:
    """The finished outcomes of one event loop's native tasks."""

    def __new__(cls) -> Completions: ...
    def fileno(self) -> int: ...
    def drain(self) -> list[tuple[int, Any, Optional[BaseException]]]: ...

@final
class Task:
    """A native task started for asyncio."""

    def cancel(self) -> None: ...

@final
class NativeSandbox:
    def __new__(
        cls, *, seed: int, contacts_per_location: int, rate_limits: bool
    ) -> NativeSandbox: ...
    @property
    def url(self) -> str: ...
    @property
    def proxy_url(self) -> str: ...
    @property
    def api_key(self) -> str: ...
    def add_latency(
        self, seconds: float, operation: Optional[str] = None, times: Optional[int] = None
    ) -> None: ...
    def add_status(
        self, status: int, operation: Optional[str] = None, times: Optional[int] = None
    ) -> None: ...
    def add_fault(
        self, kind: str, operation: Optional[str] = None, times: Optional[int] = None
    ) -> None: ...
    def clear_faults(self) -> None: ...
    def processed(self, operation: str) -> int: ...
    def request_count(self) -> int: ...
    def stop(self) -> None: ...

def reset_logging() -> None: ...
def shutdown() -> None: ...
def operations() -> list[tuple[str, str]]: ...
