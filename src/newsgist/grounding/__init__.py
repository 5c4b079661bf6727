"""Grounding: whether a line is backed by the source, and by which spans.

Owns ``faithfulness`` (the checks a compressed highlight passes: support spans,
subject and verb, numbers and names kept). The checker of any summary line
(``newsgist check``) belongs here.

May import: the core only.
"""
