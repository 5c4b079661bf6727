"""Where a sentence names the source of a figure: reporting verbs, "according to", records, nouns of saying.

Helpers of :mod:`newsgist.card.claims` (split from it to keep modules short). They read the
spaCy parse of the body through the claims module's ``BodyMap`` ``m`` (``token_list``) and
return the source's noun phrase as a spaCy ``Span`` (offsets into the body), or None.
"""
from __future__ import annotations

from newsgist.card.quotes.lexicon import CUE_FORMS, STRONG_CUES
from newsgist.card.verbs import register, verb_lemma

# Verbs whose subject vouches for a number in their complement. The speech cues of the
# quote finder plus the verbs of estimates, counts and studies ("a poll showed", "estimates
# that said", "officials put the toll at"); chosen by reading the PolNeAR train articles.
CLAIM_VERBS = set("""say tell add warn explain note claim insist argue admit acknowledge announce declare
state write tweet report confirm estimate show find suggest indicate reveal predict project put
calculate count tally record conclude allege assert testify disclose rate cite point""".split())
CLAIM_VERBS |= set(STRONG_CUES)  # every strong cue of the quote finder ("boasted", "recalled", "stressed")
register(CLAIM_VERBS)
# Nouns that name a record a number comes from: "In a new CBS News poll, 56 percent ...",
# "a new poll showing ... 14 percent", "by one estimate".
RECORD_NOUNS = set("""poll polls survey surveys study studies report reports analysis analyses estimate
estimates census count tally data figures projection projections audit review investigation
research index average""".split())
POLL_NOUNS = {"poll", "polls", "survey", "surveys", "average"}
# Verbs through which a record (a poll, a ranking, files) states a figure: "the poll has Clinton at 46
# percent", "One ranking pegs him as the 10th-richest", "Hurun lists his wealth at $6.5 billion".
RECORD_VERBS = set("""have peg put list give place rank find show project""".split())
register(RECORD_VERBS)
# More nouns of records whose "by"/"from"/"with" phrase names who made them: the mention keeps it ("a
# tally by the Associated Press", "calculations by Amy Glasmeier", "interviews with party leaders").
BY_NOUNS = set("""calculation calculations interview interviews files records ranking rankings tallies
statistics numbers analysis""".split())
# Nouns of saying and planning whose possessor owns the numbers in their complement ("Mr. Trump's claims
# that his net worth exceeds $10 billion", "Mr. Sanders's plan would raise $15.3 trillion").
CLAIM_NOUNS = set("""claim claims estimate estimates prediction predictions forecast forecasts projection projections
plan plans proposal proposals pledge promise promises statement statements assertion view count tally
calculation calculations figures""".split())
# Nouns of a view whose possessor vouches for the clause they introduce ("in Bolton's view, ...").
OPINION_NOUNS = {"view", "views", "admission", "account", "words", "opinion", "telling", "reckoning"}
# A verb's children through which its reported content hangs ("said [that ...]", "put the toll [at 300]").
CONTENT_DEPS = {"ccomp", "xcomp", "dobj", "attr", "oprd", "parataxis", "advcl", "prep", "acomp"}
# Pronoun subjects name nobody new: the claim stays with the quote's speaker (or with nobody).
PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "him", "her", "them", "us", "me", "this", "that",
            "these", "those", "who", "which", "one", "someone", "anyone", "everyone"}
RELATIVE = {"that", "which", "who"}
# Heads that only measure the source they lead to ("a lot of estimates", "a number of officials").
QUANTITY_HEADS = {"lot", "lots", "number", "plenty", "couple", "dozen", "dozens", "handful", "majority", "series"}
# Left modifiers kept in a source's noun phrase ("intel estimates", "the latest Reuters/Ipsos poll").
NP_LEFT = {"compound", "amod", "nmod", "poss", "case", "nummod", "npadvmod"}
# Dependencies that make a token the subject of its verb (never the reported content).
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "agent", "expl"}
# What a colon carries: labels at most this long ("Rep. Trey Gowdy (R-S.C.):"), paragraphs this far.
COLON_LABEL_MAX_TOKENS = 8
COLON_LABEL_MAX_CHARS = 60
COLON_PARAGRAPHS = 4
COLON_TEXT_MIN_WORDS = 6
# Farthest a reporting verb may sit from the number it vouches for, in tokens, when the parse
# does not join them (a relative clause: "estimates that said within X, al Qaeda has 50").
VIA_MAX_TOKENS = 25


def span_root(span):
    """The token of ``span`` whose head lies outside it (the first such)."""
    for t in span:
        if t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i:
            return t
    return span[0]


def noun_phrase(tok):
    """The noun phrase a head token names, without determiners: compounds and adjectives to its left."""
    doc = tok.doc
    start = tok.i
    for k in range(tok.i - 1, max(-1, tok.i - 8), -1):
        t = doc[k]
        if t.dep_ in NP_LEFT and tok.left_edge.i <= k and (t.head.i > k and t.head.i <= tok.i):
            start = k
        elif t.dep_ == "punct" and t.text in "/-" and k > tok.left_edge.i:
            start = k
        else:
            break
    end = tok.i + 1
    if tok.lower_ in RECORD_NOUNS or tok.lower_ in BY_NOUNS:  # "a tally by the Associated Press"
        by = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("by", "from", "with")
                   and any(o.dep_ == "pobj" for o in c.children)), None)
        if by is not None:
            end = by.right_edge.i + 1
    return doc[start:end]


def _numeric(np) -> bool:
    """A subject that is itself a count ("Twenty-four percent said ...") or a date names no source."""
    if all(t.ent_type_ in ("DATE", "TIME") for t in np):
        return True  # "Wednesday's poll has ..." misparsed as "Wednesday is": a date names no source
    return any(t.like_num and t.ent_type_ not in ("DATE", "ORDINAL") or t.ent_type_ in ("PERCENT", "CARDINAL", "MONEY", "QUANTITY")
               for t in np)  # a year names the source's date, not a count ("A 2014 study by ... found")


def _source_np(verb):
    """The named subject of a reporting verb (the noun a relative clause or participle hangs on:
    "estimates that said", "a new poll showing"), or None."""
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None and any(c.dep_ == "nsubjpass" or c.dep_ == "auxpass" for c in verb.children):
        # a passive names what is reported, not who reports it: the source is its "by" agent, if any
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        subj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        if subj is None:
            return None
    if subj is None and verb.i > 0 and verb.doc[verb.i - 1].dep_ == "compound" and verb.doc[verb.i - 1].head.i == verb.i:
        subj = verb.doc[verb.i - 1]  # "Federal Election Commission records show" parsed with "records" as a verb
    if subj is None and verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        subj = verb.head
    if subj is None and verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp", "conj") and verb.head.pos_ == "VERB":
        # "Reid mocked Romney ..., claiming that ...": the participle's subject is its verb's
        subj = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return None
    if subj.lower_ in RELATIVE and verb.dep_ in ("relcl", "acl"):
        subj = verb.head
    if subj.lower_ in QUANTITY_HEADS:  # "a lot of estimates that said": the estimates
        of = next((c for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        subj = obj if obj is not None else subj
    if subj.lower_ in PRONOUNS or subj.pos_ == "PRON":
        return None
    np = noun_phrase(subj)
    return None if _numeric(np) else np


def _record_subject(verb, root):
    """A record as the subject of any verb vouches for the figures in its complement ("the poll has
    Clinton at 46 percent", "One ranking pegs ...", "Audit files from NGP VAN show that ..."), or None."""
    if verb_lemma(verb) not in RECORD_VERBS:
        return None
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None or not (subj.lower_ in RECORD_NOUNS or subj.lower_ in BY_NOUNS):
        return None
    t = root
    while t.head.i != verb.i and t.head.i != t.i:
        t = t.head
    if t.dep_ == "dobj" and t.pos_ not in ("PROPN", "PRON"):
        return None  # "The poll has a margin of error of 3 points": the record's own make, no claim
    np = noun_phrase(subj)
    return None if _numeric(np) else np


def _according_to(tok):
    """The source of "according to X" at ``tok`` ("according"), or None."""
    if tok.lower_ != "according" or tok.i + 1 >= len(tok.doc) or tok.doc[tok.i + 1].lower_ != "to":
        return None
    obj = next((c for c in tok.doc[tok.i + 1].children if c.dep_ == "pobj"), None)
    if obj is None or obj.lower_ in PRONOUNS:
        return None
    return noun_phrase(obj)


def _record_source(tok, after: bool = False):
    """"In a new CBS News poll, ..." / "by one estimate" (before the figure), "... 9 points in the
    RealClearPolitics average of polls" (after it: polls only): the record named at preposition ``tok``."""
    if tok.lower_ not in ("in", "by", "under") or tok.dep_ not in ("prep", "agent"):
        return None
    obj = next((c for c in tok.children if c.dep_ == "pobj"), None)
    if obj is None:
        return None
    poss = next((c for c in obj.children if c.dep_ == "poss"), None)
    if not after and poss is not None and poss.pos_ != "PRON" and poss.lower_ not in PRONOUNS \
            and (obj.lower_ in CLAIM_NOUNS or obj.lower_ in OPINION_NOUNS):
        return noun_phrase(poss)  # "in Bolton's view", "By Trump's own admission", "Under Mrs. Clinton's plan"
    if tok.lower_ == "under" or obj.lower_ not in (POLL_NOUNS if after else RECORD_NOUNS):
        return None
    return noun_phrase(obj)


def _in_complement(verb, root, deps=None) -> bool:
    """``root`` hangs under ``verb`` through a child that is not its subject (one of ``deps`` if given)."""
    t = root
    while t.head.i != t.i:
        if t.head.i == verb.i:
            if t.dep_ == "conj" and deps is not None:
                # "X says it would depress revenue ..., but would add $84 billion": a conjoined verb
                # with no subject of its own goes on with what the reporting verb's clause says
                return any(c.dep_ == "ccomp" for c in verb.children) and t.pos_ in ("VERB", "AUX") and \
                    not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
            return t.dep_ not in SUBJECT_DEPS and (deps is None or t.dep_ in deps)
        t = t.head
    return False


def _outside(np, fig_start: int, verb=None) -> bool:
    """A source ``np`` that does not hold the figure: not in its words, nor in what its head describes
    ("a poll of 400 voters", "according to three people briefed"), except through ``verb`` ("estimates
    that said ... 50 to 100")."""
    if np is None or np.start_char <= fig_start < np.end_char:
        return False
    head = np.root
    lo, hi = head.left_edge.idx, head.right_edge.idx + len(head.right_edge)
    if not lo <= fig_start < hi:
        return True
    return verb is not None and head.is_ancestor(verb) and \
        verb.left_edge.idx <= fig_start < verb.right_edge.idx + len(verb.right_edge)


def find_source(m, start: int, end: int, fig_start: int, fig_end: int, root, need_parse_link: bool,
                sentence=None):
    """The nearest named source that vouches for the figure: "according to X" anywhere in ``sentence``
    (default: [start, end)), else a reporting verb in [start, end) before the figure whose complement
    holds it (with ``need_parse_link`` False a verb within VIA_MAX_TOKENS before the figure will do,
    where the parse does not join them)."""
    lo, hi = sentence or (start, end)
    for t in m.token_list(lo, hi):
        if not fig_start <= t.idx < fig_end:
            np = _according_to(t)
            if _outside(np, fig_start):
                return np
    best = None
    for t in m.token_list(start, min(end, fig_start)):
        if t.pos_ not in ("VERB", "AUX") or verb_lemma(t) not in CLAIM_VERBS:
            continue
        linked = _in_complement(t, root, CONTENT_DEPS if need_parse_link else None)
        if not linked and (need_parse_link or root.i - t.i > VIA_MAX_TOKENS or t.is_ancestor(root)):
            continue
        np = _source_np(t)
        if _outside(np, fig_start, t):
            best = np
    return best


def _postposed(verb, root) -> bool:
    """"Eighty-four percent ... have an unfavorable view of Trump, the poll found": a reporting verb after a
    comma that the parse hangs under the clause it reports (no content of its own)."""
    doc = verb.doc
    if verb.is_ancestor(root) or any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in verb.children):
        return False
    left, right = verb.left_edge.i, verb.right_edge.i + 1
    while right < len(doc) and doc[right].is_punct and doc[right].text not in (",", "—", "–"):
        right += 1
    ends = right >= len(doc) or doc[right].is_sent_start or doc[right].is_space
    return ends and left > 0 and doc[left - 1].text in (",", "—", "–")


def _claim_noun_source(noun, root):
    """"Mr. Trump's claims that ... $10 billion", "Mr. Sanders's plan would raise $15.3 trillion": the
    possessor of a noun of saying or planning whose complement, or whose verb's complement, holds the figure."""
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    if poss is None:
        # "a New York Times report that Donald Trump had a net loss of more than $915 million": the
        # noun of saying itself, when its that-clause holds the figure
        clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl") and c.is_ancestor(root)
                       and any(k.dep_ == "mark" and k.lower_ == "that" for k in c.children)), None)
        np = noun_phrase(noun) if clause is not None else None
        return None if np is None or _numeric(np) else np
    if poss.lower_ in PRONOUNS or poss.pos_ == "PRON" or _numeric(noun_phrase(poss)):
        return None
    if noun.is_ancestor(root) and not poss.is_ancestor(root):
        return noun_phrase(poss)
    if noun.dep_ in ("nsubj", "nsubjpass") and _in_complement(noun.head, root, CONTENT_DEPS):
        return noun_phrase(poss)
    return None


def sentence_source(m, sent, fs: int, fe: int, root):
    """The source a sentence names for a figure outside every quote: "according to X"; a record ("In a
    new CBS News poll, ..."); "As the Washington Post reported, ..."; a reporting verb whose complement
    holds the figure, before it or after it ("..., records show"); a noun of saying with its possessor."""
    found = find_source(m, sent[0], sent[1], fs, fe, root, need_parse_link=True)
    if found is not None:
        return found
    for c in root.children:  # "the $20 million experts say it costs": a reporting clause on the figure
        if c.dep_ == "relcl" and c.pos_ == "VERB" and verb_lemma(c) in CLAIM_VERBS:
            np = _source_np(c)
            if _outside(np, fs, c):
                return np
    for t in m.token_list(sent[0], sent[1]):
        if fs <= t.idx < fe:
            continue
        verb = None
        np = _record_source(t, after=t.idx > fs)
        if np is None and t.pos_ == "VERB" and verb_lemma(t) in CLAIM_VERBS:
            verb = t
            if any(c.dep_ == "mark" and c.lower_ == "as" for c in t.children) and not t.is_ancestor(root):
                np = _source_np(t)  # "As the Washington Post observed, Republicans control 30 states"
            elif t.idx > fe and (_in_complement(t, root, {"ccomp", "parataxis"}) or _postposed(t, root)):
                np = _source_np(t)  # "The aircraft was insured at $35 million, records show"
        if np is None and (t.lower_ in CLAIM_NOUNS or t.lower_ in RECORD_NOUNS):
            np = _claim_noun_source(t, root)
            verb = next((c for c in t.children if c.is_ancestor(root)), None)  # its clause may hold the figure
        if np is None and (t.pos_ in ("VERB", "AUX") or t.dep_ == "ROOT") and _in_complement(t, root):
            np, verb = _record_subject(t, root), t  # "Wednesday's Quinnipiac poll has Clinton leading by six points"
        if _outside(np, fs, verb):
            return np
    return None


def _before_colon(m, lo: int, colon: int, para_start: bool, label_only: bool = False):
    """The source named by the words [lo, colon) before a colon: the subject of the verb nearest the
    colon ("Soerens argued that:", "Fox News reports:", "his supporters were making the same arguments:"),
    or, at a paragraph's start, a short label without a verb ("Rep. Trey Gowdy (R-S.C.):", "WALLACE:")."""
    toks = [t for t in m.token_list(lo, colon) if not t.is_space]
    if not toks:
        return None
    for t in reversed(toks):
        if t.pos_ in ("VERB", "AUX"):
            if label_only or t.lower_ not in CUE_FORMS and verb_lemma(t) not in CLAIM_VERBS:
                return None  # "Gaming revenue is up this year at five casinos: ...": a list, not words
            subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None and t.dep_ in ("conj", "xcomp", "advcl", "acl") and t.head.i >= toks[0].i:
                continue  # "... sent out a text message saying:": the verb it hangs on names the source
            if subj is None or subj.i < toks[0].i or subj.lower_ in PRONOUNS or subj.pos_ == "PRON":
                return None
            np = noun_phrase(subj)
            return None if _numeric(np) else np
    if para_start and len(toks) <= COLON_LABEL_MAX_TOKENS and not any(t.like_num for t in toks) and (
            any(t.ent_type_ == "PERSON" for t in toks)
            or all(t.is_upper and t.is_alpha and len(t) > 1 for t in toks)):  # "WALLACE:" in a transcript
        after = m.text[colon + 1:m.body_paras[m.paragraph(colon)][1]]
        if len(after.split()) >= COLON_TEXT_MIN_WORDS:  # "Clinton: 2,316." is a tally, not her words
            return m.doc[toks[0].i:toks[-1].i + 1]
    return None


def colon_source(m, fs: int, fe: int):
    """A figure after a colon that introduces what someone says: in its own sentence ("Jones: the 20
    states ...", "X echoed a theme: ... all three countries"), or in the paragraph after one that
    ends with the colon ("Wallnau wrote:" then the text), up to COLON_PARAGRAPHS paragraphs on."""
    if not m.body_paras:
        return None
    s0, _ = m.sentence(fs)
    colon = m.text.rfind(":", s0, fs)
    pi = m.paragraph(fs)
    if colon >= 0:
        found = _before_colon(m, s0, colon, s0 == m.body_paras[pi][0])
        if found is not None:
            return found
    a, b = m.body_paras[pi]
    while a < b and m.text[a] in "“\"‘'":  # '"WALLACE: ...' in a quoted transcript
        a += 1
    label = m.text.find(":", a, min(b, fs, a + COLON_LABEL_MAX_CHARS))
    if label >= 0 and label < s0:  # "WALLACE: ... Two questions": a speaker label opens the paragraph
        return _before_colon(m, a, label, True, label_only=True)
    if colon >= 0:
        return None
    for back in range(1, COLON_PARAGRAPHS + 1):
        if pi - back < 0:
            return None
        a, b = m.body_paras[pi - back]
        text = m.text[a:b].rstrip()
        if text.endswith(":"):
            s1, _ = m.sentence(a + len(text) - 1)
            return _before_colon(m, max(a, s1), a + len(text) - 1, max(a, s1) == a)
        if back < COLON_PARAGRAPHS and not (text[:1] in "•-–—*·" or text[:2] == "l "):
            return None  # only list items ("• ...", "l ..." as bullets come out of some pages) carry it further
    return None

