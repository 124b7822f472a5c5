"""KBM (kenaikan berat badan minimal): the least monthly weight gain a child 0–59 months should show.

Reference data, versioned. A child weighed this month and last month is **N** (naik) when the gain is
at least the KBM for the child's age this month, **T** (tidak naik) otherwise (see ``weightgain``).

Source and status — TO BE CONFIRMED: these are the values commonly quoted from the KMS/Buku KIA
guidance (Kemenkes, KMS balita; Permenkes 155/2010 on the use of the KMS): 1 month 800 g, 2 months
900 g, 3 months 800 g, 4 months 600 g, 5 months 500 g, 6–7 months 400 g, 8–10 months 300 g, 11 months
and from 12 up to 59 months 200 g. domain.md §3.4 marks the full table [U] (not yet checked against
the printed guidance), and so does docs/decisions/0007-kbm-table.md. When the table is confirmed or
changed, add a new version below and point ``CURRENT`` at it; results are computed on read, so every
month is assessed again with the new table.

Age is the child's age in completed months on the day of this month's weighing. At 0 months (born last
month, weighed then and again before turning one month) no KBM is printed; the 1-month value applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class KbmTable:
    version: str
    source: str
    confirmed: bool
    grams_by_month: MappingProxyType  # completed months 0..59 -> grams

    def grams(self, age_months: int) -> int:
        if age_months not in self.grams_by_month:
            raise ValueError(f"KBM is defined for 0-59 months, not {age_months}")
        return self.grams_by_month[age_months]


def _table(first_year: dict[int, int], from_12: int) -> MappingProxyType:
    grams = {0: first_year[1], **first_year}
    grams.update({month: from_12 for month in range(12, 60)})
    return MappingProxyType(grams)


KBM_2010_UNCONFIRMED = KbmTable(
    version="kms-2010-unconfirmed",
    source="KMS/Buku KIA guidance as commonly quoted (Permenkes 155/2010); to be confirmed, see ADR 0007",
    confirmed=False,
    grams_by_month=_table(
        {1: 800, 2: 900, 3: 800, 4: 600, 5: 500, 6: 400, 7: 400, 8: 300, 9: 300, 10: 300, 11: 200},
        from_12=200,
    ),
)

CURRENT = KBM_2010_UNCONFIRMED


def kbm_grams(age_months: int, table: KbmTable = CURRENT) -> int:
    return table.grams(age_months)
