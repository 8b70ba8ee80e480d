"""The HighLevel CRM API through Maton's proxy.

`Client` (threads) and `AsyncClient` (asyncio) reach every operation, grouped by
resource: `client.contacts.list(location_id=...)`. Failures raise `HighLevelError`
subclasses, one per kind. `Sandbox` serves an offline emulation of the service for tests.
Logs go to the `highlevel` logger of Python's `logging`, without secrets.
"""

from ._client import AsyncClient, Client
from ._errors import (
    BadRequestError,
    ConnectionError,
    DecodeError,
    ForbiddenLocationError,
    GatewayError,
    HighLevelError,
    InvalidArgumentError,
    NotFoundError,
    RateLimitedError,
    RefusedError,
    ServerError,
    TimeoutError,
    UnauthorizedError,
    ValidationError,
    WrongTokenTypeError,
)
from ._native import Page
from ._sandbox import (
    AGENCY_CONNECTION,
    COMPANY_ID,
    LOCATION_CONNECTIONS,
    LOCATION_IDS,
    Sandbox,
)

__all__ = [
    "AGENCY_CONNECTION",
    "COMPANY_ID",
    "LOCATION_CONNECTIONS",
    "LOCATION_IDS",
    "AsyncClient",
    "BadRequestError",
    "Client",
    "ConnectionError",
    "DecodeError",
    "ForbiddenLocationError",
    "GatewayError",
    "HighLevelError",
    "InvalidArgumentError",
    "NotFoundError",
    "Page",
    "RateLimitedError",
    "RefusedError",
    "Sandbox",
    "ServerError",
    "TimeoutError",
    "UnauthorizedError",
    "ValidationError",
    "WrongTokenTypeError",
]
