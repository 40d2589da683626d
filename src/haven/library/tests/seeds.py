"""Where the five seed pages are: ../shared/seeds beside the repository, or HAVEN_SEEDS_DIR (the
session's test database imports them once; see haven/conftest.py)."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]


def find_seeds() -> Path | None:
    candidates = [os.environ.get("HAVEN_SEEDS_DIR"), REPO.parent / "shared" / "seeds", REPO / "shared" / "seeds"]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir() and any(Path(candidate).glob("000_*")):
            return Path(candidate)
    return None


def seed_paths(seeds_dir: Path) -> list[Path]:
    return sorted(seeds_dir.glob("00[0-4]_*"))
