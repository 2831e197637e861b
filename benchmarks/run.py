"""Run the benchmarks and record their results.

    python benchmarks/run.py                   # every benchmarks/bench_*.py, in name order
    python benchmarks/run.py bench_calendar    # only the named ones ("calendar" also works)
    python benchmarks/run.py casework          # the caseworking screens at 100,000 complaints
    DATABASE_URL=postgres://... python benchmarks/run.py casework    # the same on PostgreSQL

Each module's run() returns a dict; the runner prints it (through the module's summary(), when it
has one) and writes everything to benchmarks/results/latest.json. A plain runner rather than
pytest-benchmark, which breaks on pytest 9.2. The runner never sets Django up: a module that needs
it calls django.setup() itself.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_FILE = BENCH_DIR / "results" / "latest.json"


# Benchmarks whose modules are not named bench_*.py; each has a run() like the others and also
# runs on its own. casework builds a 100,000-complaint database (PUTRIGHT_BENCH_COMPLAINTS), on
# SQLite or on the PostgreSQL database DATABASE_URL names (see benchmarks/casework.py).
NAMED_BENCHMARKS = ("casework",)


def discover() -> list[str]:
    named = [name for name in NAMED_BENCHMARKS if (BENCH_DIR / f"{name}.py").exists()]
    return sorted(p.stem for p in BENCH_DIR.glob("bench_*.py")) + named


def resolve(names: Sequence[str], available: Sequence[str]) -> list[str]:
    """Map command-line names ("bench_calendar", "calendar", a path) to module names."""
    chosen = []
    for raw in names:
        stem = Path(raw).stem
        name = stem if stem.startswith("bench_") or stem in NAMED_BENCHMARKS else f"bench_{stem}"
        if name not in available:
            raise SystemExit(f"no benchmark {raw!r}; available: {', '.join(available) or 'none'}")
        if name not in chosen:
            chosen.append(name)
    return chosen


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
    }


def run_one(name: str) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        module = importlib.import_module(f"benchmarks.{name}")
        result = dict(module.run())
    except Exception:  # one broken benchmark should not lose the others' results
        return {"error": traceback.format_exc()}
    result.setdefault("wall_seconds", round(time.perf_counter() - started, 3))
    return result


def summarise(value: Any, indent: int = 2) -> list[str]:
    lines = []
    for key, item in value.items():
        pad = " " * indent
        if isinstance(item, dict):
            lines.append(f"{pad}{key}:")
            lines.extend(summarise(item, indent + 2))
        elif isinstance(item, float):
            lines.append(f"{pad}{key}: {item:.6g}")
        else:
            lines.append(f"{pad}{key}: {item}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--output", type=Path, default=RESULTS_FILE, help="where to write JSON")
    args = parser.parse_args(argv)

    # Run as a script, sys.path[0] is benchmarks/; the modules import as benchmarks.<name>.
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))

    available = discover()
    names = resolve(args.names, available) if args.names else available
    results: dict[str, dict[str, Any]] = {}
    for name in names:
        print(f"{name} ...", flush=True)
        results[name] = run_one(name)
        module = sys.modules.get(f"benchmarks.{name}")
        if "error" not in results[name] and hasattr(module, "summary"):
            lines = module.summary(results[name])
        else:
            lines = summarise(results[name])
        print("\n".join(lines), flush=True)

    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "results": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"wrote {args.output}")
    return 1 if any("error" in r for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
