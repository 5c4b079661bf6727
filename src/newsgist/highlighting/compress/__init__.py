"""Compression: shorter highlights by deleting words, never adding or rewording.

``syntax`` holds the parse vocabulary and the ``Candidate`` record the others share;
``rules`` finds deletable phrases in a dependency parse (``modifiers``: the optional
modifiers of the learned mode); ``guards`` vetoes deletions that would break the
sentence (``grammar_guards``) or change the meaning (``meaning_guards``); ``model``
scores deletions (numpy only); ``stage`` runs them as the ``compress`` stage and
reports each highlight's kept spans and checks.

May import: the core, ``newsgist.highlighting.select``, ``newsgist.grounding``,
``newsgist.card.nlp``.
"""
