"""Access matrix rows of the SPM pages (merged by simpul/core/tests/test_access_matrix.py).

Aggregates are open to every role with VIEW_AGGREGATES over its own area (the admin has none); an OPD
officer sees only her field's indicators, so a health indicator is a 404 for Dinsos; the unserved list is
per desa or posyandu (masked for the camat and Tim Pembina, see test_views_unserved.py); the settings pages
are Tim Pembina's alone. Keys after "@" are extra places of the same route.
"""

from conftest import MIJI

AGGREGATES = {"kader_miji", "kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan", "bidan_kranggan",
              "pembina_mojokerto", "opd_dinsos"}
OVER_MIJI = {"lurah_miji", "camat_kranggan", "bidan_kranggan", "pembina_mojokerto"}  # region grants, with health
AT_POSYANDU = OVER_MIJI | {"kader_miji"}
PEMBINA = {"pembina_mojokerto"}

PAGES = {
    "spm:dashboard": (lambda o: "/spm/", AGGREGATES),
    "spm:dashboard@kabkota": (lambda o: "/spm/?wilayah=3576&periode=2026-Q3", {"pembina_mojokerto", "opd_dinsos"}),
    "spm:dashboard@posyandu": (lambda o: f"/spm/?posyandu={o['posyandu'].pk}", AT_POSYANDU | {"opd_dinsos"}),
    "spm:indicator": (lambda o: f"/spm/indikator/kes.balita/?wilayah={MIJI}", OVER_MIJI),
    "spm:indicator@posyandu": (lambda o: f"/spm/indikator/kes.balita/?posyandu={o['posyandu'].pk}", AT_POSYANDU),
    "spm:indicator@sosial": (lambda o: f"/spm/indikator/sos.lansia_telantar/?wilayah={MIJI}",
                             OVER_MIJI | {"opd_dinsos"}),  # aggregates: every field but for an OPD
    "spm:unserved": (lambda o: f"/spm/indikator/kes.balita/belum-terlayani/?posyandu={o['posyandu'].pk}",
                     AT_POSYANDU),
    "spm:export_unserved": (lambda o: f"/spm/indikator/kes.balita/belum-terlayani.xlsx?wilayah={MIJI}",
                            OVER_MIJI),
    "spm:export_achievement": (lambda o: f"/spm/ekspor/capaian.xlsx?wilayah={MIJI}", OVER_MIJI | {"opd_dinsos"}),
    "spm:export_breakdown": (lambda o: "/spm/ekspor/per-wilayah.xlsx?wilayah=357603",
                             {"camat_kranggan", "bidan_kranggan", "pembina_mojokerto", "opd_dinsos"}),
    "spm:export_espm": (lambda o: "/spm/ekspor/e-spm.xlsx?wilayah=3576&bidang=kesehatan&periode=2026-Q3", PEMBINA),
    "spm:settings_targets": (lambda o: "/spm/atur/", PEMBINA),
    "spm:settings_sasaran": (lambda o: "/spm/atur/sasaran/?wilayah=3576&tahun=2026", PEMBINA),
    "spm:settings_external": (lambda o: "/spm/atur/data-luar/", PEMBINA),
}
NOT_IN_MATRIX = {
    "spm:settings_clear",  # POST only: simpul/spm/tests/test_views_settings.py
}

# /api/v1/spm rows live beside these (routes_api.py, the lead's).
from simpul.spm.tests.routes_api import API  # noqa: E402, F401  (merged by the access matrix)
