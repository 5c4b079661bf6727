"""story/: one story card from several articles of one event -- shared facts with every source,
what each article adds, where they disagree (figures, speakers), quotes and entities merged,
a timeline (``newsgist story``, :func:`newsgist.story`). May import: core, ``api``, ``plugins``,
``reading``, ``card``, ``highlighting``, ``grounding``, ``corpus`` (its date reader) (ARCHITECTURE.md).

``newsgist.story`` on the package is the *function* (the facade binds it over this
subpackage's name): import the modules with ``from newsgist.story import rank``, not
``import newsgist.story.rank as rank``.
"""
from newsgist.story.build import StoryOptions, story

__all__ = ["story", "StoryOptions"]
