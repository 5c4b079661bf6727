"""Word lists, limits and name helpers for :mod:`newsgist.card.quotes.speakers`.

* the **cue verbs** that introduce reported speech (:data:`CUE_FORMS` maps each
  inflected form to whether it is a strong cue);
* **pronouns and people words**: gendered and group pronouns, honorifics, title
  and role head words (:data:`TITLE_WORDS`), nouns that make a description a
  human speaker (:data:`HUMAN_NOUNS`), and words that do not tell people apart;
* the **windows**: how far back a pronoun may look, how long an appositive,
  a pre-name title or a description may be;
* small string helpers for names: the lookup key of a name (``_norm``), a name
  as shown (``_display_name``) and the word stem used to compare titles with
  descriptions (``_stem``).
"""
from __future__ import annotations

import re

from newsgist.card.spacy_start import import_spacy

import_spacy()  # spaCy without its command line (card/spacy_start.py), before the import below
from spacy.strings import get_string_id  # noqa: E402

# --- cue verbs -----------------------------------------------------------------------
# Verbs that introduce reported speech. STRONG cues also mark a sentence as an
# attribution whose subject carries over to a quote standing alone after it.
STRONG_CUES = """say tell add warn explain note claim insist argue admit acknowledge announce
declare state write tweet ask reply respond answer recall confirm deny agree complain conclude
emphasize emphasise stress predict promise vow urge caution concede contend maintain observe
remark comment testify joke quip shout scream yell whisper mutter exclaim boast lament plead
pledge recount reveal disclose allege assert affirm reiterate repeat demand confess echo
retort counter bark snap scoff laugh sigh quote beam gush chuckle marvel rave interject
fume sneer concur""".split()
# WEAK cues only attribute a quote inside their own sentence ("called it a 'disaster'").
WEAK_CUES = """continue describe call refer dub label term brand suggest believe think fear hope
express praise criticize criticise condemn accuse blast slam question wonder muse report
characterize characterise read""".split()
_IRREGULAR = {"say": "said", "tell": "told", "write": "wrote written", "think": "thought",
              "plead": "pled", "quip": "quipped quipping", "admit": "admitted admitting",
              "refer": "referred referring", "dub": "dubbed dubbing", "slam": "slammed slamming",
              "label": "labelled labelling", "question": "questioned"}


def _forms(lemma: str) -> set[str]:
    """Inflected forms of a regular English verb plus listed irregular ones."""
    if lemma.endswith("e"):
        forms = {lemma + "s", lemma + "d", lemma[:-1] + "ing"}
    elif lemma.endswith("y") and lemma[-2] not in "aeiou":
        forms = {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    elif lemma.endswith(("s", "sh", "ch", "x", "z")):
        forms = {lemma + "es", lemma + "ed", lemma + "ing"}
    else:
        forms = {lemma + "s", lemma + "ed", lemma + "ing"}
    return forms | {lemma} | set(_IRREGULAR.get(lemma, "").split())


CUE_FORMS: dict[str, bool] = {f: False for lemma in WEAK_CUES for f in _forms(lemma)}
CUE_FORMS.update({f: True for lemma in STRONG_CUES for f in _forms(lemma)})  # form -> strong?
_CUE_IDS = {get_string_id(f) for f in CUE_FORMS} | {get_string_id("according")}

# --- pronouns and people words -------------------------------------------------------------
GENDERED_PRONOUNS = {"he": "m", "she": "f"}
GROUP_PRONOUNS = {"they", "it"}            # resolve to the last organisation / group speaker
HONORIFICS = {"mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f",
              "miss": "f", "sir": "m", "dame": "f", "lady": "f", "lord": "m"}
# Head words of titles and roles; a title must contain one, and a description whose head
# is one counts as a human speaker.
TITLE_WORDS = set("""president minister secretary general commander chief director spokesman
spokeswoman spokesperson official officer head leader chairman chairwoman chair ceo founder
professor analyst expert researcher lawyer attorney judge senator sen. governor gov. mayor
ambassador adviser advisor aide manager coach captain editor author correspondent reporter
executive deputy counsel representative rep. lieutenant colonel sergeant major admiral
commissioner superintendent sheriff detective inspector prosecutor economist scientist doctor
dr. physician surgeon teacher owner partner producer actor actress singer player striker
midfielder defender goalkeeper boss premier king queen prince princess pope cardinal bishop
rabbi imam pastor priest chancellor congressman congresswoman lawmaker legislator diplomat
envoy negotiator strategist pollster historian journalist activist campaigner organizer
investigator agent marshal attorney-general gen. col. lt. sgt. capt. adm. prof. vice
president-elect candidate nominee speaker whip manager trainer""".split())
HUMAN_NOUNS = TITLE_WORDS | set("""police officials authorities witness witnesses source sources
man woman mother father friend neighbor neighbour resident residents victim family relative
statement report parent parents family families brother sister son daughter wife husband
mom mum dad boyfriend girlfriend fan fans student students worker workers doctors lawyers
group company ministry department agency government spokesperson team club""".split())
# Modifiers that say nothing about which person a description means.
GENERIC_WORDS = set("""top senior former current new acting longtime veteran then later local
high-ranking ranking leading key chief's own other the a an of for in at on to and u.s""".split())
TITLE_MODIFIERS = {"former", "acting", "deputy", "senior", "interim", "vice", "assistant", "associate"}
NAME_STOP = {"the", "’s", "'s"}
NOT_SPEAKERS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}  # entity labels

# --- windows ------------------------------------------------------------------------
PRONOUN_EVENT_WINDOW = 1200     # chars back to the attribution a "he"/"she" may refer to
PRONOUN_MENTION_WINDOW = 2500   # chars back to any person mention a pronoun may refer to
APPOSITIVE_MAX_TOKENS = 18      # "Jeff Buchanan, <this many tokens at most>, said"
PRE_TITLE_MAX_TOKENS = 6        # "Acting Defense Minister" before a name
DESCRIPTION_MAX_TOKENS = 10     # "Afghanistan's top defense official"
TITLE_MENTIONS_READ = 5         # first mentions of a person searched for a title
ADJACENT_COMMA_WINDOW = 25      # tokens scanned back over an appositive to a subject


def _norm(name: str) -> str:
    name = re.sub(r"[’']s$", "", name.strip()).replace("’", "'")
    words = [w for w in name.lower().split() if w not in HONORIFICS and w != "the"]
    return " ".join(w.strip(".,") for w in words)


def _display_name(mention: str) -> str:
    """A name as shown: without a possessive "'s" and the punctuation NER may take along ("― Ana Diaz")."""
    return re.sub(r"[’']s$", "", mention.strip().strip("―—–-\"“”‘’'()[]:;, ").strip())


def _stem(word: str) -> str:
    word = word.replace("defence", "defense")
    return word[:-1] if word.endswith("s") and len(word) > 3 else word
