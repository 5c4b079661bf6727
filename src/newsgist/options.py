"""One options object for the library, the CLI and (later) the HTTP service.

Validated at construction: a bad value raises :class:`~newsgist.errors.OptionsError`
with a one-line message naming the field.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, asdict

from newsgist.errors import OptionsError

# Bounds on --count: a card with more than 10 "highlights" is a summary, not highlights.
MAX_COUNT = 10
FORMATS = ("text", "markdown", "json")
DEFAULT_METHOD = "default"
# Largest input accepted, in bytes. Long-form news articles are under 100 kB of
# text and saved news pages rarely exceed 3 MB of HTML; 8 MB leaves room for heavy
# pages while refusing dumps that would take seconds of parsing.
MAX_INPUT_BYTES = 8_000_000
# A fetch that takes longer than this is not worth waiting for in an interactive tool.
MAX_FETCH_TIMEOUT = 120.0
# The values of ``meta["language"]`` (set by the ``language`` stage, reading/language.py)
# on which the English-only parts run: quotes, entities, figures, the learned ranker,
# compression. "und": too little text to tell, read as English as before detection existed.
ENGLISH_LANGUAGES = frozenset({"en", "und"})
# --generator: "extractive" (sentences chosen from the article) or "llm" (lines written by
# an OpenAI-compatible endpoint, each checked against the article: newsgist.generation).
GENERATORS = ("extractive", "llm")
# --unsupported: what happens to a generated line the checker does not support.
UNSUPPORTED_POLICIES = ("replace", "flag", "drop")
LLM_FALLBACKS = ("none", "extractive")
# Longest wait for one LLM answer (retries included) that --llm-timeout accepts: a small
# local model on a busy CPU answers in seconds; ten minutes is past any interactive use.
MAX_LLM_TIMEOUT = 600.0
DEFAULT_LLM_TIMEOUT = 60.0
# --llm-concurrency: LLM calls in flight at once in a batch (one a worker process). 4 keeps
# a local server busy without queueing most requests; 64 is far past any single server.
DEFAULT_LLM_CONCURRENCY = 4
MAX_LLM_CONCURRENCY = 64


def english_applies(meta: dict) -> bool:
    """Do the English-only parts run on an article with this ``meta`` (no language: yes)?"""
    return meta.get("language", "en") in ENGLISH_LANGUAGES


@dataclass(frozen=True)
class Options:
    method: str = DEFAULT_METHOD   # a name from newsgist.highlighting.scorers.SCORERS, or "default"
    count: int | None = None       # highlights wanted; None = automatic (3, or 4 for long articles)
    max_words: int | None = None   # prefer sentences of at most this many words
    format: str = "text"           # output format for the CLI
    encoding: str = "utf-8"        # input encoding: a codec name or "auto"
    max_bytes: int = MAX_INPUT_BYTES
    allow_private_hosts: bool = False  # URL input: allow hosts on loopback/private networks
    fetch_timeout: float = 10.0    # URL input: connect/read timeout in seconds
    compress: bool = False         # shorten highlights by deletion (off until it wins on R-2: BENCHMARKS.md)
    target_words: int | None = None  # compression: aim for at most this many words per highlight
    quotes: bool = True            # card extras; highlights-only runs skip the NLP parse
    entities: bool = True
    figures: bool = True
    generator: str = "extractive"  # "llm": highlights written by the endpoint at llm_url (GENERATORS)
    llm_url: str | None = None     # OpenAI-compatible base URL, e.g. http://127.0.0.1:8080/v1
    llm_model: str | None = None   # None: the endpoint's first model (GET /models)
    llm_timeout: float = DEFAULT_LLM_TIMEOUT  # seconds for one LLM answer, retries included
    unsupported: str = "replace"   # a generated line the checker does not support: replace|flag|drop
    llm_fallback: str = "none"     # "extractive": an LLM failure gives the extractive card (+ a warning)
    llm_concurrency: int = DEFAULT_LLM_CONCURRENCY  # batch: LLM calls in flight at once

    def __post_init__(self):
        from newsgist.registry import method_names
        if self.method not in method_names():
            raise OptionsError(f"unknown method {self.method!r}; choose from {', '.join(method_names())}")
        if self.count is not None and (not isinstance(self.count, int) or not 1 <= self.count <= MAX_COUNT):
            raise OptionsError(f"count must be an integer from 1 to {MAX_COUNT}, got {self.count!r}")
        if self.max_words is not None and (not isinstance(self.max_words, int) or self.max_words < 3):
            raise OptionsError(f"max_words must be an integer of at least 3, got {self.max_words!r}")
        if self.target_words is not None and (not isinstance(self.target_words, int) or self.target_words < 6):
            raise OptionsError(f"target_words must be an integer of at least 6, got {self.target_words!r}")
        if self.format not in FORMATS:
            raise OptionsError(f"format must be one of {', '.join(FORMATS)}, got {self.format!r}")
        if not isinstance(self.fetch_timeout, (int, float)) or not 0 < self.fetch_timeout <= MAX_FETCH_TIMEOUT:
            raise OptionsError(f"fetch_timeout must be a number of seconds in (0, {MAX_FETCH_TIMEOUT}]")
        if not isinstance(self.max_bytes, int) or self.max_bytes < 1:
            raise OptionsError(f"max_bytes must be a positive integer, got {self.max_bytes!r}")
        self._check_llm()

    def _check_llm(self) -> None:
        if self.generator not in GENERATORS:
            raise OptionsError(f"generator must be one of {', '.join(GENERATORS)}, got {self.generator!r}")
        if self.unsupported not in UNSUPPORTED_POLICIES:
            raise OptionsError(f"unsupported must be one of {', '.join(UNSUPPORTED_POLICIES)}, got {self.unsupported!r}")
        if self.llm_fallback not in LLM_FALLBACKS:
            raise OptionsError(f"llm_fallback must be one of {', '.join(LLM_FALLBACKS)}, got {self.llm_fallback!r}")
        if (isinstance(self.llm_timeout, bool) or not isinstance(self.llm_timeout, (int, float))
                or not 0 < self.llm_timeout <= MAX_LLM_TIMEOUT):
            raise OptionsError(f"llm_timeout must be a number of seconds in (0, {MAX_LLM_TIMEOUT:g}]")
        if (isinstance(self.llm_concurrency, bool) or not isinstance(self.llm_concurrency, int)
                or not 1 <= self.llm_concurrency <= MAX_LLM_CONCURRENCY):
            raise OptionsError(f"llm_concurrency must be an integer from 1 to {MAX_LLM_CONCURRENCY}")
        if self.llm_model is not None and (not isinstance(self.llm_model, str) or not self.llm_model.strip()):
            raise OptionsError("llm_model must be a non-empty string")
        if self.llm_url is not None:
            from urllib.parse import urlsplit
            parts = urlsplit(self.llm_url) if isinstance(self.llm_url, str) else None
            if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
                raise OptionsError("llm_url must be an http(s) URL, e.g. http://127.0.0.1:8080/v1")
        elif self.generator == "llm":
            raise OptionsError("generator llm needs llm_url (--llm-url or NEWSGIST_LLM_URL): an OpenAI-compatible "
                               "endpoint such as http://127.0.0.1:8080/v1")

    @classmethod
    def from_dict(cls, data: dict | None) -> "Options":
        """Build from a mapping (a request body, a config file); unknown keys are an error."""
        data = dict(data or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise OptionsError(f"unknown option(s): {', '.join(unknown)}")
        return cls(**data)

    def replace(self, **changes) -> "Options":
        return Options(**{**asdict(self), **changes})

    def to_dict(self) -> dict:
        return asdict(self)
