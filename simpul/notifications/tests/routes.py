"""Rows of the central access matrix (simpul/core/tests/test_access_matrix.py) for notifications."""

EVERYONE = {"kader_miji", "kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan", "bidan_kranggan",
            "pembina_mojokerto", "opd_dinsos", "admin_user"}

PAGES = {
    # Every signed-in user has a notifications page; it lists only their own (test_notification_views).
    "notifications:list": (lambda o: "/notifikasi/", EVERYONE),
}
NOT_IN_MATRIX = {
    # Open one (marks read, then redirects) and mark-all-read (POST only): simpul/notifications/tests/
    # test_notification_views.py, including another user's id → 404.
    "notifications:open", "notifications:read_all",
}
