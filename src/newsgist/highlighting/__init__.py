"""Highlighting: which sentences become the story highlights, and how short.

Owns the scorers (``scorers``: lead, position, textrank; ``ranker`` and
``ranker_features``: the learned default, and ``rerank``: its second stage, which
chooses the highlight set as a whole; ``methods``: what "default" means),
selection (``select``), the stages ``score`` and ``select`` (``stages``) and
deletion-based compression (``compress/``).

May import: the core, ``newsgist.grounding`` (compression reports its faithfulness)
and ``newsgist.card.nlp`` (the shared spaCy model, for compression). Not ``apps``.
"""
