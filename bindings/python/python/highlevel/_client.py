"""`Client` and `AsyncClient`: the settings of a client, and its resource groups.

Both hold the same settings and offer the same operations; `AsyncClient`'s methods answer
awaitables and its iterators are async iterators. Settings not given as arguments come
from the environment, as the core reads it: `MATON_API_KEY`, `MATON_CONNECTION`,
`MATON_AGENCY_CONNECTION`, `MATON_LOCATION_CONNECTIONS` (`location=connection,...`),
`HIGHLEVEL_BASE_URL`, `MATON_BASE_URL` and `HIGHLEVEL_TOKEN` (direct mode).
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Mapping, Optional, TypeVar, Union

from . import _native
from ._resources import _AsyncGroups, _SyncGroups

#: What an approval callback receives: `operation` (the operationId), `method`, `targets`
#: (the path parameters by name) and `body` (the JSON body, or None).
WriteRequest = Mapping[str, Any]

#: An approval callback: answers (or returns an awaitable of) True to let the write be
#: sent, False or a reason (a str) to refuse it. Anything else, an exception included,
#: refuses it too.
Approve = Callable[[WriteRequest], Union[bool, str, Awaitable[Union[bool, str]]]]

_Self = TypeVar("_Self", bound="_Settings")

_SECRETS = ("api_key", "direct_token")


class _Settings:
    """What `Client` and `AsyncClient` share: settings, their checks, pickling."""

    __slots__ = ("_settings", "_native")

    def __init__(
        self,
        *,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        maton_base_url: Optional[str] = None,
        connection: Optional[str] = None,
        agency_connection: Optional[str] = None,
        location_connections: Optional[Mapping[str, str]] = None,
        api_version: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_attempts: Optional[int] = None,
        read_only: bool = False,
        approve: Optional[Approve] = None,
        direct_token: Optional[str] = None,
        user_agent: Optional[str] = None,
        from_env: bool = True,
    ) -> None:
        """Builds a client; see the class docs for what each setting means.

        Args:
            api_key: the Maton API key (`MATON_API_KEY`).
            base_url: where the HighLevel operations are served (`HIGHLEVEL_BASE_URL`);
                Maton's proxy unless set.
            maton_base_url: where Maton's connection API is served (`MATON_BASE_URL`).
            connection: the default sub-account connection (`MATON_CONNECTION`).
            agency_connection: the connection holding the agency token
                (`MATON_AGENCY_CONNECTION`).
            location_connections: a sub-account connection per location id
                (`MATON_LOCATION_CONNECTIONS`).
            api_version: a `Version` header for every request instead of each
                operation's own.
            timeout: the longest a whole request may take, in seconds (30 unless set).
            connect_timeout: the longest connecting may take, in seconds (10 unless set).
            max_attempts: attempts in all for a failed request, the first one included
                (4 unless set; 1 turns retries off).
            read_only: refuse every create, update and delete before it is sent.
            approve: asked about every create, update and delete before it is sent.
            direct_token: call HighLevel directly with this token, without Maton.
            user_agent: the `User-Agent` header.
            from_env: read the settings not given here from the environment.

        Raises:
            InvalidArgumentError: a setting is missing or malformed.
        """
        settings: dict[str, Any] = {
            "api_key": api_key,
            "base_url": base_url,
            "maton_base_url": maton_base_url,
            "connection": connection,
            "agency_connection": agency_connection,
            "location_connections": dict(location_connections or {}),
            "api_version": api_version,
            "timeout": timeout,
            "connect_timeout": connect_timeout,
            "max_attempts": max_attempts,
            "read_only": read_only,
            "approve": approve,
            "direct_token": direct_token,
            "user_agent": user_agent,
            "from_env": from_env,
        }
        self._start(settings, None)

    def _start(self, settings: dict[str, Any], pinned: Optional[str]) -> None:
        _native.reset_logging()
        self._settings = settings
        self._native = _native.NativeClient(
            from_env=settings["from_env"],
            api_key=settings["api_key"],
            direct_token=settings["direct_token"],
            base_url=settings["base_url"],
            maton_base_url=settings["maton_base_url"],
            connection=settings["connection"],
            agency_connection=settings["agency_connection"],
            location_connections=list(settings["location_connections"].items()),
            pinned_connection=pinned,
            api_version=settings["api_version"],
            timeout=settings["timeout"],
            connect_timeout=settings["connect_timeout"],
            max_attempts=settings["max_attempts"],
            read_only=settings["read_only"],
            approve=settings["approve"],
            user_agent=settings["user_agent"],
        )
        self._settings["pinned_connection"] = pinned

    def with_connection(self: _Self, connection: str) -> _Self:
        """A copy of this client that sends `connection` as `Maton-Connection` on every
        HighLevel request, whatever token the operation needs."""
        copy = type(self).__new__(type(self))
        settings = dict(self._settings)
        settings.pop("pinned_connection", None)
        copy._start(settings, connection)
        return copy

    @property
    def settings(self) -> dict[str, Any]:
        """The settings given to this client (the API key and token hidden)."""
        return {
            name: ("<redacted>" if name in _SECRETS and value is not None else value)
            for name, value in self._settings.items()
        }

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={value!r}"
            for name, value in self.settings.items()
            if value not in (None, {}, False) and name != "from_env"
        )
        return f"{type(self).__name__}({shown})"

    def __reduce__(self) -> tuple[Any, ...]:
        # The settings as given, not the environment's values: a worker that unpickles
        # the client reads its own environment, as a client made there would.
        return (_rebuild, (type(self), self._settings))


def _rebuild(cls: type[_Self], settings: dict[str, Any]) -> _Self:
    client = cls.__new__(cls)
    settings = dict(settings)
    pinned = settings.pop("pinned_connection", None)
    client._start(settings, pinned)
    return client


class Client(_Settings, _SyncGroups):
    """A client for HighLevel through Maton's proxy, for code without asyncio.

    Calls wait with the GIL released, so other threads run meanwhile, and one client is
    safe to share between threads. Operations are grouped by resource:
    `client.contacts.list(location_id=...)`, `client.contacts.iter(location_id=...)`.
    """

    __slots__ = ()


class AsyncClient(_Settings, _AsyncGroups):
    """A client for HighLevel through Maton's proxy, for asyncio.

    Each operation answers an awaitable; cancelling the task that awaits it drops the
    request. `iter*` and `pages*` methods answer async iterators, for `async for`.
    """

    __slots__ = ()
