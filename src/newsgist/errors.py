"""Typed errors with stable codes, CLI exit codes and HTTP statuses.

Library functions raise these and never return ``None`` for failure. The CLI prints
``newsgist: error [code]: message`` on one line and exits with ``exit_code``.
"""
from __future__ import annotations


class NewsgistError(Exception):
    code = "error"
    exit_code = 1
    http_status = 500

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message}


class InputError(NewsgistError):
    """The input cannot be read as an article."""
    code = "bad_input"
    exit_code = 3
    http_status = 400


class EmptyInputError(InputError):
    code = "empty_input"
    exit_code = 4


class BinaryInputError(InputError):
    code = "binary_input"
    exit_code = 5


class EncodingError(InputError):
    code = "bad_encoding"
    exit_code = 6


class TooLargeError(InputError):
    code = "too_large"
    exit_code = 7
    http_status = 413


class NoTextError(InputError):
    """Extraction or cleaning left no article text (e.g. HTML with an empty body)."""
    code = "no_text"
    exit_code = 8


class OptionsError(NewsgistError):
    code = "bad_options"
    exit_code = 2
    http_status = 422


class ModelError(NewsgistError):
    code = "model_unavailable"
    exit_code = 9
    http_status = 500


class StageError(NewsgistError):
    """A pipeline stage failed on an unexpected exception; names the stage."""
    code = "stage_failed"
    exit_code = 10
    http_status = 500

    def __init__(self, stage: str, message: str):
        super().__init__(f"stage '{stage}' failed: {message}")
        self.stage = stage


class ProcessingTimeout(NewsgistError):
    """Reading one input took longer than its time budget (``newsgist batch
    --record-timeout``, the service's request deadline)."""
    code = "timeout"
    exit_code = 12
    http_status = 504


class LLMError(NewsgistError):
    """The LLM endpoint of ``--generator llm`` failed (newsgist.generation.client). The
    message never holds the API key (NEWSGIST_LLM_API_KEY)."""
    code = "llm_error"
    exit_code = 31
    http_status = 502


class LLMUnreachable(LLMError):
    """No connection to ``llm_url`` (refused, unknown host, reset), after the retries."""
    code = "llm_unreachable"
    exit_code = 32


class LLMTimeout(LLMError):
    """The endpoint gave no complete answer within ``llm_timeout`` (retries included)."""
    code = "llm_timeout"
    exit_code = 33
    http_status = 504


class LLMHTTPError(LLMError):
    """The endpoint answered with an HTTP error status (after the retries for 429/5xx)."""
    code = "llm_http_error"
    exit_code = 34


class LLMBadReply(LLMError):
    """The endpoint's answer holds no highlights newsgist can read."""
    code = "llm_bad_reply"
    exit_code = 35


class NotEnglishError(InputError):
    """An article of a story (``newsgist story``) is not in English: the story's matching
    reads English text only, so the article is set aside in ``meta.failed``."""
    code = "not_english"


class NoReadableArticleError(InputError):
    """None of a story's articles could be read (each failure is named in the message)."""
    code = "no_readable_article"
