"""Schemathesis hooks module: `SCHEMATHESIS_HOOKS=contracts.hooks schemathesis run ...`.

Importing it registers what `contracts.kit.register` describes; run with
`--exclude-checks positive_data_acceptance`, which the kit's own check replaces.
"""

from __future__ import annotations

from .kit import register

register()
