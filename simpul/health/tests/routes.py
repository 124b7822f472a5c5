"""Access-matrix rows for the KMS chart, the printable KMS, the development page and the FHIR export
(merged by simpul/core/tests/test_access_matrix.py). The health rule: the kesehatan kader of the
posyandu and the nakes of the area; everyone else 403/404."""

HEALTH = {"kader_miji", "bidan_kranggan"}


def _child(o):
    return o["health_child"]


PAGES = {
    # A calculator: no stored data; open to everyone holding view_health (OPD officers hold it too).
    "health:calculator": (lambda o: "/kesehatan/kalkulator/", {"kader_miji", "kader_meri", "kader_jepara",
                                                               "bidan_kranggan", "opd_dinsos"}),
    "health:kms_wfa_svg": (lambda o: f"/kesehatan/orang/{_child(o).pk}/kms-bb.svg", HEALTH),
    "health:kms_lhfa_svg": (lambda o: f"/kesehatan/orang/{_child(o).pk}/kms-tb.svg", HEALTH),
    "health:kms_pdf": (lambda o: f"/kesehatan/orang/{_child(o).pk}/kms.pdf", HEALTH),
    "health:development": (lambda o: f"/kesehatan/orang/{_child(o).pk}/perkembangan/", HEALTH),
}
API = {
    "fhir_person": (lambda o: f"/api/v1/fhir/persons/{_child(o).pk}", HEALTH),
}
NOT_IN_MATRIX: set[str] = set()


def extend(objects: dict) -> None:
    # Aisyah Putri (born 15 Jan 2024) of family_miji: a child under five in Posyandu Melati Miji.
    objects["health_child"] = objects["household"].members.get(full_name="Aisyah Putri")
