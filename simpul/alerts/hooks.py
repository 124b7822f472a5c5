"""Alerts follow the records: evaluated again for the posyandu an SPM counter refresh just recomputed."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def after_spm_refresh(posyandu_ids, year, judged_this_month, today, codes=()) -> None:
    """``simpul.spm.counters.on_refreshed`` listener: the refresh runs after commit, once per transaction.

    A refresh of a past year (a late correction) is also followed by one of this year, so only this year's
    refresh evaluates. A failure is logged, not raised: the kader's record is already committed and must not
    turn into an error page because an alert could not be evaluated (the nightly command catches up).
    """
    if year != today.year:
        return
    from simpul.alerts.services import alerts_evaluate

    try:
        alerts_evaluate(posyandu_ids, today=today)
    except Exception:  # noqa: BLE001 — see the docstring
        logger.exception("alerts: evaluation after the SPM refresh failed for posyandu %s", sorted(posyandu_ids))
