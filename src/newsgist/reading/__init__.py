"""Reading: the input to an Article with paragraphs and sentences.

Owns decoding (``inputs``), safe fetching (``fetch``, with its SSRF guard ``netguard``
and its errors ``fetch_errors``), HTML main-text extraction (``htmlpage``), input ->
Article (``load``), clutter removal (``clean``) and sentence splitting (``segment``),
and the stages ``clean`` and ``segment`` (``stages``).

May import: the core (``newsgist.errors``, ``types``, ``article``, ``options``,
``registry``, ``text``). Nothing from the other rooms or ``apps``.
"""
