"""Sentence-boundary cases for the splitter: real news sentences around hard full stops.

Most passages are from English Wikinews (2019-2020) and the GUM corpus's Wikinews news
articles (Wikinews contributors, CC BY 2.5, https://creativecommons.org/licenses/by/2.5/),
cut to the sentences around one hard case; the last group is written here for the cases
the layout and eval splitters disagreed on ("U.S. Some", "Maj.", ellipses). Each case is
``(passage, expected sentences)``, labelled by hand.
"""

from __future__ import annotations

# fmt: off
BOUNDARY_CASES: list[tuple[str, list[str]]] = [
    # Dotted acronyms: "U.S." / "D.C." inside a name, or ending a sentence.
    ("The Court of Appeals for the D.C. Circuit vacated his conviction and ordered a new trial.",
     ["The Court of Appeals for the D.C. Circuit vacated his conviction and ordered a new trial."]),
    ("Term limits on members of Congress offer a solution to the brokenness we see in Washington, "
     "D.C. It is long past time for Congress to hold itself accountable.",
     ["Term limits on members of Congress offer a solution to the brokenness we see in "
      "Washington, D.C.", "It is long past time for Congress to hold itself accountable."]),
    ("Arrests were made in Texas, Utah, Virginia, Washington and Washington, D.C. They also "
     "stated arrests were made in Australia.",
     ["Arrests were made in Texas, Utah, Virginia, Washington and Washington, D.C.",
      "They also stated arrests were made in Australia."]),
    ("The team won a silver medal in Constitution Hall in Washington D.C. The six - member Afghan "
     "team had been denied visas.",
     ["The team won a silver medal in Constitution Hall in Washington D.C.",
      "The six - member Afghan team had been denied visas."]),
    ("Ford disclosed this matter to the U.S. Environmental Protection Agency on February 18.",
     ["Ford disclosed this matter to the U.S. Environmental Protection Agency on February 18."]),
    ("It has requested U.S. President Donald Trump declare a state of emergency.",
     ["It has requested U.S. President Donald Trump declare a state of emergency."]),
    ("Both houses of the U.S. Congress would have to pass it by two-thirds majorities.",
     ["Both houses of the U.S. Congress would have to pass it by two-thirds majorities."]),
    ("The wreck they found last June was the remains of the U.S.S. Grayback.  The wreck was "
     "located about 50 miles south of Okinawa.",
     ["The wreck they found last June was the remains of the U.S.S. Grayback.",
      "The wreck was located about 50 miles south of Okinawa."]),
    ("According to the B.C. Coroners Service, there were 170 suspected deaths.",
     ["According to the B.C. Coroners Service, there were 170 suspected deaths."]),
    ("The party nominated Bill Bayes for President and C.L. Gammon for Vice President. Bayes "
     "withdrew.",
     ["The party nominated Bill Bayes for President and C.L. Gammon for Vice President.",
      "Bayes withdrew."]),
    # Times: "a.m." / "p.m." before a zone, a bracket, a quote or a new sentence.
    ("A spokesperson said the attack took place at about 7:45 p.m. \"No Coalition troops were "
     "injured.",
     ["A spokesperson said the attack took place at about 7:45 p.m.",
      "\"No Coalition troops were injured."]),
    ("The airport reopened later that day at 2 p.m. ET (1800 UTC). The airport is the "
     "second-largest in the region.",
     ["The airport reopened later that day at 2 p.m. ET (1800 UTC).",
      "The airport is the second-largest in the region."]),
    ("Akilisi Pohiva died today at 10:00 a.m. Tongan time (2100 UTC, yesterday) at the age of 78.",
     ["Akilisi Pohiva died today at 10:00 a.m. Tongan time (2100 UTC, yesterday) at the age of "
      "78."]),
    ("The advisory was released at 11:00 p.m. EDT on Sunday.",
     ["The advisory was released at 11:00 p.m. EDT on Sunday."]),
    # Initials and titles.
    ("United States Attorney Jessie K. Liu said the children were safer.",
     ["United States Attorney Jessie K. Liu said the children were safer."]),
    ("They had three children, including mathematician Michael J. T. Guy. In his personal time, "
     "Richard Guy practiced mountaineering.",
     ["They had three children, including mathematician Michael J. T. Guy.",
      "In his personal time, Richard Guy practiced mountaineering."]),
    ("He grew disillusioned with the war policies of the George W. Bush administration.",
     ["He grew disillusioned with the war policies of the George W. Bush administration."]),
    ("According to Dr. Tom Frieden, the levels of inaction are alarming.",
     ["According to Dr. Tom Frieden, the levels of inaction are alarming."]),
    ("Harris exclaimed, \"Mr. Vice President, I'm speaking.\" A fly landed on his head.",
     ["Harris exclaimed, \"Mr. Vice President, I'm speaking.\"", "A fly landed on his head."]),
    ("I announce the death of Most Rev. Dinualdo Gutierrez, Bishop-Emeritus of Marbel.",
     ["I announce the death of Most Rev. Dinualdo Gutierrez, Bishop-Emeritus of Marbel."]),
    ("He passed away at the Gen. Santos Doctors' Hospital.",
     ["He passed away at the Gen. Santos Doctors' Hospital."]),
    ("He spent 15 years fighting for Martin Luther King Jr. Day to be a federal holiday.",
     ["He spent 15 years fighting for Martin Luther King Jr. Day to be a federal holiday."]),
    ("Rioters set fire to St. John's Episcopal Church at Lafayette Square.",
     ["Rioters set fire to St. John's Episcopal Church at Lafayette Square."]),
    # Short forms before numbers.
    ("Republic Act No. 3846, also known as the Radio Control Law, was passed in 1931.",
     ["Republic Act No. 3846, also known as the Radio Control Law, was passed in 1931."]),
    ("\"We're not going to wait until Oct. 31 before getting on with our plans,\" he said.",
     ["\"We're not going to wait until Oct. 31 before getting on with our plans,\" he said."]),
    ("It began on Dec. 28, when we had a 4.7-magnitude earthquake there.",
     ["It began on Dec. 28, when we had a 4.7-magnitude earthquake there."]),
    # Ellipses and elisions.
    ("\"Thinking back to early CentOS days... My cofounder was Rocky McGaugh. He is no longer "
     "with us.\"",
     ["\"Thinking back to early CentOS days...", "My cofounder was Rocky McGaugh.",
      "He is no longer with us.\""]),
    ("People will lose faith in the future […] We have to put aside differences.",
     ["People will lose faith in the future […]", "We have to put aside differences."]),
    # Written for the disagreements (and plain cases any splitter must get right).
    ("Potash is a key export for Belarus. Some analysts expect prices to rise.",
     ["Potash is a key export for Belarus.", "Some analysts expect prices to rise."]),
    ("The sanctions were announced by the U.S. Some analysts expect prices to rise.",
     ["The sanctions were announced by the U.S.", "Some analysts expect prices to rise."]),
    ("The plan was welcomed in the U.S. Many in Europe were less sure.",
     ["The plan was welcomed in the U.S.", "Many in Europe were less sure."]),
    ("Maj. Gen. Pat Ryder said the strike was over.",
     ["Maj. Gen. Pat Ryder said the strike was over."]),
    ("The talks ended at 4 p.m. Officials said they would resume on Monday.",
     ["The talks ended at 4 p.m.", "Officials said they would resume on Monday."]),
    ("\"We waited and waited… Nothing came,\" she said. The ministry did not reply.",
     ["\"We waited and waited…", "Nothing came,\" she said.", "The ministry did not reply."]),
    ("Did the talks succeed? Nobody would say. \"Not yet!\" he shouted.",
     ["Did the talks succeed?", "Nobody would say.", "\"Not yet!\" he shouted."]),
    ("Sen. Elizabeth Warren and Gov. Ned Lamont spoke on Jan. 4 in Hartford.",
     ["Sen. Elizabeth Warren and Gov. Ned Lamont spoke on Jan. 4 in Hartford."]),
    ("Prices rose 4.5 percent in 2019. In 2020 they fell.",
     ["Prices rose 4.5 percent in 2019.", "In 2020 they fell."]),
]
# fmt: on
