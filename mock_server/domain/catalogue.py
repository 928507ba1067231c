"""The integration catalogue: the platforms a connection can be made to.

`integrationId` and `sourceId` are stable per platform. Where Codat's documentation shows the real values
(Xero, Oracle NetSuite, QuickBooks Online) we use them; for the others no source publishes them, so they
are derived from the platform key with uuid5, which keeps them stable across runs and machines.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .enums import SourceType
from .errors import IntegrationNotFound
from .models import Integration

_NAMESPACE = uuid.UUID("8c1f6f0e-52a4-4d1b-9a58-7f4c0b9d2e11")
_LOGO = "https://static.codat.io/public/platforms/{key}.png"


@dataclass(frozen=True, slots=True)
class _Platform:
    key: str
    name: str
    source_type: SourceType
    integration_id: str | None = None
    source_id: str | None = None
    offline: bool = False


_PLATFORMS = (
    _Platform(
        "qhyg",
        "QuickBooks Online",
        SourceType.ACCOUNTING,
        "adeb7fe9-4c64-4848-9e0d-175317876b6f",
        "afe268b1-289e-4496-b890-3d65e9ce1acb",
    ),
    _Platform(
        "gbol",
        "Xero",
        SourceType.ACCOUNTING,
        "0f20c943-12d0-4800-9f6c-d218f62d494c",
        "8a156a5a-39cb-4f9d-856e-76ef9b9a9607",
    ),
    _Platform(
        "akxx",
        "Oracle NetSuite",
        SourceType.ACCOUNTING,
        "cc750323-5a47-4f28-8d8e-30fbbf2ce137",
        "9815b998-024d-4415-a40b-89903b2cad6f",
    ),
    _Platform("pdvj", "MYOB Business", SourceType.ACCOUNTING),
    _Platform("pqsw", "QuickBooks Desktop", SourceType.ACCOUNTING, offline=True),
    _Platform("knfz", "Sage Intacct", SourceType.ACCOUNTING),
    _Platform("fbrh", "FreeAgent", SourceType.ACCOUNTING),
    _Platform("rwuv", "Zoho Books", SourceType.ACCOUNTING),
    _Platform("trji", "Dynamics 365 Business Central", SourceType.ACCOUNTING),
    _Platform("mqjo", "Sandbox", SourceType.ACCOUNTING),
    # Non-accounting platforms, so that "one linked accounting connection" can be told apart from
    # "any number of banking and commerce connections".
    _Platform("suuo", "Plaid", SourceType.BANKING),
    _Platform("upvr", "TrueLayer", SourceType.BANKING),
    _Platform("aiwb", "Commerce Sandbox", SourceType.COMMERCE),
)


def _integration(p: _Platform) -> Integration:
    return Integration(
        key=p.key,
        logo_url=_LOGO.format(key=p.key),
        name=p.name,
        enabled=True,
        source_id=p.source_id or str(uuid.uuid5(_NAMESPACE, f"source:{p.key}")),
        source_type=p.source_type,
        integration_id=p.integration_id or str(uuid.uuid5(_NAMESPACE, f"integration:{p.key}")),
        is_offline_connector=p.offline,
        # Passed explicitly so they count as set: responses omit unset fields.
        is_beta=False,
        data_provided_by="Codat",
        datatype_features=(),
    )


class Catalogue:
    """An immutable, ordered set of integrations, looked up by platform key."""

    def __init__(self, integrations: Mapping[str, Integration]) -> None:
        self._by_key = MappingProxyType(dict(integrations))

    @classmethod
    def default(cls) -> Catalogue:
        return cls({p.key: _integration(p) for p in _PLATFORMS})

    def get(self, platform_key: str) -> Integration:
        try:
            return self._by_key[platform_key]
        except KeyError:
            raise IntegrationNotFound(platform_key) from None

    def __iter__(self) -> Iterator[Integration]:
        return iter(self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, platform_key: object) -> bool:
        return platform_key in self._by_key
