"""What the plugin's pytester tests share: a strict ini for the projects they write.

pytester's in-process runs put `sys.modules` back as it was after each run, so a module first imported
during a run is imported afresh by the next. httpx caches httpcore's exception classes on first use, and a
fresh httpcore would then raise exceptions httpx no longer recognises. Importing them here, before any run,
keeps one copy of each for the whole session.
"""

from __future__ import annotations

import httpcore  # noqa: F401  # see above
import httpx  # noqa: F401
import pytest

import mock_server.pytest_plugin.server
import mock_server.pytest_plugin.tenant  # noqa: F401

#: As strict as this repository's own configuration: an unknown marker or any warning fails the run.
STRICT_INI = """
[pytest]
addopts = --strict-markers --strict-config -p no:cacheprovider
filterwarnings = error
"""


def strict_project(pytester: pytest.Pytester) -> None:
    pytester.makeini(STRICT_INI)
