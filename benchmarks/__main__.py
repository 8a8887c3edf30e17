"""Run every benchmark module of this package, one after the other."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def main() -> int:
    here = Path(__file__).resolve().parent
    names = sorted(
        info.name
        for info in pkgutil.iter_modules([str(here)])
        if not info.name.startswith("_") and not info.ispkg
    )
    failed = []
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        if not hasattr(module, "main"):
            continue
        print(f"== benchmarks.{name}", flush=True)
        started = time.monotonic()
        try:
            module.main([])
        except Exception as exc:  # keep going: one broken benchmark must not hide the others
            failed.append(name)
            print(f"benchmarks.{name} failed: {exc!r}", flush=True)
        print(f"== benchmarks.{name} took {time.monotonic() - started:.0f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
