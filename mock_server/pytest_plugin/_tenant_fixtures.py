"""The function fixture `codat_mock`: a fresh tenant per test, configured by the `codat_mock` marker."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from ._options import MarkerOptions, marker_options

if TYPE_CHECKING:
    from .server import CodatMockServer
    from .tenant import CodatMock


@pytest.fixture
def codat_mock(codat_mock_server: CodatMockServer, request: pytest.FixtureRequest) -> Iterator[CodatMock]:
    """This test's tenant: a unique API key (so tests never see each other's data, in parallel too), with
    `.api_key`, `.auth_header`, `.base_url`, `.http` and control-plane helpers. Reset after the test."""
    from .tenant import CodatMock, ControlPlaneError

    options = marker_options(request.node)
    tenant = CodatMock(codat_mock_server, f"codat-mock-{uuid.uuid4().hex}")
    try:
        try:
            _apply(tenant, options)
        except (ControlPlaneError, OSError, ValueError, TypeError) as exc:
            # The marker's fault, not the plugin's: one line naming the test, no traceback into the plugin.
            pytest.fail(f"{request.node.nodeid}: @pytest.mark.codat_mock: {exc}", pytrace=False)
        yield tenant
    finally:
        try:
            # Frees the tenant's memory (a session-long server would otherwise keep every test's data).
            tenant.reset()
        finally:
            tenant.close()


def _apply(tenant: CodatMock, options: MarkerOptions) -> None:
    # The seed first: importing a document replaces the tenant's settings too, and the marker's own settings
    # should win over the document's.
    document = options.seed_document()
    if document is not None:
        tenant.seed(document)
    if options.auto_link is not None or options.redirect is not None:
        current = tenant.settings()
        if options.auto_link is not None:
            current["autoLink"] = options.auto_link
        if options.redirect is not None:
            current["redirectUrl"] = options.redirect
        tenant.put_settings(current)
