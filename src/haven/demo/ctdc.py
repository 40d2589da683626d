"""Distributions the demo draws from, derived from real CTDC data and the Belgian seeds.

The Counter-Trafficking Data Collaborative's Global Dataset (14 Apr 2020 release, column
subset) gives who is exploited in Europe: sex and age band by form of exploitation. The
synthetic victim–perpetrator dataset (1 December 2022) gives the perpetrators' sex and age (all regions).
Those joint counts are bundled in ``ctdc_distributions.json`` so that the demo runs on a
machine without the data; ``derive()`` recomputes them from the CSV files, and a test proves
the bundled file equals what the CSV files give.

Source: Counter-Trafficking Data Collaborative (CTDC), The Global Dataset (14 Apr 2020
release; column subset) and Global Synthetic Victim-Perpetrator Dataset (1 December 2022),
https://www.ctdatacollaborative.org/
"""

import csv
import json
from collections import Counter
from pathlib import Path

BUNDLED = Path(__file__).resolve().parent / "ctdc_distributions.json"
GLOBAL_FILE = "global_dataset_14apr2020_subset.csv"
VP_FILE = "CTDC_VPsynthetic_condensed.csv"

# Countries of exploitation counted as "Europe" (those present in the subset).
EUROPE = {"UA", "MD", "RU", "BY", "BG", "PL", "RO", "RS", "MK", "BA", "CZ", "IT", "AT", "AL", "DK", "CY", "TR"}
AGE_BANDS = ["0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+"]


def _form(row: dict) -> str | None:
    labour, sexual = row["isForcedLabour"] == "1.0", row["isSexualExploit"] == "1.0"
    if labour and not sexual:
        return "labour"
    if sexual and not labour:
        return "sexual"
    return None  # both, neither or unknown: not used to condition on the form


def derive(directory: Path) -> dict:
    """Joint counts from the CTDC CSV files in ``directory`` (the shared data/ctdc folder)."""
    victims: Counter = Counter()
    with open(directory / GLOBAL_FILE, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            form = _form(row)
            if row["CountryOfExploitation"] in EUROPE and form and row["ageBroad"] in AGE_BANDS:
                victims[(form, row["gender"].lower(), row["ageBroad"])] += 1
    perpetrators: Counter = Counter()
    with open(directory / VP_FILE, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["IP_Gender"] in {"Female", "Male"} and row["IP_ageBroad"]:
                if ";" not in row["IP_ageBroad"]:
                    perpetrators[(row["IP_Gender"].lower(), row["IP_ageBroad"])] += 1
    return {
        "source": __doc__.split("Source: ", 1)[1].strip(),
        "victims": sorted([*key, count] for key, count in victims.items()),
        "perpetrators": sorted([*key, count] for key, count in perpetrators.items()),
    }


def bundled() -> dict:
    return json.loads(BUNDLED.read_text(encoding="utf-8"))


def write_bundled(directory: Path) -> dict:
    data = derive(directory)
    BUNDLED.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return data
