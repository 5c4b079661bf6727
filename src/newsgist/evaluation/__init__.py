"""Evaluation: ROUGE against reference highlights and oracle labels (``rouge``),
LEAD-3 baselines, bootstrap confidence intervals (``evaluate``), training of the
learned ranker (``train_ranker``) and of its set reranker (``train_rerank``), with what
the two share (``train_common``), and of the grounding checker (``train_check``, issue 26).

May import: the core and ``newsgist.api`` (it runs the whole pipeline), ``grounding`` (the
checker it trains). Not ``apps``.
"""
