"""`make translations-check`: fail when the Bahasa Indonesia catalogue is stale or incomplete.

It re-extracts the English source strings into locale/id (so a new string
shows up as untranslated), then fails on any untranslated or fuzzy entry and
on a compiled .mo that does not match the .po.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]
PO = BASE / "locale" / "id" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _entries(text: str) -> set[str]:
    """The catalogue's entries, ignoring the header, order and obsolete ones: what matters is which
    source strings it holds and how they are translated, not where extraction happened to put them."""
    blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
    return {b for b in blocks[1:] if not b.startswith("#~")}


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpul.settings")
    import django
    from django.core.management import call_command

    django.setup()
    original = PO.read_text(encoding="utf-8") if PO.exists() else ""
    call_command("makemessages", locale=["id"], no_location=True, ignore_patterns=[".venv/*", "var/*", "bench/*"],
                 verbosity=0)
    extracted = PO.read_text(encoding="utf-8")
    problems = []
    if _entries(extracted) != _entries(original):
        problems.append("locale/id/LC_MESSAGES/django.po is stale (source strings changed): run `make messages`")
    for flag, label in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
        out = subprocess.run(["msgattrib", flag, "--no-obsolete", str(PO)], capture_output=True, text=True, check=True).stdout
        entries = [b for b in out.split("\n\n") if "msgid" in b and 'msgid ""\nmsgstr ""' not in b[:40]]
        if entries:
            problems.append(f"{len(entries)} {label} entries, e.g.:\n" + "\n\n".join(entries[:5]))
    PO.write_text(original, encoding="utf-8")  # leave the tree as it was
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "django.mo"
        subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(PO)], check=True)
        if not MO.exists() or fresh.read_bytes() != MO.read_bytes():
            problems.append("locale/id/LC_MESSAGES/django.mo is out of date: run `make messages`")
    if problems:
        print("translations-check failed:\n" + "\n\n".join(problems))
        return 1
    print("translations-check: the id catalogue is complete and compiled")
    return 0


if __name__ == "__main__":
    sys.exit(main())
