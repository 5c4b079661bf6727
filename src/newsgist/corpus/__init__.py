"""Stories from a corpus (``newsgist cluster``): articles about the same *event* grouped
into stories, online, in input order, with a story index that can be saved and extended.

``features`` (an article's words, names, numbers and date, hashed), ``index`` (the story
index: streaming IDF, centroids, an inverted index for candidates, the join rule),
``state`` (saving and loading the index for ``--state``), ``titles`` (a story's title
line and dates). May import the core and ``reading`` (HTML input), and ``story`` for
``--cards``.
"""
