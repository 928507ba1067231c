"""What the plugin's pytester tests share: a strict ini for the projects they write."""

from __future__ import annotations

import pytest

#: As strict as this repository's own configuration: an unknown marker or any warning fails the run.
STRICT_INI = """
[pytest]
addopts = --strict-markers --strict-config -p no:cacheprovider
filterwarnings = error
"""


def strict_project(pytester: pytest.Pytester) -> None:
    pytester.makeini(STRICT_INI)
