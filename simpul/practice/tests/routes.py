"""Access matrix rows of the practice pages (merged by simpul/core/tests/test_access_matrix.py).

The switch page is for users with a grant *at* a posyandu (kader, pengurus, nakes of it); area roles get 403.
"""

PAGES = {
    "practice:index": (lambda o: "/latihan/", {"kader_miji", "kader_meri", "kader_jepara"}),
}
NOT_IN_MATRIX = {
    # POST only: simpul/practice/tests/test_practice_switch.py
    "practice:start",
    "practice:stop",
    "practice:reset",
}
