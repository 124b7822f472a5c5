"""Vector forms of the education, household and referral rules (rules/education.py, households.py, referrals.py).

Each form must give exactly ``engine.count``'s cells; see simpul/spm/tests/test_fastpath_other.py.
"""
