import subprocess
import sys
from pathlib import Path


def test_a_server_worker_keeps_the_loaded_application_out_of_full_garbage_collections():
    script = "import gc, threefold.wsgi; print(gc.get_freeze_count(), len(gc.get_objects()))"
    done = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-c", script],
        capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    frozen, collected = map(int, done.stdout.split())
    # Every view is loaded and frozen; the collector walks only what requests make afterwards.
    assert frozen > 100_000
    assert collected < frozen / 10
