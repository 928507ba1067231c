"""`python -m contracts.drift`: the same command as `codat-mock contract drift`."""

from __future__ import annotations

from .cli import main

raise SystemExit(main())
