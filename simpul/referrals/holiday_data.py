"""National holidays (libur nasional) and cuti bersama of 2026 and 2027, as decreed by the SKB 3 Menteri.

Pure data, no Django imports: migration 0002 loads it, and tests compare it with an independent
calendar. Government offices are closed on both kinds, so both stop the SLA clock.

- 2026: Keputusan Bersama Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB Nomor 1497 Tahun
  2025, Nomor 2 Tahun 2025, Nomor 5 Tahun 2025 (19 September 2025): 17 libur nasional + 8 cuti bersama.
  Cross-checked with news reports of the decree and the PyPI ``holidays`` package 0.109.
- 2027: the SKB for 2027 (set 15 September 2026; 18 libur nasional + 8 cuti bersama), as published by
  Sekretariat Negara and repeated by secondary sources; the decree text itself was not read here. The
  decree leaves Idulfitri and Iduladha 1448 H to the Minister of Religious Affairs after the sidang isbat,
  so those days and the cuti bersama around them are marked ``[U]`` in ``source``: check them when
  Kemenag announces the dates, and correct them in the admin (Referrals › Holidays).

A correction to a date that is already loaded needs its own data migration (0002 runs once); a new
year gets a new block here and a new migration that loads only that year.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

NATIONAL = "national"
COLLECTIVE = "cuti_bersama"

SOURCE_2026 = "SKB 3 Menteri 2026 (Menag 1497/2025, Menaker 2/2025, MenPANRB 5/2025; 19-09-2025)"
SOURCE_2027 = "SKB 3 Menteri 2027 (15-09-2026) via setneg.go.id; cocok dengan holidays 0.109"
ISBAT_2027 = "[U] SKB 3 Menteri 2027 (15-09-2026); tanggal Idulfitri/Iduladha 1448 H menunggu sidang isbat Kemenag"


class HolidayRow(NamedTuple):
    date: dt.date
    name: str
    kind: str  # NATIONAL or COLLECTIVE (simpul.referrals.models.Holiday.Kind)
    source: str


def _rows(year: int, source: str, rows) -> tuple[HolidayRow, ...]:
    """(month, day, kind, name[, source]) → rows of ``year``; the year's decree is the default source."""
    return tuple(HolidayRow(dt.date(year, r[0], r[1]), r[3], r[2], r[4] if len(r) > 4 else source) for r in rows)


N, C = NATIONAL, COLLECTIVE

HOLIDAYS_2026 = _rows(2026, SOURCE_2026, (
    (1, 1, N, "Tahun Baru 2026 Masehi"),
    (1, 16, N, "Isra Mikraj Nabi Muhammad S.A.W."),
    (2, 16, C, "Cuti Bersama Tahun Baru Imlek 2577 Kongzili"),
    (2, 17, N, "Tahun Baru Imlek 2577 Kongzili"),
    (3, 18, C, "Cuti Bersama Hari Suci Nyepi (Tahun Baru Saka 1948)"),
    (3, 19, N, "Hari Suci Nyepi (Tahun Baru Saka 1948)"),
    (3, 20, C, "Cuti Bersama Idulfitri 1447 Hijriah"),
    (3, 21, N, "Idulfitri 1447 Hijriah"),
    (3, 22, N, "Idulfitri 1447 Hijriah"),
    (3, 23, C, "Cuti Bersama Idulfitri 1447 Hijriah"),
    (3, 24, C, "Cuti Bersama Idulfitri 1447 Hijriah"),
    (4, 3, N, "Wafat Yesus Kristus"),
    (4, 5, N, "Kebangkitan Yesus Kristus (Paskah)"),
    (5, 1, N, "Hari Buruh Internasional"),
    (5, 14, N, "Kenaikan Yesus Kristus"),
    (5, 15, C, "Cuti Bersama Kenaikan Yesus Kristus"),
    (5, 27, N, "Iduladha 1447 Hijriah"),
    (5, 28, C, "Cuti Bersama Iduladha 1447 Hijriah"),
    (5, 31, N, "Hari Raya Waisak 2570 BE"),
    (6, 1, N, "Hari Lahir Pancasila"),
    (6, 16, N, "1 Muharam Tahun Baru Islam 1448 Hijriah"),
    (8, 17, N, "Proklamasi Kemerdekaan"),
    (8, 25, N, "Maulid Nabi Muhammad S.A.W."),
    (12, 24, C, "Cuti Bersama Kelahiran Yesus Kristus"),
    (12, 25, N, "Kelahiran Yesus Kristus"),
))

HOLIDAYS_2027 = _rows(2027, SOURCE_2027, (
    (1, 1, N, "Tahun Baru 2027 Masehi"),
    (1, 5, N, "Isra Mikraj Nabi Muhammad S.A.W."),
    (2, 5, C, "Cuti Bersama Tahun Baru Imlek 2578 Kongzili"),
    (2, 6, N, "Tahun Baru Imlek 2578 Kongzili"),
    (3, 8, N, "Hari Suci Nyepi (Tahun Baru Saka 1949)"),
    (3, 9, C, "Cuti Bersama Idulfitri 1448 Hijriah", ISBAT_2027),
    (3, 10, N, "Idulfitri 1448 Hijriah", ISBAT_2027),
    (3, 11, N, "Idulfitri 1448 Hijriah", ISBAT_2027),
    (3, 12, C, "Cuti Bersama Idulfitri 1448 Hijriah", ISBAT_2027),
    (3, 15, C, "Cuti Bersama Idulfitri 1448 Hijriah", ISBAT_2027),
    (3, 25, C, "Cuti Bersama Wafat Yesus Kristus"),
    (3, 26, N, "Wafat Yesus Kristus"),
    (3, 28, N, "Kebangkitan Yesus Kristus (Paskah)"),
    (5, 1, N, "Hari Buruh Internasional"),
    (5, 6, N, "Kenaikan Yesus Kristus"),
    (5, 17, N, "Iduladha 1448 Hijriah", ISBAT_2027),
    (5, 18, C, "Cuti Bersama Iduladha 1448 Hijriah", ISBAT_2027),
    (5, 19, C, "Cuti Bersama Hari Raya Waisak 2571 BE"),
    (5, 20, N, "Hari Raya Waisak 2571 BE"),
    (6, 1, N, "Hari Lahir Pancasila"),
    (6, 6, N, "1 Muharam Tahun Baru Islam 1449 Hijriah"),
    (8, 15, N, "Maulid Nabi Muhammad S.A.W."),
    (8, 17, N, "Proklamasi Kemerdekaan"),
    (12, 24, C, "Cuti Bersama Kelahiran Yesus Kristus"),
    (12, 25, N, "Kelahiran Yesus Kristus"),
    # 1449 H begins within 2027: Isra Mikraj falls twice in the Gregorian year.
    (12, 26, N, "Isra Mikraj Nabi Muhammad S.A.W."),
))

HOLIDAYS: tuple[HolidayRow, ...] = HOLIDAYS_2026 + HOLIDAYS_2027


def for_years(*years: int) -> tuple[HolidayRow, ...]:
    return tuple(row for row in HOLIDAYS if row.date.year in years)
