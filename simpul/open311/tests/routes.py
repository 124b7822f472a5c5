"""Open311 routes and the access matrix (simpul/core/tests/test_access_matrix.py).

They are not in the persona matrix: the GETs are public by design (no login; citizen-facing fields only,
confidential referrals never) and the POST authenticates by api_key, never by a session, so a logged-in
persona changes nothing. Who sees and may do what is tested in the files named below.
"""

PAGES: dict = {}
API: dict = {}
NOT_IN_MATRIX = {
    "open311:services": "public, no personal data: test_services.py",
    "open311:service": "public, no personal data: test_services.py",
    "open311:requests": "public GET (test_requests.py); POST by api_key only (test_post.py, test_georeport_client.py)",
    "open311:request": "public, confidential never returned: test_requests.py",
}
