"""`Sandbox`: the offline emulation of Maton and HighLevel, served from this process, so
that code using the SDK can be tested without a network or a CRM account."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Optional

from . import _native
from ._client import AsyncClient, Client

#: The demo agency's company id.
COMPANY_ID = "demo-company"
#: The demo locations (sub-accounts).
LOCATION_IDS = ("demo-location-1", "demo-location-2")
#: The connection holding the agency token.
AGENCY_CONNECTION = "conn-agency"
#: The sub-account connections of the demo locations, in the order of `LOCATION_IDS`.
LOCATION_CONNECTIONS = ("conn-location-1", "conn-location-2")


class Sandbox:
    """A sandbox on `127.0.0.1` with a port the OS picks, seeded with demo data.

    Use it as a context manager; `client()` and `async_client()` make clients set up
    for it, with every demo connection configured::

        with highlevel.Sandbox() as sandbox:
            client = sandbox.client()
            client.contacts.list(location_id=highlevel.LOCATION_IDS[0])
    """

    def __init__(
        self, *, seed: int = 1, contacts_per_location: int = 300, rate_limits: bool = False
    ) -> None:
        """Starts the sandbox.

        Args:
            seed: the seed of the demo data; the same seed gives the same ids.
            contacts_per_location: how many contacts each demo location gets.
            rate_limits: enforce HighLevel's rate limits (100 requests per 10 s).
        """
        self._native = _native.NativeSandbox(
            seed=seed, contacts_per_location=contacts_per_location, rate_limits=rate_limits
        )

    @property
    def url(self) -> str:
        """The base URL of Maton's connection API, `http://127.0.0.1:<port>`."""
        return self._native.url

    @property
    def proxy_url(self) -> str:
        """The base URL of the HighLevel operations: give it to a client as `base_url`."""
        return self._native.proxy_url

    @property
    def api_key(self) -> str:
        """The API key the sandbox accepts."""
        return self._native.api_key

    def settings(self, **overrides: Any) -> dict[str, Any]:
        """The client settings for this sandbox, with `overrides` applied."""
        settings: dict[str, Any] = {
            "api_key": self.api_key,
            "base_url": self.proxy_url,
            "maton_base_url": self.url,
            "connection": LOCATION_CONNECTIONS[0],
            "agency_connection": AGENCY_CONNECTION,
            "location_connections": {LOCATION_IDS[1]: LOCATION_CONNECTIONS[1]},
            "from_env": False,
        }
        settings.update(overrides)
        return settings

    def client(self, **overrides: Any) -> Client:
        """A `Client` for this sandbox; `overrides` are further `Client` settings."""
        return Client(**self.settings(**overrides))

    def async_client(self, **overrides: Any) -> AsyncClient:
        """An `AsyncClient` for this sandbox; `overrides` are further settings."""
        return AsyncClient(**self.settings(**overrides))

    def add_latency(
        self, seconds: float, operation: Optional[str] = None, times: Optional[int] = None
    ) -> None:
        """Delays requests of `operation` (an operationId; all when None) by `seconds`,
        for the next `times` of them or until `clear_faults`."""
        self._native.add_latency(seconds, operation, times)

    def add_status(
        self, status: int, operation: Optional[str] = None, times: Optional[int] = None
    ) -> None:
        """Answers requests of `operation` (all when None) with `status` without handling
        them, for the next `times` of them or until `clear_faults`."""
        self._native.add_status(status, operation, times)

    def add_fault(
        self, kind: str, operation: Optional[str] = None, times: Optional[int] = None
    ) -> None:
        """Makes requests of `operation` (all when None) misbehave, for the next `times`
        of them or until `clear_faults`. `kind` is one of `reset_before` (the connection
        drops before the request is handled), `reset_after` (it drops after),
        `truncated_json`, `invalid_json` or `html_bad_gateway`."""
        self._native.add_fault(kind, operation, times)

    def clear_faults(self) -> None:
        """Removes every latency and status fault."""
        self._native.clear_faults()

    def processed(self, operation: str) -> int:
        """How many requests of `operation` (an operationId) the sandbox handled."""
        return self._native.processed(operation)

    def request_count(self) -> int:
        """How many requests reached the sandbox."""
        return self._native.request_count()

    def stop(self) -> None:
        """Stops serving."""
        self._native.stop()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(
        self,
        kind: Optional[type[BaseException]],
        value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"Sandbox(url={self.url!r})"
