"""The query plan's rules, one test per rule, without a search backend (mutation run of search/plan.py)."""
