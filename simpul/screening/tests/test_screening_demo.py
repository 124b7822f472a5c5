"""seed_demo: screenings of adults and elderly at the demo kader's posyandu, with findings, idempotent."""

import pytest

from simpul.screening.demo import seed_demo
from simpul.screening.models import Screening
from simpul.screening.tests.kit import D, resident

pytestmark = pytest.mark.django_db
TODAY = D(2026, 11, 22)


@pytest.fixture
def residents(kader_miji, kader_meri, posyandu_miji, posyandu_meri, family_miji):
    for kader, posyandu in ((kader_miji, posyandu_miji), (kader_meri, posyandu_meri)):
        for n in range(4):
            resident(kader, posyandu, f"Dewasa {posyandu.pk}-{n}", "MF"[n % 2], D(1970 + n * 5, 3, 1))
        for n in range(2):
            resident(kader, posyandu, f"Lansia {posyandu.pk}-{n}", "FM"[n % 2], D(1945 + n * 5, 6, 1))
    return posyandu_miji, posyandu_meri


def test_it_screens_adults_and_elderly_with_some_findings_and_runs_once(residents):
    stored = seed_demo(seed=7, today=TODAY)
    assert stored == Screening.objects.count() > 0
    for posyandu in residents:
        rows = list(Screening.objects.filter(posyandu=posyandu))
        assert {s.life_stage for s in rows} == {"dewasa", "lansia"}
        assert all(s.screened_on < TODAY for s in rows)
        flags = [code for s in rows for code in s.flags]
        assert flags.count("hypertension") >= 2
        assert "hyperglycaemia" in flags and "functional_dependence" in flags
        assert all(s.recorded_by.username in {"kader.miji", "kader.meri"} for s in rows)
    assert seed_demo(seed=7, today=TODAY) == 0
    assert Screening.objects.count() == stored


def test_without_the_demo_kader_it_does_nothing(db):
    assert seed_demo(seed=7, today=TODAY) == 0
