"""Access matrix rows of the field app (merged by simpul/core/tests/test_access_matrix.py)."""

KADERS = {"kader_miji", "kader_meri", "kader_jepara"}
EVERYONE = {"kader_miji", "kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan", "bidan_kranggan",
            "pembina_mojokerto", "opd_dinsos", "admin_user"}

PAGES = {
    # the shell and the session's device key: only a kader has a field app
    "fieldapp:shell": (lambda o: "/lapangan/", KADERS),
    "fieldapp:device_key": (lambda o: "/lapangan/kunci/", KADERS),
    # no personal data: the manifest and the worker script are the same for everyone
    "fieldapp:manifest": (lambda o: "/lapangan/manifest.webmanifest", EVERYONE),
    "fieldapp_service_worker": (lambda o: "/sw.js", EVERYONE),
}
NOT_IN_MATRIX = {
    "fieldapp:signed_out",  # after logout only; a logged-in user is sent home: simpul/fieldapp/tests/test_views.py
}
