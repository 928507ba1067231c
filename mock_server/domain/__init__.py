"""The pure core of the emulator: models, state machine, store, query language, paging and errors.

Only the standard library and pydantic may be imported here (tests/test_layering.py enforces it), so the
same rules serve the HTTP API, the Link pages, the control plane and any future adapter.
"""
