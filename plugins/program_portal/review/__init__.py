"""Reviewing a change: check results for CI systems (:mod:`.formats`) and what a change does (:mod:`.diff`)."""
