"""A minimal typed client for the Codat API: sync and async, over httpx, with pydantic models.

```python
from sdk_stub import CodatClient

with CodatClient("my-api-key", base_url="http://localhost:8000") as codat:
    company = codat.companies.create(name="Acme Ltd")
    connection = codat.connections.create(company_id=company.id, platform_key="qhyg")
```

See `docs/client.md` for errors, retries and injecting an `httpx.Client`.
"""

from __future__ import annotations

from ._client import AsyncCodatClient, CodatClient
from ._exceptions import (
    BadRequestError,
    CodatAPIError,
    CodatError,
    CodatResponseError,
    CodatTransportError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    PaymentRequiredError,
    RateLimitError,
    ServerError,
    ServiceUnavailableError,
    UnauthorizedError,
    WebhookVerificationError,
)
from ._models import (
    Company,
    CompanyReference,
    Connection,
    ConnectionStatus,
    DataConnectionError,
    DatatypeFeature,
    ErrorMessage,
    ErrorValidation,
    Integration,
    Page,
    PageLink,
    PageLinks,
    SourceType,
    SupportedFeature,
    ValidationItem,
)
from ._retry import RetryPolicy
from ._webhooks import (
    AsyncWebhooks,
    WebhookConsumer,
    WebhookConsumers,
    Webhooks,
    verify_webhook,
)

__all__ = [
    "AsyncCodatClient",
    "AsyncWebhooks",
    "BadRequestError",
    "CodatAPIError",
    "CodatClient",
    "CodatError",
    "CodatResponseError",
    "CodatTransportError",
    "Company",
    "CompanyReference",
    "ConflictError",
    "Connection",
    "ConnectionStatus",
    "DataConnectionError",
    "DatatypeFeature",
    "ErrorMessage",
    "ErrorValidation",
    "ForbiddenError",
    "Integration",
    "NotFoundError",
    "Page",
    "PageLink",
    "PageLinks",
    "PaymentRequiredError",
    "RateLimitError",
    "RetryPolicy",
    "ServerError",
    "ServiceUnavailableError",
    "SourceType",
    "SupportedFeature",
    "UnauthorizedError",
    "ValidationItem",
    "WebhookConsumer",
    "WebhookConsumers",
    "WebhookVerificationError",
    "Webhooks",
    "verify_webhook",
]
