"""The card: what a reader wants beside the highlights.

Owns the spaCy loading (``nlp``), entities merged across spellings and their titles
(``entities``; their mentions ``gather``, the mention record and merge key ``mentions``,
titles ``titles``), key figures (``figures``; number reading ``numerals``, what they
count ``counted``), quotes with their speakers (``quotes/``) and the ``analyse`` stage
that runs them on the cleaned body and maps their spans back to the input (``stage``).

May import: the core and ``newsgist.reading.segment`` (sentence spans). Not
``highlighting`` nor ``apps``.
"""
