"""The built-in stages and scorers. Importing a module registers what it defines
(:mod:`newsgist.registry`); a new stage, scorer or generator is its own module plus
one line here. Run order comes from each stage's ``order``, not from this list.
"""
import newsgist.reading.stages  # noqa: F401  clean (10), segment (20)
import newsgist.reading.language  # noqa: F401  language (15): English-only parts run on English only
import newsgist.card.stage  # noqa: F401  analyse (30): entities, quotes, figures
import newsgist.highlighting.scorers  # noqa: F401  lead, position, textrank
import newsgist.highlighting.ranker  # noqa: F401  learned (the default method)
import newsgist.highlighting.stages  # noqa: F401  score (40), select (50)
import newsgist.highlighting.compress.stage  # noqa: F401  compress (60, with --compress)
import newsgist.grounding.stage  # noqa: F401  ground (70): every highlight's support, checks and score
import newsgist.generation.stage  # noqa: F401  generate (65, with --generator llm): LLM lines checked by grounding
