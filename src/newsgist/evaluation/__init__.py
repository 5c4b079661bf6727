"""Evaluation: ROUGE against reference highlights, LEAD-3 baselines, bootstrap
confidence intervals (``evaluate``).

May import: the core and ``newsgist.api`` (it runs the whole pipeline). Not ``apps``.
"""
