"""The ``newsgist`` command line: ``main`` (card, highlights, text, methods, eval;
the entry point), ``batch``, ``serve`` and ``train`` (commands that plug into main),
``render`` (a card as text, Markdown or JSON). Thin: each command parses its flags
into :class:`~newsgist.options.Options` and calls the library.
"""
