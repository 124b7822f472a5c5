"""Rules of this group are being written; see simpul/spm/catalogue.py for the rule names they register."""
