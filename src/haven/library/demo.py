"""The demo imports the five seed pages Haven was designed from (``../shared/seeds``)."""

import os
from pathlib import Path

from . import services

REPO = Path(__file__).resolve().parents[3]


def seeds_dir() -> tuple[Path | None, list[Path]]:
    """The seeds folder (HAVEN_SEEDS_DIR, else ``shared/seeds`` beside the repository or the
    current directory), and every place that was looked at."""
    candidates = []
    if os.environ.get("HAVEN_SEEDS_DIR"):
        candidates.append(Path(os.environ["HAVEN_SEEDS_DIR"]))
    for base in (REPO, Path.cwd()):
        candidates += [base.parent / "shared" / "seeds", base / "shared" / "seeds"]
    for candidate in candidates:
        if candidate.is_dir() and any(candidate.glob("00[0-4]_*")):
            return candidate, candidates
    return None, candidates


def import_seeds(stdout) -> bool:
    found, looked = seeds_dir()
    if found is None:
        stdout.write("WARNING: the library's seed pages were not found, so the evidence library is empty. "
                     "Looked in: " + ", ".join(str(p) for p in dict.fromkeys(looked))
                     + ". Set HAVEN_SEEDS_DIR to the folder holding 000_*.txt … 004_*.txt.")
        return False
    report = services.import_paths(sorted(found.glob("00[0-4]_*")))
    counts = report.as_json()
    for result in report.failed:
        stdout.write(f"Library: {result.name} failed: {result.error}")
    stdout.write("Evidence library: " + ", ".join(f"{counts[k]} {k}" for k in services.REPORT_KEYS)
                 + f" ({counts['imported']} pages new, {counts['unchanged']} already there)")
    services.link_helplines()
    return not report.all_failed
