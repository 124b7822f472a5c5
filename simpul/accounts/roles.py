"""Roles as a small named enum mapped to named permissions (design.md §1).

A permission says *what* a role may do; *where* comes from the membership's
region subtree (or posyandu) and *which fields* from its SPM fields.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    KADER = "kader", _("Cadre (kader)")
    PENGURUS = "pengurus", _("Posyandu board (pengurus)")
    NAKES = "nakes", _("Health worker (nakes)")
    DESA = "desa", _("Village government (desa/kelurahan)")
    KECAMATAN = "kecamatan", _("District (kecamatan)")
    OPD = "opd", _("Agency officer (OPD)")
    PEMBINA = "pembina", _("Supervising team (Tim Pembina)")
    ADMIN = "admin", _("Administrator")


class Perm:
    VIEW_PERSON = "view_person"  # named household and resident records
    REGISTER = "register"  # register and edit households and residents
    VIEW_POSYANDU = "view_posyandu"
    EDIT_POSYANDU = "edit_posyandu"  # legal data, pengurus and kader roster
    MANAGE_SUBDIVISIONS = "manage_subdivisions"
    # Health detail of named people (measurements, immunisation): only together with the kesehatan field.
    # Kader and nakes of the place, and the Dinkes officer (an OPD whose field is kesehatan); never the desa,
    # the camat, Tim Pembina or another OPD (issue 3, "Scope and bad input").
    VIEW_HEALTH = "view_health"
    # Recording measurements, immunisations and services: the kader of the kesehatan field and the nakes who
    # gives the vaccine or validates the weighing (again only with the kesehatan field at that place).
    RECORD_HEALTH = "record_health"
    VIEW_AGGREGATES = "view_aggregates"  # counts by region, never names
    # Referrals (issue 4). The state moves themselves are in simpul/referrals/states.py; these say who
    # may open the pages at all.
    RECORD_NEED = "record_need"  # record a need in any of the six fields
    VIEW_REFERRALS = "view_referrals"  # named referrals of the place (kader, desa) or of the agency (opd)
    MONITOR_REFERRALS = "monitor_referrals"  # tickets without personal data: escalations, SLA compliance
    MANAGE_ROUTING = "manage_routing"  # agencies, categories, routing rules, SLA settings
    MANAGE_CALENDAR = "manage_calendar"  # the holiday table
    MANAGE_USERS = "manage_users"


ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.KADER: frozenset(
        {Perm.VIEW_PERSON, Perm.REGISTER, Perm.VIEW_POSYANDU, Perm.VIEW_AGGREGATES, Perm.VIEW_HEALTH,
         Perm.RECORD_HEALTH, Perm.RECORD_NEED, Perm.VIEW_REFERRALS}
    ),
    Role.PENGURUS: frozenset(
        {Perm.VIEW_PERSON, Perm.REGISTER, Perm.VIEW_POSYANDU, Perm.EDIT_POSYANDU, Perm.VIEW_AGGREGATES,
         Perm.RECORD_NEED, Perm.VIEW_REFERRALS}
    ),
    Role.NAKES: frozenset(
        {Perm.VIEW_PERSON, Perm.VIEW_POSYANDU, Perm.VIEW_AGGREGATES, Perm.VIEW_HEALTH, Perm.RECORD_HEALTH}
    ),
    Role.DESA: frozenset(
        {Perm.VIEW_PERSON, Perm.VIEW_POSYANDU, Perm.EDIT_POSYANDU, Perm.MANAGE_SUBDIVISIONS, Perm.VIEW_AGGREGATES,
         Perm.RECORD_NEED, Perm.VIEW_REFERRALS, Perm.MONITOR_REFERRALS}
    ),
    Role.KECAMATAN: frozenset({Perm.VIEW_POSYANDU, Perm.VIEW_AGGREGATES, Perm.MONITOR_REFERRALS}),
    # An OPD officer works the referrals routed to the agency, and sees no person outside them.
    Role.OPD: frozenset({Perm.VIEW_AGGREGATES, Perm.VIEW_HEALTH, Perm.VIEW_REFERRALS}),
    Role.PEMBINA: frozenset({Perm.VIEW_POSYANDU, Perm.EDIT_POSYANDU, Perm.VIEW_AGGREGATES, Perm.MONITOR_REFERRALS,
                             Perm.MANAGE_ROUTING}),
    # The administrator configures; no browsing of personal data by default.
    Role.ADMIN: frozenset({Perm.MANAGE_USERS, Perm.MANAGE_CALENDAR}),
}
