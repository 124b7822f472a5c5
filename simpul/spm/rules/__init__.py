"""Indicator rules, one module per kind of standard. Importing this package registers them all."""

from simpul.spm.rules import education, health, households, referrals, screening  # noqa: F401
