"""Quotes and reported speech, with their speakers.

``extract`` runs it all (:func:`~newsgist.card.quotes.extract.extract_quotes`):
``marks`` pairs the quotation marks into quote spans, ``direct`` makes them direct and
partial quotes with their speakers (``marked_quotes``); ``candidates`` finds the cue
words of reported speech ("said that ...", "according to ...") with their content,
``indirect`` scores and keeps them (``indirect_quotes``); ``speakers`` finds who
speaks for a cue (the mention, "he", "the minister") and ``resolution`` resolves it
to a person with a title; ``lexicon`` holds the cue words, people words and windows;
``model`` the learned filter for indirect quotes (numpy only) and its training.

May import: the core, ``newsgist.card.nlp``, ``newsgist.reading.segment``.
"""
