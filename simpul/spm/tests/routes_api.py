"""Access matrix rows of /api/v1/spm (merged through routes.py)."""

API = {
    # Aggregates of Kecamatan Kranggan: those whose area contains it (the OPD for its own field).
    "spm_achievement": (lambda o: "/api/v1/spm/achievement?region=357603",
                        {"camat_kranggan", "bidan_kranggan", "pembina_mojokerto", "opd_dinsos"}),
    # The unserved list of a health indicator in Kelurahan Miji: masked or named, never another field's OPD.
    "spm_unserved": (lambda o: "/api/v1/spm/unserved?indicator=kes.usia_produktif&region=3576031002",
                     {"lurah_miji", "camat_kranggan", "bidan_kranggan", "pembina_mojokerto"}),
}
