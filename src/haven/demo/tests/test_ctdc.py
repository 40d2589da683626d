import os
from pathlib import Path

import pytest

from haven.demo import ctdc

REPO = Path(__file__).resolve().parents[4]
CTDC_DIR = Path(os.environ.get("HAVEN_SHARED_DIR", REPO.parent / "shared")) / "data" / "ctdc"


@pytest.fixture
def ctdc_dir():
    if not (CTDC_DIR / ctdc.GLOBAL_FILE).exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but the CTDC data is missing at {CTDC_DIR}")
        pytest.skip("the shared CTDC data is not beside the repository")
    return CTDC_DIR


def test_the_bundled_distributions_are_what_the_ctdc_files_give(ctdc_dir):
    assert ctdc.derive(ctdc_dir) == ctdc.bundled()


def test_the_distributions_are_usable():
    data = ctdc.bundled()
    forms = {row[0] for row in data["victims"]}
    assert forms == {"labour", "sexual"}
    assert all(row[-1] > 0 for row in data["victims"] + data["perpetrators"])
    assert {row[1] for row in data["victims"]} <= {"female", "male"}
    assert sum(row[-1] for row in data["victims"]) > 1000
