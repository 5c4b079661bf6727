"""Compression: shorter highlights by deleting words, never adding or rewording.

``rules`` finds deletable phrases in a dependency parse, ``guards`` vetoes deletions
that would change the meaning, ``model`` scores deletions (numpy only), ``stage``
runs them as the ``compress`` stage and reports each highlight's kept spans and checks.

May import: the core, ``newsgist.highlighting.select``, ``newsgist.grounding``,
``newsgist.card.nlp``.
"""
