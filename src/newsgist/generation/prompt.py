"""What is sent to the LLM: the cleaned body, the dateline, the count and a word budget.

Only the article's own text goes out: the paragraphs the ``clean`` stage kept (never the
clutter it set aside: related headlines, captions, the page's highlights, bylines), as
whole sentences up to :data:`LLM_MAX_BODY_WORDS` words, and the dateline's place. The
prompt asks for N highlights of about :data:`HIGHLIGHT_MIN_WORDS`--:data:`HIGHLIGHT_MAX_WORDS`
words as a JSON list of strings (the reply parser, :mod:`.parse`, also reads objects,
bullets and numbered lines). The format is shown with "..." placeholders, not example
sentences: a small model copies an example ("First highlight.") into its answer.
"""
from __future__ import annotations

from dataclasses import dataclass

from newsgist.text import words

# Words of the body sent at most (whole sentences, the first ones). Set by the smallest
# model we test against: SmolLM2-135M served by llama.cpp with its default 2,048-token
# context. 800 words are ~1,100 of its tokens; with the instructions (~120) and a reply of
# up to MAX_TOKENS_PER_HIGHLIGHT * 4 (~240) that leaves room. The median CNN/DM article
# has ~650 words, and its highlights come mostly from the first half (LEAD-3 is a strong
# baseline), so the cut rarely loses a highlight's source. Larger models: same cap.
LLM_MAX_BODY_WORDS = 800
# The length asked of each highlight: CNN highlights run 12 words (median, validation-1000).
HIGHLIGHT_MIN_WORDS = 10
HIGHLIGHT_MAX_WORDS = 20
# Reply budget per highlight in tokens (max_tokens = this x N + REPLY_OVERHEAD_TOKENS):
# 20 words are ~28 tokens of English, plus quotes and commas of the JSON list; 60 gives
# a wordy model room to finish instead of being cut mid-list.
MAX_TOKENS_PER_HIGHLIGHT = 60
REPLY_OVERHEAD_TOKENS = 40

SYSTEM = ("You write the story highlights of a news article, like the bullet points at the top "
          "of a CNN story. Use only facts stated in the article. Never add a name, number, "
          "date or claim that the article does not state.")


@dataclass
class Prompt:
    messages: list[dict]
    count: int
    max_tokens: int
    words_sent: int        # words of the body in the prompt
    words_total: int       # words of the whole cleaned body
    truncated: bool        # the body was cut at LLM_MAX_BODY_WORDS


def body_for_llm(article, max_words: int = LLM_MAX_BODY_WORDS) -> tuple[str, int, int]:
    """The cleaned body as whole sentences, paragraphs kept apart, up to ``max_words``
    words (always at least the first sentence): ``(text, words sent, words in all)``."""
    paragraphs: list[list[str]] = []
    sent = total = 0
    last_para = None
    full = True
    for s in article.sentences:
        text = " ".join(article.source[s.start:s.end].split())
        n = len(words(text))
        total += n
        if not full or (sent and sent + n > max_words):
            full = False
            continue
        if s.paragraph != last_para:
            paragraphs.append([])
            last_para = s.paragraph
        paragraphs[-1].append(text)
        sent += n
    return "\n\n".join(" ".join(p) for p in paragraphs), sent, total


def build_prompt(article, count: int, max_words: int = LLM_MAX_BODY_WORDS) -> Prompt:
    """The chat messages asking for ``count`` highlights of ``article``."""
    body, sent, total = body_for_llm(article, max_words)
    d = article.dateline or {}
    where = f" (dateline: {d['place']})" if d.get("place") else ""
    budget = count * HIGHLIGHT_MAX_WORDS
    cut = " (the first part of a longer article)" if sent < total else ""
    placeholders = ", ".join(['"..."'] * count)
    user = (f"Article{where}{cut}:\n<<<\n{body}\n>>>\n\n"
            f"Write exactly {count} highlights of this article. Each highlight is one sentence of about "
            f"{HIGHLIGHT_MIN_WORDS} to {HIGHLIGHT_MAX_WORDS} words ({budget} words at most in all), states one "
            f"fact from the article and names who or what it is about. Reply with only a JSON list of "
            f"{count} strings: [{placeholders}]")
    return Prompt([{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}], count,
                  count * MAX_TOKENS_PER_HIGHLIGHT + REPLY_OVERHEAD_TOKENS, sent, total, sent < total)
