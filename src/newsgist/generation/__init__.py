"""Highlights written by an LLM (``--generator llm``), every line checked against the source.

Layer 1 room: may import the core, ``grounding`` (the checker that judges each line) and
``highlighting`` (the extractive highlights that replace an unsupported line).
:mod:`.client` talks to any OpenAI-compatible endpoint, :mod:`.prompt` builds what is
sent (the cleaned body, the dateline, the count and a word budget), :mod:`.parse` reads
the reply, :mod:`.stage` is the ``generate`` stage (order 65) that applies the
``--unsupported`` policy and fills ``meta.llm``.
"""
