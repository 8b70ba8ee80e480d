"""The exceptions of the SDK: `HighLevelError` and one subclass per kind of failure.

The native module raises them through `_from_native`; each carries the HTTP status (when
the service answered), the service's messages, its trace id and the operation.
"""

from __future__ import annotations

import builtins
from typing import Optional


class HighLevelError(Exception):
    """A failed call. `code` names its kind, the same in every language of the SDK."""

    code: str = "unknown"

    def __init__(
        self,
        message: str,
        *,
        status: Optional[int] = None,
        messages: Optional[list[str]] = None,
        trace_id: Optional[str] = None,
        operation: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        #: The HTTP status, when the service answered.
        self.status = status
        #: The service's messages (or the client's, for failures before sending).
        self.messages: list[str] = list(messages or [])
        #: HighLevel's trace id, to quote when asking its support.
        self.trace_id = trace_id
        #: The operationId of the call, such as `createContact`.
        self.operation = operation

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Keyword arguments do not survive the default pickling of exceptions, and errors
        # cross process boundaries in multiprocessing pools.
        state = {
            "status": self.status,
            "messages": self.messages,
            "trace_id": self.trace_id,
            "operation": self.operation,
        }
        return (_rebuild, (type(self), self.message, state))


def _rebuild(cls: type[HighLevelError], message: str, state: dict[str, object]) -> HighLevelError:
    return cls(message, **state)  # type: ignore[arg-type]


class BadRequestError(HighLevelError):
    """400: the service found the request malformed."""

    code = "bad_request"


class UnauthorizedError(HighLevelError):
    """401: the API key or token was refused."""

    code = "unauthorized"


class WrongTokenTypeError(HighLevelError):
    """401: the connection's token is of the wrong type (agency or sub-account)."""

    code = "wrong_token_type"


class ForbiddenLocationError(HighLevelError):
    """403: the token may not act on this location."""

    code = "forbidden_location"


class NotFoundError(HighLevelError):
    """404: nothing has that id."""

    code = "not_found"


class ValidationError(HighLevelError):
    """422: the service's validation refused the request."""

    code = "validation"


class RateLimitedError(HighLevelError):
    """429: the rate limit was exceeded, and retries did not outlast it."""

    code = "rate_limited"


class ServerError(HighLevelError):
    """5xx from HighLevel."""

    code = "server"


class GatewayError(HighLevelError):
    """502, 503 or 504, or an HTML page: a proxy or gateway in front of HighLevel."""

    code = "gateway"


class TimeoutError(HighLevelError, builtins.TimeoutError):
    """The request took longer than the configured timeout."""

    code = "timeout"


class ConnectionError(HighLevelError, builtins.ConnectionError):
    """The connection could not be made or broke."""

    code = "connection"


class DecodeError(HighLevelError):
    """A successful answer that is not the JSON the description promises."""

    code = "decode"


class RefusedError(HighLevelError):
    """The write guard refused the write; nothing was sent."""

    code = "refused"


class InvalidArgumentError(HighLevelError, ValueError):
    """The call was refused before sending: a missing or wrong argument or setting."""

    code = "invalid_argument"


_BY_CODE: dict[str, type[HighLevelError]] = {
    cls.code: cls
    for cls in (
        BadRequestError,
        UnauthorizedError,
        WrongTokenTypeError,
        ForbiddenLocationError,
        NotFoundError,
        ValidationError,
        RateLimitedError,
        ServerError,
        GatewayError,
        TimeoutError,
        ConnectionError,
        DecodeError,
        RefusedError,
        InvalidArgumentError,
    )
}


def _from_native(
    code: str,
    message: str,
    status: Optional[int],
    messages: list[str],
    trace_id: Optional[str],
    operation: Optional[str],
) -> HighLevelError:
    """The exception for a failure the native module reports."""
    cls = _BY_CODE.get(code, HighLevelError)
    return cls(message, status=status, messages=messages, trace_id=trace_id, operation=operation)
