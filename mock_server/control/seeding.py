"""`--seed-file PATH` / `CODAT_MOCK_SEED_FILE`: import tenants' state when the emulator starts.

The file is JSON: `{"version": 1, "tenants": {"<API key>": <a GET /_mock/state document>, ...}}`. Every
tenant is checked before any is imported; a problem stops start-up with a message naming the file and field.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.errors import BadRequest, CodatError, Conflict
from ..domain.snapshot import consumers_from_document, load_seed
from ..domain.store import Store
from ..settings import SettingsError

if TYPE_CHECKING:
    from ..delivery import WebhookHub

_WHERE = "CODAT_MOCK_SEED_FILE / --seed-file"


def load_seed_file(store: Store, path: str, webhooks: WebhookHub | None = None) -> int:
    """Import every tenant of the seed file at `path` into `store` (consumers into `webhooks`); how many."""
    try:
        text = Path(path).read_bytes()
    except OSError as exc:
        raise SettingsError(f"{_WHERE}: cannot read {path}: {exc.strerror or exc}") from None
    try:
        seed, states = load_seed(text, store.catalogue)
        consumers = {
            key: consumers_from_document(document, where=f"tenants.{key}.") for key, document in seed.tenants.items()
        }
    except (BadRequest, Conflict) as exc:  # Conflict: an id used twice within one tenant
        problems = "; ".join(item.message for item in exc.validation) or exc.message
        raise SettingsError(f"{_WHERE}: {path} is not a valid seed file: {problems}") from None
    try:
        for key, state in states:
            store.import_state(key, state)
            if webhooks is not None:
                webhooks.import_consumers(key, consumers[key])
    except CodatError as exc:
        raise SettingsError(f"{_WHERE}: {path}: {exc.message}") from None
    return len(states)
