"""The words the field app's scripts show, translated on the server and handed over in the page.

The page scripts hold no text of their own, so the one Indonesian catalogue covers them too.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from simpul.health.growth.classify import LengthForAge, WeightForAge, WeightForLength


def ui_strings() -> dict:
    return {
        "online": _("Online"),
        "offline": _("Offline — entries are kept on this phone"),
        "pending": _("Waiting to be sent: %(count)s (%(size)s)"),
        "last_sync": _("Last successful sync: %(time)s"),
        "never_synced": _("Not synced yet"),
        "syncing": _("Syncing…"),
        "sync_done": _("Sync finished."),
        "sync_failed": _("Sync failed. Your entries stay on this phone; try again when the signal is better."),
        "login_again": _("Your login has ended. Log in again to sync; your entries stay on this phone."),
        "not_prepared": _("This phone has no data yet. Connect to the internet and sync once."),
        "saved_offline": _("Saved on this phone. It is sent at the next sync."),
        "members": _("Members"),
        "no_households": _("No households yet."),
        "household": _("Household"),
        "new_household": _("New household"),
        "rt_rw": _("RT %(rt)s / RW %(rw)s"),
        "age_years": _("%(years)s yr"),
        "age_months": _("%(months)s mo"),
        "weighings": _("Weighings"),
        "not_sent": _("not sent yet"),
        "kind.household.create": _("New household"),
        "kind.person.create": _("New resident"),
        "kind.household.update": _("Household change"),
        "kind.measurement.create": _("Weighing"),
        "state.pending": _("waiting"),
        "state.conflict": _("changed by someone else"),
        "state.rejected": _("refused"),
        "conflict_title": _("This household was changed by someone else"),
        "yours": _("Your version"),
        "theirs": _("Server version"),
        "keep_mine": _("Keep my version"),
        "keep_theirs": _("Use the server version"),
        "discard": _("Delete this entry"),
        "confirm_logout": _("Some entries have not been sent yet. If you log out now they are deleted from this "
                            "phone. Log out anyway?"),
        "address": _("Address"),
        "z_older": _("The server grades children older than five years after sync."),
        "wfa": _("Weight-for-age"),
        "lhfa": _("Length/height-for-age"),
        "wflh": _("Weight-for-length/height"),
        "required": _("Fill in the marked fields."),
        "classes": {
            "wfa": {c.value: str(c.label) for c in WeightForAge},
            "lhfa": {c.value: str(c.label) for c in LengthForAge},
            "wflh": {c.value: str(c.label) for c in WeightForLength},
        },
    }
