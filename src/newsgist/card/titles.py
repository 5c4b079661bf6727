"""Titles of people named in an article, read around their mentions.

Used by :mod:`newsgist.card.entities` for the ``title`` of each merged PERSON:

* pre-name title words: a chain of title words, modifiers and capitalised words
  right before the name ("Acting Defense Minister", "U.S. General");
* a comma-delimited appositive after the name with a role noun and no finite verb
  (", former commander in Afghanistan,");
* failing both, the role phrase of "<role phrase>, <Name>," ("The Taliban's
  current deputy commander, <Name>,").

Also holds the title vocabulary (title words, role nouns, modifiers, honorifics)
that :mod:`newsgist.card.gather` and :mod:`newsgist.card.entities` use to strip titles
from names.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from newsgist.card.mentions import _Mention


# Title words that may stand before a name ("General", "Sen.", "spokesman").
# Capitalised they always count; lowercase only the ones in ROLE_NOUNS do.
TITLE_WORDS = set("""president vice minister premier chancellor secretary general gen lt lieutenant col colonel major maj
captain capt sgt sergeant admiral adm commander cmdr senator sen rep representative congressman
congresswoman gov governor mayor dr judge justice chief director spokesman spokeswoman spokesperson
ambassador chairman chairwoman ceo king queen prince princess pope mullah sheikh ayatollah imam rev
reverend father sister sir lord lady dame officer detective det sheriff attorney coach manager
leader commissioner inspector professor prof emir sultan speaker rabbi bishop archbishop cardinal
pastor superintendent marshal constable private pvt corporal cpl sergeant-major head founder striker
midfielder defender goalkeeper boss star actor actress singer""".split())
# Role nouns that make a comma appositive a title, and may precede a name in lowercase.
ROLE_NOUNS = set("""official officials spokesman spokeswoman spokesperson commander leader head chief director minister
secretary president chairman chairwoman founder analyst professor expert researcher lawyer attorney
judge prosecutor officer detective sheriff coach manager captain player striker midfielder defender
goalkeeper actor actress singer star author writer editor reporter correspondent ambassador envoy
governor mayor senator congressman congresswoman representative lawmaker deputy adviser advisor aide
executive ceo owner principal teacher doctor surgeon scientist economist historian priest pastor
bishop cleric general colonel admiral commissioner inspector boss candidate nominee member mother
father son daughter wife husband brother sister widow partner president-elect chancellor premier
speaker counsel negotiator strategist campaigner activist militant fighter soldier student resident
victim witness""".split())
# Modifiers allowed inside a pre-name title chain ("former", "acting", "deputy").
TITLE_MODIFIERS = {"former", "acting", "deputy", "then", "late", "vice", "senior", "top",
                   "interim", "assistant", "associate", "executive", "press", "head", "chief",
                   "incoming", "outgoing", "current", "retired", "lead", "army", "defense",
                   "defence", "foreign", "prime", "police", "military"}
# Honorifics: stripped from names, not kept as titles.
HONORIFICS = {"mr", "mrs", "ms", "miss", "mx"}
# Finite-verb tags: an appositive containing one is a clause, not a title.
FINITE_VERB_TAGS = {"VBD", "VBZ", "VBP", "MD"}
# Longest appositive accepted as a title, in tokens.
MAX_APPOSITIVE_TOKENS = 16


def _word(tok_text: str) -> str:
    return tok_text.lower().rstrip(".")


def _is_title_token(t) -> bool:
    w = _word(t.text)
    return w in TITLE_WORDS and (t.is_title or t.is_upper or w in ROLE_NOUNS)


def _pre_title(doc, i: int) -> Optional[str]:
    """Title words right before token ``i`` ("Acting Defense Minister", "U.S. General")."""
    sent_start = doc[i].sent.start
    chain = []
    j = i - 1
    while j >= sent_start:
        t = doc[j]
        w = _word(t.text)
        if t.ent_type_ == "PERSON" or not any(c.isalpha() for c in t.text):
            break
        if _is_title_token(t) or w in TITLE_MODIFIERS:
            chain.append(j)
        elif re.fullmatch(r"[A-Z][\w.’'&-]*", t.text) and (
                t.tag_ in ("NNP", "NNPS") or (j != sent_start and t.tag_ in ("JJ", "NN"))):
            chain.append(j)
        elif w in ("of", "for", "the", "and") and chain and doc[chain[-1]].text[0].isupper():
            chain.append(j)
        else:
            break
        j -= 1
    while chain and _word(doc[chain[-1]].text) in ("of", "for", "the", "and"):
        chain.pop()
    if not chain or not _is_title_token(doc[chain[0]]):
        return None
    lo, hi = chain[-1], chain[0]
    return doc[lo:hi + 1].text


def _appositive(doc, lo: int, hi: int) -> Optional[str]:
    """``doc[lo:hi]`` as a title if it is a verbless phrase holding a role noun."""
    toks = [t for t in doc[lo:hi]]
    if not toks or len(toks) > MAX_APPOSITIVE_TOKENS:
        return None
    first = toks[0]
    if first.pos_ in ("VERB", "AUX", "PRON", "SCONJ", "CCONJ", "ADP", "NUM") or \
            first.lower_ in ("who", "which", "that"):
        return None
    if any(t.tag_ in FINITE_VERB_TAGS or t.ent_type_ == "PERSON" or t.is_quote for t in toks):
        return None
    if not any(_word(t.text) in ROLE_NOUNS or _word(t.text) in TITLE_WORDS for t in toks):
        return None
    if first.lower_ in ("a", "an", "the"):
        toks = toks[1:]
    return doc[toks[0].i:toks[-1].i + 1].text if toks else None


def _post_title(doc, end: int) -> Optional[str]:
    """', former commander in Afghanistan,' after a name (ends at a comma or the sentence end)."""
    if end >= len(doc) or doc[end].text != ",":
        return None
    sent_end = doc[end].sent.end
    j = end + 1
    while j < sent_end and doc[j].text != "," and not (doc[j].is_punct and doc[j].text in ".;:!?"):
        j += 1
    return _appositive(doc, end + 1, j)


def _pre_appositive(doc, start: int) -> Optional[str]:
    """'The Taliban's current deputy commander, <Name>,' -> the phrase before the name."""
    if start < 2 or doc[start - 1].text != ",":
        return None
    sent_start = doc[start].sent.start
    j = start - 2
    while j > sent_start and doc[j - 1].text != ",":
        j -= 1
    last = doc[start - 2]
    if _word(last.text) not in ROLE_NOUNS and _word(last.text) not in TITLE_WORDS:
        return None
    return _appositive(doc, j, start - 1)


def _title_of(doc, m: _Mention) -> Optional[str]:
    if m.tok < 0:
        return None
    pre = _pre_title(doc, m.tok - len(m.title_words))
    if m.title_words:
        pre = " ".join(filter(None, [pre, " ".join(m.title_words)]))
    post = _post_title(doc, m.tok_end)
    if not pre and not post:
        pre = _pre_appositive(doc, m.tok - len(m.title_words))
    parts = [p for p in (pre, post) if p]
    return ", ".join(parts) if parts else None
