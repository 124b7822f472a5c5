"""Writes of the posyandu day. Views and the API call only these."""

from simpul.serviceday.services.attendance import attendance_record, walk_in_register
from simpul.serviceday.services.close import absence_visit, day_close, referral_follow_up
from simpul.serviceday.services.days import counselling_record, day_cancel, day_open, day_schedule
from simpul.serviceday.services.given import ServiceInput, service_record

__all__ = ["ServiceInput", "absence_visit", "attendance_record", "counselling_record", "day_cancel", "day_close",
           "day_open", "day_schedule", "referral_follow_up", "service_record", "walk_in_register"]
