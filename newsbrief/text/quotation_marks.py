"""Quotation marks: the characters that may open or close a quotation, and the two patterns
built from them that find one (in an article, in a model's answer).

Straight marks (``"``, ``'``) both open and close; the single ones double as apostrophes
(``don't``, ``the voters' choice``), so only :mod:`newsbrief.quotes.spans` pairs them, with
context. The patterns here are the places that need a quotation without pairing marks.
"""

from __future__ import annotations

import re

#: Any character that may be a quotation mark: double (straight, curly, low opening),
#: guillemets, single (curly, straight).
QUOTATION_MARK = re.compile("[\"“”„«»‘’']")

#: The double marks (straight, curly opening, curly closing): what a sentence or an answer
#: that opens or ends with a quotation starts or ends with.
DOUBLE_MARKS = '"“”'

#: A quotation in an article (one may run across sentences): between double marks, single
#: curly marks (a closing ’ not followed by a letter, so "country’s" is no end) or
#: guillemets.
QUOTATION = re.compile(r"[\"“][^\"“”]*[\"”]|‘[^‘]{0,2000}?’(?!\w)|«[^«»]*»")

#: Words a model's answer puts between double marks or guillemets, three characters or more
#: (group 1: the words).
QUOTED_WORDS = re.compile(r"[“\"«]([^”\"»]{3,}?)[”\"»]")
