"""The delta feed's rules, one test per rule (mutation run of catalog/feeds/delta.py)."""
