"""corpus/: stories from a corpus (``newsgist cluster``): article features (words, names,
numbers, dates, hashed), the story index (placed a chunk at a time), its saved state. May import: core,
``reading`` (HTML records) (ARCHITECTURE.md).

``features`` (an article's words, names, numbers and date, hashed), ``records`` (input
lines to features or typed per-record errors), ``linkage`` (average link inside a chunk),
``index`` (the story index: streaming IDF,
centroids, an inverted index for candidates, the join rule), ``state`` (saving and loading
the index for ``--state``). The command and its engines live in ``apps/cluster/``.
"""
