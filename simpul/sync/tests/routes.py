"""Access matrix rows of the field-app sync (merged by simpul/core/tests/test_access_matrix.py)."""

# Every kader may pull; each receives only her own posyandu (simpul/sync/tests/test_pull_scope.py).
KADERS = {"kader_miji", "kader_meri", "kader_jepara"}

API = {
    "sync_pull_view": (lambda o: "/api/v1/sync/pull", KADERS),
}
NOT_IN_MATRIX = {
    "sync_push_view",  # POST only: simpul/sync/tests/test_push_*.py and test_sync_access.py
    "sync_photo_view",  # POST only: simpul/sync/tests/test_push_referral.py
}
