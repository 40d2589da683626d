"""An import writes only values the library's code lists know (languages, periods, merge methods…)."""

from haven.core.codes import values_outside_code_lists
from haven.library.models import Claim, Merge, Source


def test_imported_seeds_hold_only_known_codes(library):
    assert Source.objects.exists() and Claim.objects.exists() and Merge.objects.exists()
    assert values_outside_code_lists() == []
