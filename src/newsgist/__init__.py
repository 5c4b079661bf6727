"""newsgist: story highlights, quotes, entities and key figures from a news article.

>>> import newsgist
>>> card = newsgist.read(text)            # an Article; card.to_dict() is the JSON card
>>> newsgist.highlights(text, count=3)    # just the bullets
>>> newsgist.check(text, summary)         # is each summary line backed by the text?

The layout (ARCHITECTURE.md): core modules here (article, types, options, errors,
registry, pipeline), the rooms ``reading/``, ``highlighting/``, ``card/``,
``grounding/``, ``evaluation/``, and the interfaces in ``apps/`` (cli, service, batch).
"""
from newsgist.version import __version__
from newsgist.errors import NewsgistError
from newsgist.options import Options
from newsgist.article import Article
from newsgist.api import check, highlights, read, read_url
from newsgist.registry import SCORERS
from newsgist.story import StoryOptions, story

__all__ = ["read", "read_url", "highlights", "check", "story", "StoryOptions", "Options", "Article", "NewsgistError", "SCORERS", "__version__"]
