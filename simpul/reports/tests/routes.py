"""Access matrix rows of the monthly report (merged by simpul/core/tests/test_access_matrix.py).

A report is aggregate health data: the kesehatan field with ``view_aggregates`` over the posyandu (its
kader, the lurah, the camat, the nakes of the kecamatan, Tim Pembina) may see it; Dinsos, another
region's kader and the administrator may not. A region summary needs a grant over the whole region, so
the kader (whose grant is one posyandu) does not see the desa summary.
"""

POSYANDU = {"kader_miji", "lurah_miji", "camat_kranggan", "bidan_kranggan", "pembina_mojokerto"}
DESA = {"lurah_miji", "camat_kranggan", "bidan_kranggan", "pembina_mojokerto"}
VIEWERS = {"kader_miji", "kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan", "bidan_kranggan",
           "pembina_mojokerto", "opd_dinsos"}  # everyone with view_aggregates (the list is filtered)


def _report(o, suffix="/"):
    return f"/laporan/posyandu/{o['posyandu'].pk}/2026-10{suffix}"


PAGES = {
    "reports:index": (lambda o: "/laporan/", VIEWERS),
    "reports:posyandu_report": (lambda o: _report(o), POSYANDU),
    "reports:posyandu_report_xlsx": (lambda o: _report(o, ".xlsx"), POSYANDU),
    "reports:posyandu_report_pdf": (lambda o: _report(o, ".pdf"), POSYANDU),
    "reports:region_summary": (lambda o: "/laporan/wilayah/3576031002/2026-10/", DESA),
    "reports:region_summary_xlsx": (lambda o: "/laporan/wilayah/3576031002/2026-10.xlsx", DESA),
    "reports:region_summary_pdf": (lambda o: "/laporan/wilayah/3576031002/2026-10.pdf", DESA),
}
API = {
    "monthly_report_detail": (lambda o: f"/api/v1/reports/posyandu/{o['posyandu'].pk}/2026-10", POSYANDU),
    "monthly_report_region": (lambda o: "/api/v1/reports/regions/3576031002/2026-10", DESA),
}
# POST only: simpul/reports/tests/test_report_views.py and test_report_api.py
NOT_IN_MATRIX = {"reports:posyandu_report_submit", "reports:posyandu_report_correct", "monthly_report_submit",
                 "monthly_report_correct"}
