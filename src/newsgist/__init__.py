"""newsgist: story highlights, quotes, entities and key figures from a news article.

>>> import newsgist
>>> card = newsgist.read(text)            # an Article; card.to_dict() is the JSON card
>>> newsgist.highlights(text, count=3)    # just the bullets
"""
__version__ = "0.1.0"

from .errors import NewsgistError  # noqa: E402
from .options import Options  # noqa: E402
from .pipeline import highlights, read, read_url  # noqa: E402
from .article import Article  # noqa: E402
from .scorers import SCORERS  # noqa: E402

__all__ = ["read", "read_url", "highlights", "Options", "Article", "NewsgistError", "SCORERS", "__version__"]
