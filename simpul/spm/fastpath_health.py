"""Vector forms of the health rules (rules/health.py): under_five_package, anc_pattern, monthly_follow_up.

Each form must give exactly ``engine.count``'s cells; see simpul/spm/tests/test_fastpath_health.py.
"""
