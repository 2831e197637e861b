"""Letters as PDF: WeasyPrint's render time for every letter type, standard and large print.

    python benchmarks/run.py letters_pdf
    python benchmarks/bench_letters_pdf.py --renders 5 --write /tmp/letters   # also keep the PDFs

The case records are the letter tests' own (``tests.letters.test_pdf.composed``), built through
the real services in a throwaway SQLite database, so each letter is as long as a real one.
Composing is not timed: only ``letter_pdf``, which renders the HTML and lays the pages out.

The work runs in a child process: ``run.py`` runs every benchmark in one process, and the
casework benchmark must be the one to start Django there, on a database of its own.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from putright.letters.compose import Letter

ROOT = Path(__file__).resolve().parent.parent
RENDERS = 20


def _letters() -> dict[str, Letter]:
    """One composed letter of each type, from records built through the services."""
    from putright.complaints import services
    from putright.complaints.models import Channel
    from putright.organisation.selectors import get_organisation
    from putright.rules.letters import LETTER_TYPES
    from tests.complaints.conftest import MON_22_DEC_2025
    from tests.letters.test_pdf import composed
    from tests.people.factories import StaffUserFactory

    # What the letter tests' fixtures set up (tests/letters/conftest.py, tests/complaints/).
    organisation = get_organisation()
    organisation.name = "Greenway Homes"
    organisation.address = "1 Station Road\nGreenway\nGW1 1AA"
    organisation.phone = "0300 123 4567"
    organisation.email = "complaints@greenway.example.org"
    organisation.stage1_requires_sign_off = organisation.stage2_requires_sign_off = False
    organisation.save()
    officer = StaffUserFactory(full_name="Sam Patel", job_title="Complaints Officer")

    def log(**kwargs: Any) -> Any:
        kwargs.setdefault("handler", officer)
        kwargs.setdefault("channel", Channel.PHONE)
        kwargs.setdefault("description", "Nobody has fixed the damp in my bedroom since May.")
        return services.complaint_log(acting_user=officer, received_at=MON_22_DEC_2025, **kwargs)

    return {key: composed(key, log, officer) for key in LETTER_TYPES}


def _quantiles(wall: list[float], cpu: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in wall)
    # Nearest rank: with 20 renders the 95th percentile is the 19th time, a render that happened.
    # CPU time is less disturbed than wall time by whatever else the machine is doing.
    return {
        "median_ms": round(statistics.median(ms), 1),
        "p95_ms": round(ms[math.ceil(0.95 * len(ms)) - 1], 1),
        "cpu_median_ms": round(statistics.median(cpu) * 1000, 1),
    }


def _measure(renders: int, write_to: str | None) -> dict[str, Any]:
    """In the child process: start Django on a new SQLite database, build, render and time."""
    with tempfile.TemporaryDirectory(prefix="putright-bench-letters-") as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "putright.settings")
        os.environ["DEBUG"] = "false"
        import django

        django.setup()
        import weasyprint
        from django.core.management import call_command
        from django.db import connections
        from pypdf import PdfReader

        from putright.letters.pdf import letter_pdf

        call_command("migrate", verbosity=0, interactive=False)
        letters = _letters()
        per_type: dict[str, Any] = {}
        for key, letter in letters.items():
            per_type[key] = {}
            for variant, large_print in (("standard", False), ("large_print", True)):
                pdf = letter_pdf(letter, large_print=large_print)  # warm-up: fonts, caches
                wall, cpu = [], []
                for _ in range(renders):
                    started, cpu_started = time.perf_counter(), time.process_time()
                    letter_pdf(letter, large_print=large_print)
                    wall.append(time.perf_counter() - started)
                    cpu.append(time.process_time() - cpu_started)
                per_type[key][variant] = {
                    **_quantiles(wall, cpu),
                    "pages": len(PdfReader(io.BytesIO(pdf)).pages),
                    "kilobytes": round(len(pdf) / 1024, 1),
                }
                if write_to:
                    Path(write_to).mkdir(parents=True, exist_ok=True)
                    (Path(write_to) / f"{key}-{variant.replace('_', '-')}.pdf").write_bytes(pdf)
        connections.close_all()
        return {"weasyprint": weasyprint.__version__, "letters": per_type}


def run(renders: int = RENDERS, write_to: str | None = None) -> dict[str, Any]:
    started = time.perf_counter()
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as child:
        measured = child.submit(_measure, renders, write_to).result()
    every = [v for variants in measured["letters"].values() for v in variants.values()]
    return {
        "renders_per_variant": renders,
        **measured,
        "slowest_median_ms": max(v["median_ms"] for v in every),
        "slowest_p95_ms": max(v["p95_ms"] for v in every),
        "wall_seconds": round(time.perf_counter() - started, 1),
    }


def summary(result: dict[str, Any]) -> list[str]:
    columns = ("median_ms", "p95_ms", "cpu_median_ms", "pages")
    lines = [
        f"  WeasyPrint {result['weasyprint']}, {result['renders_per_variant']} renders each; "
        "wall median, p95 and CPU median in ms, then pages",
        f"  {'':<24}{'standard':^28}  {'large print':^28}",
        f"  {'letter type':<24}" + 2 * f"{'median':>8}{'p95':>8}{'cpu':>8}{'pp':>4}  ",
    ]
    for key, variants in result["letters"].items():
        cells = "  ".join(
            "".join(f"{variants[variant][c]:>{4 if c == 'pages' else 8}}" for c in columns)
            for variant in ("standard", "large_print")
        )
        lines.append(f"  {key:<24}{cells}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=RENDERS, help="timed renders per variant")
    parser.add_argument("--write", metavar="FOLDER", help="also write each letter's PDFs here")
    args = parser.parse_args()
    result = run(args.renders, args.write)
    print("\n".join(summary(result)))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    main()
