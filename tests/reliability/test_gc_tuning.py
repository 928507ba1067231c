"""The server process freezes what start-up built out of the cyclic GC's sight (serving.tune_gc).

Run in a child interpreter: freezing is process-wide, and importing the modules must not do it (only
`codat-mock serve` does, in `serving.run`).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_start_up_objects_are_frozen_by_serve_only() -> None:
    script = textwrap.dedent(
        """
        import gc
        from mock_server import serving
        from mock_server.app import create_app
        from mock_server.domain.store import Store

        store = Store()
        app = create_app(store=store)
        company = store.create_company("t", name="Before")
        assert gc.get_freeze_count() == 0, "importing or building the app must not freeze anything"
        assert gc.is_tracked(company)
        serving.tune_gc()
        frozen = gc.get_freeze_count()
        assert frozen > 10_000, frozen
        assert not any(o is company for o in gc.get_objects()), "a start-up record is still walked"
        later = store.create_company("t", name="After")
        assert any(o is later for o in gc.get_objects(generation=0)), "later objects are collected as usual"
        print("ok")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
