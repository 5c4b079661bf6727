"""Quotes and reported speech, with their speakers.

``extract`` finds direct and partial quotes and runs the rest, ``indirect`` finds
reported speech ("said that ...", "according to ..."), ``speakers`` resolves who
speaks ("he", "the minister" -> a name), ``lexicon`` holds the cue words, ``model``
the learned filter for indirect quotes (numpy only).

May import: the core, ``newsgist.card.nlp``, ``newsgist.reading.segment``.
"""
