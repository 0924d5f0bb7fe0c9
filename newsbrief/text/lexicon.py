"""Every word list of newsbrief, each named for what it is used for (English news copy)."""

from __future__ import annotations

import re
from collections.abc import Iterable


def alternation(words: Iterable[str]) -> str:
    """A regex group that matches any of ``words`` literally.

    Args:
        words: the words (or phrases), as they must be written.

    Returns:
        ``(?:...)``: the words escaped, longest first (so no word is cut short by a shorter
        one it starts with), ties in alphabetical order.
    """
    ordered = sorted(set(words), key=lambda word: (-len(word), word))
    return "(?:" + "|".join(re.escape(word) for word in ordered) + ")"


# -- sentence boundaries (newsbrief.text.sentences) -----------------------------------------

#: Words that end in a full stop but do not end a sentence: titles before names and other
#: short forms followed by a capitalised word ("Mr. Coale", "Maj. Gen. Ryder", "Jan. 4").
#: Lowercase, without the full stop.
# fmt: off
ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "sen", "rep", "gov", "lt", "col",
    "capt", "sgt", "maj", "adm", "cmdr", "rev", "hon", "pres", "supt", "insp", "messrs", "mt",
    "ft", "no", "nos", "vs", "v", "approx", "dept", "univ", "fig", "est", "inc", "corp", "ltd",
    "co", "bros", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec",
})
# fmt: on

#: After a dotted acronym ("U.S.", "D.C.", "p.m.") a capitalised word usually continues the
#: sentence ("the U.S. Congress"); only these common sentence openers start a new one.
#: Lowercase.
# fmt: off
SENTENCE_OPENERS = frozenset({
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "this", "that", "these",
    "those", "there", "his", "her", "their", "its", "our", "in", "on", "at", "but", "and", "so",
    "if", "when", "while", "after", "before", "however", "meanwhile", "according", "some",
    "many", "both", "all", "no", "yes", "what", "who", "why", "how",
})
# fmt: on

# -- calendar --------------------------------------------------------------------------------

#: Days of the week, lowercase.
# fmt: off
WEEKDAYS = frozenset({
    "friday", "monday", "saturday", "sunday", "thursday", "tuesday", "wednesday",
})
# fmt: on
#: Months, lowercase.
# fmt: off
MONTHS = frozenset({
    "april", "august", "december", "february", "january", "july", "june", "march", "may",
    "november", "october", "september",
})
# fmt: on
#: Day and month names: capitalised, but never an actor or a speaker.
CALENDAR_WORDS = WEEKDAYS | MONTHS
#: Courtesy titles written before a surname ("Mr Coale"), lowercase, without a full stop.
COURTESY_TITLES = frozenset({"mr", "mrs", "ms", "dr"})

# -- quotes: names and speakers (newsbrief.quotes.mentions, clusters, reporting) --------------

#: Capitalised words that start sentences or name times, never a speaker (as written).
# fmt: off
NOT_SPEAKER_NAMES = frozenset({
    "A", "According", "After", "Against", "All", "Also", "Although", "Amid", "Among", "An",
    "And", "Another", "As", "At", "Because", "Before", "Being", "Between", "Both", "But", "By",
    "Despite", "Dr", "During", "Each", "Fellow", "Following", "For", "From", "Having", "He",
    "Her", "Here", "His", "How", "However", "I", "If", "Image", "In", "Initial", "Into", "It",
    "Its", "Last", "Many", "Meanwhile", "Most", "Mr", "Mrs", "Ms", "My", "Next", "Not", "Of",
    "On", "Once", "One", "Or", "Other", "Our", "Over", "Overall", "Photo", "Recent", "Several",
    "She", "Since", "So", "Some", "Speaking", "Such", "That", "The", "Their", "There", "These",
    "They", "This", "Those", "Though", "Three", "Through", "To", "Today", "Tomorrow", "Two",
    "Under", "Unless", "Unlike", "Until", "Upon", "We", "What", "When", "Whenever", "Where",
    "Whereas", "Whether", "While", "Who", "Why", "With", "Within", "Without", "Yesterday",
    "You", "Your",
}) | frozenset(w.capitalize() for w in CALENDAR_WORDS)
# fmt: on
#: Second halves of compound adjectives that describe a name ("the Kurdish-led Syrian
#: Democratic Forces", "US-backed", "London-based"): such a word is not part of the name.
# fmt: off
COMPOUND_DESCRIPTOR_ENDS = frozenset({
    "aligned", "allied", "backed", "based", "born", "controlled", "funded", "led", "owned",
    "run",
})
# fmt: on
#: Title words that precede a name inside a capitalised run: "Russian President Vladimir
#: Putin" (as written).
# fmt: off
NAME_TITLES = frozenset({
    "Acting", "Ambassador", "Archbishop", "Attorney", "Bishop", "Capt", "Captain", "Cardinal",
    "Chair", "Chairman", "Chairwoman", "Chancellor", "Chief", "Col", "Colonel", "Commissioner",
    "Congressman", "Congresswoman", "Councillor", "Dame", "Defence", "Defense", "Deputy",
    "Director", "Dr", "Emir", "Envoy", "Executive", "Federal", "Finance", "First", "Foreign",
    "Former", "Gen", "General", "Gov", "Governor", "Hon", "Honorable", "Honourable", "Imam",
    "Incumbent", "Interim", "Interior", "Judge", "Justice", "King", "Leader", "Lieutenant",
    "Lt", "MEP", "MP", "Majority", "Mayor", "Minister", "Minority", "Miss", "Mr", "Mrs", "Ms",
    "Officer", "Opposition", "Pope", "Premier", "President", "Prime", "Prince", "Princess",
    "Prof", "Professor", "Queen", "Rabbi", "Rep", "Representative", "Rev", "Reverend",
    "Secretary", "Sen", "Senator", "Senior", "Sergeant", "Sgt", "Sheikh", "Speaker", "Special",
    "Spokesman", "Spokesperson", "Spokeswoman", "State", "Vice", "Whip",
})
# fmt: on
#: Title words (of :data:`NAME_TITLES`) that are also surnames: the last word of a name
#: after a first name or a courtesy title ("Larry King", "Mr. King", "Ann Bishop"); other
#: titles after a capitalised word are a role ("Afghan Ambassador").
TITLE_WORD_SURNAMES = frozenset({"Bishop", "Cardinal", "Judge", "King", "Prince", "Pope"})
#: Letters after a name that are not part of it ("Kama Melly QC"), dropped when speakers are
#: keyed across articles (newsbrief.corpus); "Jr" and "Sr" are kept: they tell people apart.
# fmt: off
POST_NOMINALS = frozenset({
    "CBE", "KC", "MBE", "MEP", "MP", "OBE", "PhD", "QC",
})
# fmt: on
#: Words that end an organisation's name: "Amnesty International Man-kei Tam" is two names.
# fmt: off
ORGANISATION_ENDS = frozenset({
    "Affairs", "Agency", "Army", "Assembly", "Association", "Bank", "Commission", "Committee",
    "Company", "Congress", "Corporation", "Council", "Court", "Department", "Foundation",
    "Fund", "Government", "Group", "House", "Institute", "International", "Kingdom", "Ministry",
    "Administration", "Authority", "Bureau", "Center", "Centre", "University",
    "Nations", "Network", "News", "Office", "Organisation", "Organization", "Parliament",
    "Party", "Police", "Post", "Press", "Senate", "Service", "States", "Times", "Union",
    "Alliance", "Command", "Directorate", "Federation", "League",
    "Presidency", "Society", "Survey", "Tribunal",
})
# fmt: on
#: Lowercase particles inside a name: "Ursula von der Leyen", "Luiz Inácio Lula da Silva".
# fmt: off
NAME_PARTICLES = frozenset({
    "al", "bin", "da", "das", "de", "del", "den", "der", "di", "dos", "du", "el", "ibn", "la",
    "le", "van", "von", "y",
})
# fmt: on
#: Connectives, sentence adverbs, interjections and politeness words: capitalised when they
#: open a sentence, never a speaker ("Please say ...", "Indeed, ...", "Well, ...").
# fmt: off
DISCOURSE_MARKERS = frozenset({
    "afterwards", "again", "alas", "altogether", "anyhow", "anyway", "besides", "even", "first",
    "furthermore", "hello", "hence", "hey", "hi", "indeed", "instead", "just", "kindly",
    "lastly", "later", "let", "likewise", "maybe", "moreover", "nevertheless", "no",
    "nonetheless", "nor", "now", "oh", "ok", "okay", "only", "otherwise", "perhaps", "please",
    "plus", "rather", "regardless", "second", "sorry", "still", "sure", "thanks", "then",
    "therefore", "third", "thus", "well", "yes", "yet",
})
# fmt: on
#: Words that follow an imperative verb opening a sentence (its object or clause): "Ignore
#: all ...", "Note that ...", "Tell everyone ...". A name opening a sentence is followed by
#: its verb ("Putin said"), an apposition or a preposition instead.
# fmt: off
IMPERATIVE_OBJECTS = frozenset({
    "a", "all", "an", "any", "anybody", "anyone", "anything", "every", "everybody", "everyone",
    "everything", "her", "him", "his", "how", "it", "its", "me", "my", "no", "nobody",
    "nothing", "our", "some", "somebody", "someone", "something", "that", "the", "their",
    "them", "these", "this", "those", "us", "what", "whatever", "whether", "whoever", "why",
    "you", "your", "yourself",
})
# fmt: on
#: Particles and prepositions that follow a verb opening a list item in the third person
#: ("Preys on our fears", "Keeps saying ...", "Signs up for ..."), lowercase.
# fmt: off
VERB_PARTICLES = frozenset({
    "about", "at", "down", "into", "off", "on", "out", "to", "up", "with",
})
# fmt: on
#: Floating quantifiers a plural subject may take ("Democrats all voted"): after a word
#: ending in -s they do not mark an imperative.
# fmt: off
FLOATING_QUANTIFIERS = frozenset({
    "all", "both", "each",
})
# fmt: on
#: Heads of descriptive noun phrases that can speak: "the state news agency", "One MP".
# fmt: off
DESCRIPTION_HEADS = frozenset({
    "MP", "activist", "activists", "administration", "agency", "aide", "aides", "allies",
    "ally", "analyst", "analysts", "army", "authorities", "broadcaster", "campaign", "chief",
    "commission", "committee", "company", "council", "court", "critic", "critics", "department",
    "diplomat", "diplomats", "director", "doctor", "embassy", "envoy", "expert", "experts",
    "government", "governor", "group", "judge", "lawmaker", "lawmakers", "lawyer", "leader",
    "leaders", "legislator", "mayor", "military", "minister", "ministers", "ministry",
    "network", "newspaper", "observers", "office", "officer", "officers", "official",
    "officials", "organisers", "organizers", "party", "police", "president", "prosecutor",
    "prosecutors", "protester", "protesters", "report", "resident", "residents", "secretary",
    "senator", "source", "sources", "spokesman", "spokespeople", "spokesperson", "spokeswoman",
    "statement", "study", "survey", "union", "witness", "witnesses",
    "associates", "colleagues", "family", "followers", "friends", "members", "opponents",
    "relatives", "supporters",
})
# fmt: on
#: Heads of descriptions that are documents, not people or bodies ("according to the
#: report", "a new poll shows"): a quote's ``speaker_kind`` is then "document".
# fmt: off
DOCUMENT_HEADS = frozenset({
    "analysis", "audit", "census", "data", "document", "documents", "estimate", "estimates",
    "figures", "filing", "filings", "findings", "letter", "memo", "poll", "polls", "records",
    "report", "reports", "research", "review", "statement", "statistics", "studies", "study",
    "survey", "surveys", "tally",
})
#: Heads of descriptions that are an outlet's or a body's medium: "according to the Vox
#: website", "the ministry's Twitter account". With :data:`DOCUMENT_HEADS`, a name
#: right before one is the source ("according to Johns Hopkins University data").
MEDIUM_HEADS = frozenset({
    "account", "blog", "broadcaster", "channel", "feed", "newspaper", "page", "site",
    "station", "website",
})
# fmt: on
#: Words that open an apposition describing the name before it (", who chairs ...,",
#: ", a lawyer for the city,", ", former mayor,"), lowercase.
# fmt: off
APPOSITION_OPENERS = frozenset({
    "a", "an", "former", "her", "his", "its", "now", "the", "their", "then", "who",
})
# fmt: on
#: Endings of lowercase role nouns that can head a description before a name ("team
#: member", "political scholar", "former federal prosecutor", "student protester").
# fmt: off
ROLE_NOUN_ENDINGS = (
    "ant", "ar", "ary", "ate", "ent", "er", "ian", "ist", "ive", "man", "or", "person",
    "woman",
)
# fmt: on
#: Words right before role words that make them the object of a phrase, not a role ("as
#: a member of", "within", "from Vermont"): lowercase.
# fmt: off
ROLE_BREAKING_WORDS = frozenset({
    "about", "against", "and", "as", "at", "by", "for", "from", "in", "into", "like", "of",
    "on", "or", "over", "than", "to", "with", "within",
})
# fmt: on
#: Descriptor words that make a description a person ("the opposition leader"): the name
#: titles, lowercase, and these roles.
# fmt: off
PERSON_TITLES = frozenset({
    "activist", "analyst", "doctor", "lawyer", "protester",
}) | frozenset(t.lower() for t in NAME_TITLES)
# fmt: on
#: Words that end the descriptor words read backwards from a name ("... said Envoy X").
# fmt: off
NOT_TITLE_WORDS = frozenset({
    "and", "but", "by", "had", "has", "is", "made", "met", "or", "said", "says", "told", "was",
    "with",
})
# fmt: on
#: Words that open a description ("the US envoy", "a spokesman") and describe nobody.
# fmt: off
DESCRIPTION_DETERMINERS = frozenset({
    "a", "an", "its", "one", "the",
})
# fmt: on
#: Words that open a descriptive noun phrase ending at a cue ("the state news agency said",
#: "his spokesman said"): the description determiners and possessives (lowercase).
DESCRIPTION_OPENERS = DESCRIPTION_DETERMINERS | frozenset({"her", "his", "their"})
#: Quantifiers and numbers that open a description of people ("two city officials said",
#: "several cast members said", "another source said"), lowercase: a description's opener
#: when a speaker is read before a cue, never part of the speaker's name.
# fmt: off
DESCRIPTION_QUANTIFIERS = frozenset({
    "all", "another", "both", "dozens", "eight", "few", "five", "four", "many", "most", "nine",
    "other", "others", "several", "seven", "six", "some", "ten", "three", "two",
})
# fmt: on
#: Auxiliaries and adverbs between a subject and its cue ("Coale has also said", "Putin
#: went on to say"), lowercase.
# fmt: off
BEFORE_CUE_FILLERS = frozenset({
    "additionally", "again", "also", "always", "been", "did", "do", "does", "earlier",
    "further", "go on to", "goes on to", "had", "has", "have", "herself", "himself", "however",
    "is", "itself", "just", "later", "likewise", "never", "not", "often", "once", "previously",
    "publicly", "recently", "repeatedly", "reportedly", "separately", "similarly",
    "subsequently", "themselves", "then", "too", "was", "went on to", "who", "will", "would",
    "yet",
})
# fmt: on
#: Nouns of time that make "this week", "that morning" an adverbial after a subject
#: ("Apple this week said"), lowercase.
# fmt: off
TIME_NOUNS = frozenset({
    "afternoon", "autumn", "evening", "fall", "month", "morning", "night", "quarter", "season",
    "spring", "summer", "term", "time", "week", "weekend", "winter", "year",
})
# fmt: on
#: Words that open a leading phrase before a sentence's subject ("On Monday, ...",
#: "Speaking to reporters, ..."), as written.
# fmt: off
SUBJECT_LEADING_OPENERS = frozenset({
    "According", "After", "As", "Asked", "At", "Before", "Despite", "During", "Earlier", "For",
    "Following", "In", "Last", "Later", "On", "Since", "Speaking", "That", "This", "Under",
    "When", "While", "With",
})
# fmt: on
#: Pronouns (lowercase) that a reporting sentence cannot rest on as the speaker's name.
# fmt: off
REPORTING_PRONOUNS = frozenset({
    "he", "her", "his", "i", "it", "she", "their", "they", "we", "you",
})
# fmt: on

# -- quotes: gender cues for pronoun agreement (newsbrief.quotes.pronouns) -----------------

#: Words that show a person is referred to as "he" / "she": pronouns, courtesy titles and
#: gendered role nouns (lowercase, without a full stop), read before a name, in an
#: apposition after it and in the sentence that follows it.
# fmt: off
MASCULINE_WORDS = frozenset({
    "brother", "businessman", "chairman", "congressman", "councilman", "duke", "father",
    "grandfather", "he", "him", "himself", "his", "husband", "king", "lord", "man", "mr",
    "nephew", "prince", "sir", "son", "spokesman", "uncle",
})
FEMININE_WORDS = frozenset({
    "actress", "aunt", "businesswoman", "chairwoman", "congresswoman", "councilwoman", "dame",
    "daughter", "duchess", "grandmother", "her", "hers", "herself", "lady", "miss", "mother",
    "mrs", "ms", "niece", "princess", "queen", "she", "sister", "spokeswoman", "wife", "woman",
})
# fmt: on
#: Personal pronouns with a gender, read after a name as evidence of it (lowercase).
# fmt: off
GENDERED_PRONOUNS = frozenset({
    "he", "her", "hers", "herself", "him", "himself", "his", "she",
})
# fmt: on
#: Courtesy titles with a gender, written before a name ("Mrs Hale", "Sir Keir").
# fmt: off
GENDERED_COURTESY_TITLES = frozenset({
    "Dame", "Lady", "Lord", "Miss", "Mr", "Mrs", "Ms", "Sir",
})
# fmt: on
#: First names that are nearly always one gender in English-language news (as written);
#: a first name not listed here is no evidence either way.
# fmt: off
MASCULINE_FIRST_NAMES = frozenset({
    "Adam", "Alan", "Albert", "Alexander", "Andrew", "Anthony", "Barack", "Ben", "Bernie",
    "Bill", "Bob", "Boris", "Brian", "Charles", "Christopher", "Daniel", "David",
    "Donald", "Edward", "Emmanuel", "Eric", "Frank", "Gary", "George", "Greg", "Henry", "Jack",
    "James", "Jason", "Jeff", "Jeremy", "Jim", "Joe", "John", "Jonathan", "Joseph", "Justin",
    "Kevin", "Mark", "Matt", "Matthew", "Michael", "Mike", "Mitch", "Nicholas", "Paul",
    "Peter", "Richard", "Robert", "Ron", "Scott", "Stephen", "Steve", "Steven", "Thomas",
    "Tim", "Timothy", "Tom", "Tony", "Vladimir", "William",
})
FEMININE_FIRST_NAMES = frozenset({
    "Alice", "Amy", "Angela", "Ann", "Anna", "Anne", "Barbara", "Betsy", "Catherine",
    "Christine", "Claire", "Diane", "Elizabeth", "Ellen", "Emily", "Emma", "Hillary", "Helen",
    "Jane", "Janet", "Jennifer", "Jessica", "Julia", "Julie", "Karen", "Kate", "Katherine",
    "Kathleen", "Laura", "Linda", "Lisa", "Margaret", "Maria", "Marie", "Mary",
    "Melania", "Michelle", "Nancy", "Nicola", "Patricia", "Penny", "Rachel", "Rebecca",
    "Sarah", "Sharon", "Susan", "Tanya", "Theresa", "Ursula",
})
# fmt: on

# -- quotes: titles of works in quotation marks (newsbrief.quotes.statements) ---------------

#: Short words a title in Title Case leaves lowercase ("Protection of the Children Act").
# fmt: off
TITLE_CASE_SMALL_WORDS = frozenset({
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on",
    "or", "the", "to", "vs", "with",
})
# fmt: on

#: Function words that a headline in Title Case capitalises but a name never holds inside
#: it ("Voters Share Their Thoughts On Ann Lee", "Railing Against Lee"), lowercase; "a"
#: is left out (an initial: "John A Smith").
# fmt: off
HEADLINE_FUNCTION_WORDS = frozenset({
    "about", "after", "against", "amid", "an", "and", "are", "as", "at", "before", "but",
    "by", "for", "from", "her", "his", "in", "into", "is", "its", "my", "nor", "of", "on",
    "or", "our", "over", "the", "their", "to", "under", "upon", "vs", "was", "were", "will",
    "with", "without", "your",
})
# fmt: on

# -- quotes: cue verbs (newsbrief.quotes.cues) ----------------------------------------------

#: Reporting verbs in the forms news prose uses them.
# fmt: off
SPEECH_VERBS = frozenset({
    "acknowledge", "acknowledged", "add", "added", "adding", "adds", "admit", "admitted",
    "agree", "agreed", "alleged", "alleges", "announce", "announced", "announces", "announcing",
    "argue", "argued", "argues", "arguing", "asked", "assert", "asserted", "assured",
    "believes", "claim", "claimed", "claiming", "claims", "commented", "complained", "concede",
    "conceded", "concluded", "confirmed", "confirms", "contend", "contended", "continued",
    "countered", "declared", "declares", "denied", "denies", "denying", "emphasised",
    "emphasized", "explain", "explained", "explains", "indicated", "informed", "insist",
    "insisted", "insisting", "insists", "joked", "maintained", "note", "noted", "notes",
    "noting", "observed", "pledged", "posted", "predicted", "promised", "quipped", "recalled",
    "reacted", "recommended", "recounted", "reiterated", "remarked", "reminded", "replied",
    "reported", "reports",
    "responded", "revealed", "said", "say", "saying", "says", "stated", "states", "stating",
    "stress", "stressed", "stresses", "suggest", "suggested", "suggests", "tell", "telling",
    "tells", "testified", "thinks", "told", "tweeted", "tweeting", "tweets", "urged", "vowed",
    "warn", "warned", "warning", "warns", "writes", "writing", "wrote",
})
# fmt: on
#: Lowercase words inside a name in the position-taker pattern ("Ursula von der Leyen",
#: "Secretary of State", "Commission on International Religious Freedom"): the stance
#: step's reported speakers.
# fmt: off
POSITION_NAME_LINKS = frozenset({
    "al", "bin", "da", "de", "for", "of", "on", "the", "van", "von",
})
# fmt: on
#: Auxiliaries and adverbs between a position taker and its verb ("X has repeatedly
#: criticised ...").
# fmt: off
POSITION_VERB_PRELUDES = frozenset({
    "again", "already", "also", "formally", "had", "has", "have", "later", "previously",
    "publicly", "quickly", "repeatedly", "strongly", "then",
})
# fmt: on
#: Verbs by which news reports a position without quoting it ("Merkel demanded an
#: explanation", "the caretaker Prime Minister recommended the troops withdraw", "the court
#: ruled the decree unlawful"): the subject takes a side on something (the stance step's
#: reported speakers, ``newsbrief.steps.positions``).
# fmt: off
POSITION_VERBS = frozenset({
    "accused", "appealed against", "applauded", "approved", "argued against", "argued for",
    "backed", "backs", "blamed", "blocked", "boycotted", "called for", "calls for",
    "campaigned against", "campaigned for", "challenged", "committed", "condemned", "condemns",
    "congratulated", "criticised", "criticises", "criticized", "criticizes", "defended", "defends",
    "demanded", "demands", "denied", "denies", "denounced", "dismissed", "dismisses", "disputed",
    "endorsed", "endorses", "expressed", "expresses", "hailed", "hails", "issued a judgement",
    "issued a judgment", "issued a ruling", "issued a statement", "issued a verdict",
    "issued an opinion", "lobbied against", "lobbied for", "objected", "opposed", "opposes",
    "pledged", "praised", "praises", "proposed", "proposes", "protested against", "pushed for",
    "questioned", "recommended", "refused", "refuses", "rejected", "rejects", "ruled against",
    "ruled in favor", "ruled in favour", "ruled that", "slammed", "slams", "supported", "supports",
    "threatened", "urged", "urges", "vetoed", "voted against", "voted for", "vowed",
    "warned against", "welcomed", "welcomes",
})
# fmt: on
#: Participles by which news reports a position in a clause hung on its subject ("with
#: Spano calling the process a coup", "and Park praising it").
# fmt: off
POSITION_PARTICIPLES = frozenset({
    "backing", "calling for", "condemning", "criticising", "criticizing", "demanding",
    "denouncing", "dismissing", "opposing", "praising", "rejecting", "supporting", "urging",
    "welcoming",
})
# fmt: on
#: Verbs and participles that name something in the speaker's words ("called the deal
#: \"void\""): a position only when a quotation mark follows them in the sentence.
# fmt: off
POSITION_NAMING_VERBS = frozenset({
    "branded", "branding", "called", "calling", "described", "describing", "dubbed", "labelled",
    "labeled", "termed",
})
# fmt: on
#: Lowercase nouns that, after a capitalised word, name a body that takes positions ("the
#: Russian government", "Danish officials", "the Trump administration").
# fmt: off
POSITION_BODY_NOUNS = frozenset({
    "administration", "authorities", "cabinet", "court", "delegation", "embassy", "government",
    "lawmakers", "legislators", "military", "ministry", "officials", "opposition",
    "parliament", "police", "prosecutors", "regulators",
})
# fmt: on
#: Openers of a phrase between a position taker and its verb that tells where or to whom
#: it spoke ("Varga speaking to the press called ...", "Lee writing in The Times urged").
# fmt: off
POSITION_ADJUNCT_OPENERS = frozenset({
    "speaking at", "speaking in", "speaking on", "speaking to", "speaking with", "writing in",
})
# fmt: on
#: Prepositions before a capitalised word that make it an object, not a position taker
#: ("foreign ministers in Cairo denounced ...").
# fmt: off
POSITION_OBJECT_PREPOSITIONS = frozenset({
    "about", "across", "against", "at", "from", "in", "into", "near", "on", "over", "than",
    "to", "within",
})
# fmt: on
#: Role words written capitalised before a speaker's name ("Voter Kitty Mak told ...",
#: "Legislator Tanya Chan", "Immunologist Kristian Andersen", "Police Senior
#: Superintendent Yolanda Yu Hoi-kwan"): not part of the name (as written). Occupations
#: and ranks, none of them a first name.
# fmt: off
ROLE_WORDS_BEFORE_NAMES = frozenset({
    "Activist", "Actor", "Actress", "Administrator", "Admiral", "Adviser", "Advisor",
    "Analyst", "Anchor", "Artist", "Assemblyman", "Assemblywoman", "Astronaut", "Author",
    "Biologist", "Blogger", "Broadcaster", "Businessman", "Businesswoman", "Campaigner",
    "Candidate", "Chef", "Co-author", "Co-developer", "Co-founder", "Columnist", "Comedian",
    "Commandant", "Commentator", "Constable", "Consultant", "Correspondent", "Councilman",
    "Councilwoman", "Critic", "Delegate", "Democrat", "Detective", "Ecologist", "Economist",
    "Editor", "Engineer", "Entrepreneur", "Epidemiologist", "Expert", "Eyewitness",
    "Farmer", "Filmmaker", "Founder", "Historian", "Immunologist", "Inspector",
    "Journalist", "Lawmaker", "Lawyer", "Lecturer", "Legislator", "Lobbyist", "Manager",
    "Meteorologist", "Musician", "Novelist", "Nurse", "Observer", "Organiser", "Organizer",
    "Parent", "Philanthropist", "Photographer", "Physician", "Physicist", "Pilot",
    "Pollster", "Presenter", "Producer", "Prosecutor", "Protester", "Protestor",
    "Psychologist", "Publisher", "Rapper", "Reporter", "Researcher", "Resident",
    "Scientist", "Sheriff", "Shopkeeper", "Singer", "Sociologist", "Strategist", "Student",
    "Superintendent", "Surgeon", "Teacher", "Veteran", "Virologist", "Voter", "Witness",
    "Worker", "Writer",
})
# fmt: on
#: Verbs that name or describe something with the speaker's words: called it "a disgrace".
# fmt: off
NAMING_VERBS = frozenset({
    "branded", "branding", "call", "called", "calling", "calls", "characterised",
    "characterising", "characterized", "characterizing", "described", "describes", "describing",
    "dubbed", "dubbing", "labeled", "labeling", "labelled", "labelling", "termed", "terming",
})
# fmt: on
#: Verbs whose reported clause may follow without "that": "Pelosi has said her plans ...".
# fmt: off
BARE_CLAUSE_VERBS = frozenset({
    "acknowledge", "acknowledged", "added", "adds", "admit", "admitted", "agree", "agreed",
    "argue", "argued", "argues", "assert", "asserted", "believes", "claim", "claimed", "claims",
    "concede", "conceded", "contend", "contended", "insist", "insisted", "insists",
    "maintained", "note", "noted", "notes", "said", "say", "saying", "says", "stated",
    "stating", "stress", "stressed", "suggest", "suggested", "suggests", "thinks",
})
# fmt: on
#: Determiners and possessives: before a word they make it a noun ("the claim", "a call
#: for"), and after "to" they make "to" a preposition ("pledged to the fund").
# fmt: off
NOUN_DETERMINERS = frozenset({
    "a", "an", "her", "his", "its", "my", "our", "that", "the", "their", "this", "your",
})
# fmt: on
#: Words that cannot open a clause reported without "that": a conjunction ("who said and
#: did ..."), or a copula or "have" that makes the cue a relative clause's ("Everything he
#: says is a lie"); a modal may ("which he said would allow ...").
# fmt: off
NOT_REPORTED_CLAUSE_OPENERS = frozenset({
    "and", "are", "but", "had", "has", "have", "is", "nor", "or", "was", "were",
})
# fmt: on
#: Words that open an indirect question after "asked" or "explained".
QUESTION_WORDS = frozenset({"how", "what", "when", "where", "whether", "who", "why"})
#: Words after "called him/it" that make it no naming: a preposition, a particle, a time or
#: a conjunction ("called him on Tuesday", "called her back", "called it again").
# fmt: off
NOT_NAMING_COMPLEMENTS = frozenset({
    "about", "after", "again", "and", "at", "back", "before", "but", "during", "for", "from",
    "in", "last", "off", "on", "or", "out", "over", "this", "to", "today", "up", "with",
    "yesterday",
})
# fmt: on
#: Words that open a clause of circumstance after a final cue ("..., lawmakers said Friday,
#: as they bristled at ...").
# fmt: off
SUBORDINATE_TAIL_OPENERS = frozenset({
    "after", "although", "as", "because", "before", "since", "though", "when", "while",
})
# fmt: on
#: Words before the title of a work in quotation marks ('on CBS's "Face the Nation,"',
#: 'titled "..."'): prepositions and "titled"/"entitled".
TITLE_LEAD_WORDS = frozenset({"at", "entitled", "from", "in", "of", "on", "titled", "to"})
#: Prepositions of a place or an affiliation after a source ("said one source in the room",
#: "said a spokesman for the board").
SOURCE_PLACE_PREPOSITIONS = frozenset({"at", "for", "from", "in", "of", "on", "with"})
#: Conjunctions that open a clause, before its subject ("..., but critics say", "Note that
#: experts say").
# fmt: off
CLAUSE_CONJUNCTIONS = frozenset({
    "although", "and", "as", "because", "but", "if", "since", "so", "that", "though", "when",
    "whether", "while",
})
# fmt: on
#: Base forms of reporting verbs, cues in the present with a plural subject ("They argue
#: that ...", "some groups acknowledge that ..."), not after a modal, "to" or a negation
#: ("refused to concede", "did not admit"): see :data:`BASE_FORM_BLOCKERS`.
# fmt: off
BASE_FORM_SPEECH_VERBS = frozenset({
    "acknowledge", "admit", "agree", "argue", "assert", "claim", "concede", "contend",
    "insist", "note", "stress", "suggest",
})
#: Words before a base form that make it no statement made: "to", a modal, "do"/"did",
#: a negation, a coordination with such a verb ("refused to concede or admit"), or a
#: determiner, which makes it a noun ("the claim", "a note").
BASE_FORM_BLOCKERS = frozenset({
    "and", "can", "cannot", "could", "did", "didn't", "do", "doesn't", "don't", "does", "may",
    "might", "must", "n't", "never", "nor", "not", "or", "should", "to", "will", "won't",
    "would",
}) | NOUN_DETERMINERS
# fmt: on
#: Verbs whose clause may follow without "that" only when it opens with a pronoun or a name
#: and a verb ("announced it planned ..."), not with a noun phrase ("announced the easing").
# fmt: off
NARROW_CLAUSE_VERBS = frozenset({
    "alleged", "announced", "announces", "believed", "confirmed", "denied", "denies",
    "estimated", "indicated", "predicted", "reported", "reports", "revealed", "thought",
    "warned",
})
# fmt: on
#: Verbs of commitment, appeal and order whose reported content may be an infinitive:
#: "vowed to rebuild the pier", "urged the board to resign", "told his aides to wait" (the
#: addressee is part of it). Not "agreed": "agreed to a deal" reports an act, not words.
# fmt: off
INFINITIVE_VERBS = frozenset({
    "asked", "pledged", "promised", "threatened", "told", "urged", "vowed", "warned",
})
# fmt: on
#: Verbs whose reported content may be an indirect question: "asked whether the deal
#: held", "explained how the fund works", "asked the court whether ..." (after the
#: addressee).
# fmt: off
QUESTION_VERBS = frozenset({
    "asked", "asks", "explain", "explained", "explains",
})
# fmt: on
#: Verbs of saying whose object names what was said ("denied the allegations", "announced
#: plans to ...", "accused the mayor of ...", "warned against a vote"), each with the
#: prepositions that may open its object ("" for none): a statement of kind "reported".
#: Lowercase, inflected forms only (a base form is read after a plural subject:
#: "Obama, others vow consequences"). Left out: "called" (its object is as often a meeting
#: or a vote, "called the hearing", as a name given) and "asked for" (a request: "asked for
#: a recount"). "agreed to" is kept before a verb only ("agreed to clean up the mines", a
#: commitment as "vowed to" is; "agreed to a new contract" is an act).
# fmt: off
OBJECT_REPORT_VERBS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("accuse", "accused", "accuses"), ("",)
    ),
    **dict.fromkeys(
        ("acknowledge", "acknowledged", "acknowledges", "announce", "announced", "announces",
         "claimed", "confirm", "confirmed", "confirms", "declared", "declares", "denied",
         "denies", "deny", "described", "describes", "explained", "mentioned", "mentions",
         "predict", "predicted", "predicts", "promise", "promised", "promises", "recalled",
         "reported", "reports", "suggested", "tweeted", "urge", "urged", "urges", "vow",
         "vowed", "vows", "admit", "admits", "admitted"),
        ("",),
    ),
    **dict.fromkeys(("agree", "agreed", "agrees"), ("with", "to")),
    **dict.fromkeys(("comment", "commented", "comments"), ("on",)),
    **dict.fromkeys(("insist", "insisted", "insists"), ("on",)),
    **dict.fromkeys(("respond", "responded", "responds"), ("to", "with", "by")),
    **dict.fromkeys(("warn", "warned", "warns"), ("of", "against", "about")),
}
# fmt: on
#: Objects that make a verb of :data:`OBJECT_REPORT_VERBS` an act, not a statement made: an
#: administrative order or a body's decision ("declared a state of emergency", "the Senate
#: confirmed her nomination", "Congress denied funding for the wall", "recalled 12,000
#: vans", "recalled its ambassador"). Declarations that
#: state a position stay statements ("declared war on", "declared bankruptcy", "declared
#: independence": PolNeAR annotates them as attributions). Keyed by the verb's forms; a noun
#: (or phrase) is looked for among the object's words before its first preposition other
#: than "of". Lowercase.
# fmt: off
OBJECT_REPORT_ACTS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ("declare", "declared", "declares"),
        frozenset({
            "curfew", "disaster", "emergency", "holiday", "lockdown", "martial law",
            "mourning", "quarantine",
        }),
    ),
    **dict.fromkeys(
        ("confirm", "confirmed", "confirms"),
        frozenset({"appointment", "appointments", "nominee", "nominees", "nomination",
                   "nominations"}),
    ),
    **dict.fromkeys(
        ("recall", "recalled", "recalls"),
        frozenset({
            "ambassador", "ambassadors", "batches", "cars", "devices", "envoy", "envoys",
            "models", "phones", "products", "trucks", "units", "vans", "vehicles",
        }),
    ),
    **dict.fromkeys(
        ("deny", "denied", "denies"),
        frozenset({
            "access", "approval", "asylum", "bail", "entry", "funding", "funds", "parole",
            "permission", "permit", "permits", "visa", "visas",
        }),
    ),
}
# fmt: on
#: Words between a subject and its verb of saying that make the verb no statement made
#: with an object: a passive ("was announced", "has been accused"), a negation ("did not
#: comment"), a modal or an infinitive ("could deny", "to urge"). Lowercase.
# fmt: off
OBJECT_REPORT_BLOCKERS = frozenset({
    "are", "be", "been", "being", "can", "cannot", "could", "did", "didn't", "do", "does",
    "doesn't", "don't", "is", "may", "might", "must", "n't", "never", "not", "should", "to",
    "was", "were", "will", "won't", "would",
})
# fmt: on
#: Subjects that name nobody the article can give as a speaker: the writer ("I", "we"),
#: the reader ("you") or someone unnamed ("someone asked how ..."). Lowercase.
UNNAMED_PRONOUN_SUBJECTS = frozenset({"i", "someone", "somebody", "we", "you"})
#: Words that end a long adverbial before "that" (a conjunction or a relative word: the
#: "that" after it opens no reported clause of the cue's).
# fmt: off
ADVERBIAL_BREAKERS = frozenset({
    "and", "because", "but", "or", "since", "that", "which", "while", "who",
})
# fmt: on
#: Prepositions that open a time or place adverbial between a cue and a clause opened by a
#: pronoun ("said after the convention he would ...").
# fmt: off
CLAUSE_ADVERBIAL_PREPOSITIONS = frozenset({
    "after", "at", "before", "during", "in", "on", "over", "with",
})
# fmt: on
#: Prepositions whose object a description before a cue can be ("close to the mayor", "a
#: spokesman for the board"): then it is not the cue's subject ("of" is not one: "one of
#: the engineers" are engineers).
# fmt: off
SUBJECT_PREPOSITIONS = frozenset({
    "about", "against", "among", "at", "by", "for", "from", "near", "to", "with",
})
# fmt: on
#: Verbs whose question after the addressee may open with "if": "asked the court if ...".
IF_QUESTION_VERBS = frozenset({"asked", "asks"})
#: Addressee verbs whose clause may follow the addressee without "that" when a subject
#: pronoun opens it: "told reporters he would run", "assured voters they would be paid".
# fmt: off
PRONOUN_CLAUSE_VERBS = frozenset({
    "assured", "informed", "reminded", "tell", "telling", "tells", "told", "warned",
})
# fmt: on
#: Question words that open a clause after the addressee of "told": "told reporters how
#: surprised he was" ("told us what they think" is often no statement of the speaker's).
TOLD_QUESTION_WORDS = frozenset({"how", "whether", "why"})
#: Subject pronouns that open a reported clause (lowercase).
CLAUSE_SUBJECT_PRONOUNS = frozenset({"he", "i", "it", "she", "there", "they", "we"})
#: Verbs that take the addressee before the clause: "told the Associated Press that".
# fmt: off
ADDRESSEE_VERBS = frozenset({
    "asked", "assured", "informed", "reminded", "telling", "tells", "told", "urged", "warned",
})
# fmt: on
#: Auxiliaries after a name that open a reported clause without "that" ("announced Smith
#: would ..."), lowercase.
# fmt: off
AUXILIARIES = frozenset({
    "are", "can", "could", "had", "has", "is", "may", "might", "must", "should", "was", "were",
    "will", "would",
})
# fmt: on
#: Participles whose subject is the subject of the sentence: "..., saying ...", "adding that".
PARTICIPLES = frozenset(verb for verb in SPEECH_VERBS | NAMING_VERBS if verb.endswith("ing"))

#: Words that may stand between a cue and its "that" ("said on Monday that", "told
#: reporters earlier this week that"): time, manner and place adverbials (lowercase; the day
#: names are added capitalised).
# fmt: off
CUE_ADVERBIALS = frozenset({
    "a", "after", "again", "also", "an", "at", "before", "during", "earlier", "early",
    "from", "further", "in", "last", "late", "later", "on", "over", "previously", "publicly",
    "recently", "repeatedly", "separately", "the", "then", "this", "through", "to", "today",
    "via", "with", "yesterday",
})
# fmt: on
#: Time adverbs skipped between a cue and a clause without "that" ("said yesterday the
#: ...").
# fmt: off
CUE_TIME_ADVERBS = frozenset({
    "again", "also", "earlier", "later", "previously", "today", "yesterday",
})
# fmt: on
#: Words after a cue that do not open a reported clause without "that" ("said on Monday",
#: "said in a statement"): prepositions, conjunctions and time words.
# fmt: off
NOT_BARE_CLAUSE_OPENERS = frozenset({
    "about", "according", "after", "as", "at", "before", "by", "during", "earlier", "for",
    "from", "in", "last", "later", "of", "on", "over", "this", "through", "to", "today", "via",
    "when", "while", "with", "yesterday",
})
# fmt: on

# -- sentence shortening (newsbrief.steps.shorten) ------------------------------------------

#: Words that open a clause after a comma that can go: relative and subordinate clauses,
#: participles ("..., who ...", "..., adding that ...").
# fmt: off
TRAILING_CLAUSE_OPENERS = frozenset({
    "according", "adding", "after", "although", "amid", "as", "because", "before", "but",
    "citing", "despite", "following", "including", "saying", "since", "though", "where",
    "whereas", "which", "while", "who", "whose", "with",
})
# fmt: on
#: Words that open a sentence's leading clause that can go ("After the vote, ..."), as
#: written.
# fmt: off
LEADING_CLAUSE_OPENERS = frozenset({
    "According to", "After", "Although", "Amid", "As", "At", "Despite", "During", "Earlier",
    "Following", "In", "Last", "On", "Since", "This", "Today", "While", "With", "Yesterday",
})
# fmt: on

# -- answer checks (newsbrief.steps.checks) -------------------------------------------------

#: Capitalised words of a model's answer that are not names wherever they appear, so need
#: not occur in the article (lowercase).
# fmt: off
NOT_NAMES_IN_ANSWERS = frozenset({
    "a", "according", "after", "all", "also", "although", "an", "and", "another", "as", "at",
    "before", "both", "but", "by", "despite", "during", "eight", "either", "first", "five",
    "for", "four", "from", "he", "her", "his", "however", "i", "if", "in", "it", "its", "just",
    "last", "less", "many", "meanwhile", "more", "most", "neither", "new", "nine", "no", "not",
    "of", "on", "one", "only", "or", "other", "our", "second", "seven", "several", "she",
    "since", "six", "so", "some", "ten", "that", "the", "their", "then", "there", "these",
    "they", "third", "this", "those", "though", "three", "to", "two", "until", "we", "what",
    "when", "where", "while", "who", "with", "yet", "you",
}) | CALENDAR_WORDS | COURTESY_TITLES
# fmt: on
#: Words of an issue phrase that need not occur in the article for it to be grounded
#: (articles, prepositions, possessives).
# fmt: off
GROUNDING_FUNCTION_WORDS = frozenset({
    "a", "about", "an", "and", "at", "by", "for", "from", "her", "his", "in", "its", "of", "on",
    "or", "over", "the", "their", "to", "with",
})
# fmt: on

# -- written summaries (newsbrief.steps.write) ------------------------------------------------

#: Words a base model's written summary sentence may use that the article need not contain
#: (reporting verbs and linking words), in the order they are added to the words it may
#: write with; the full stop ends a sentence.
# fmt: off
SUMMARY_LINK_WORDS = (
    "said", "says", "warned", "added", "argued", "called", "described", "announced", "urged",
    "criticised", "criticized", "welcomed", "rejected", "denied", "accused", "agreed", "that",
    "who", "which", "while", "but", "and", "also", ".",
)
# fmt: on

# -- stance features (newsbrief.steps.heads.stance) ------------------------------------------

#: Negation words counted as a feature of a speaker's evidence (any case; "deny" and its
#: forms and "n't" are matched beside them).
# fmt: off
NEGATION_WORDS = frozenset({
    "false", "neither", "never", "no", "nobody", "none", "nor", "not", "nothing",
})
# fmt: on

# -- evaluation (newsbrief.eval) ----------------------------------------------------------

#: Verbs (and phrases) of saying: a PolNeAR attribution whose cue holds one of these words
#: is the kind a quote extractor exists to find (:mod:`newsbrief.eval.runner`). Kept apart
#: from :data:`SPEECH_VERBS`: the extractor's own list must not define what it is scored on.
# fmt: off
SAYING_CUES = frozenset({
    "say", "says", "said", "saying", "tell", "tells", "told", "telling", "according",
    "add", "adds", "added", "write", "writes", "wrote", "written", "argue", "argues",
    "argued", "warn", "warns", "warned", "claim", "claims", "claimed", "state", "states",
    "stated", "explain", "explains", "explained", "note", "notes", "noted", "insist",
    "insists", "insisted", "announce", "announces", "announced", "declare", "declares",
    "declared", "ask", "asks", "asked", "reply", "replies", "replied", "respond",
    "responds", "responded", "comment", "comments", "commented", "remark", "remarks",
    "remarked", "tweet", "tweets", "tweeted", "quip", "quipped", "continue", "continued",
    "admit", "admits", "admitted", "deny", "denies", "denied", "acknowledge",
    "acknowledged", "recall", "recalled", "testify", "testified", "mention", "mentioned",
    "suggest", "suggested", "predict", "predicted", "promise", "promised", "vow", "vowed",
    "urge", "urged", "call", "calls", "called", "describe", "described", "accuse",
    "accused", "charge", "charged", "contend", "contended", "assert", "asserted",
    "maintain", "maintained", "concede", "conceded", "agree", "agreed", "confirm",
    "confirmed", "report", "reports", "reported", "shout", "shouted", "joke", "joked",
})
# fmt: on

#: Words that carry no content of an issue phrase when two issues are compared (articles,
#: prepositions, pronouns, the copula): content words are what must agree
#: (:mod:`newsbrief.eval.brief_metrics`). Not :data:`GROUNDING_FUNCTION_WORDS`: the metric
#: was fixed with this list, and changing either would move scores or checks.
# fmt: off
ISSUE_METRIC_STOPWORDS = frozenset({
    "a", "an", "the", "of", "on", "in", "to", "for", "from", "by", "with", "about", "as",
    "at", "into", "over", "and", "or", "its", "his", "her", "their", "our", "this", "that",
    "these", "those", "is", "are", "was", "were", "be", "been", "s", "whether", "it",
})
# fmt: on

# -- model-free baselines (newsbrief.eval.baselines, newsbrief.eval.stance_baselines) -------

#: The nearest-name baseline's capitalised words that are not names, or not the name
#: itself: function words that open sentences, titles and roles before a name, days and
#: months (lowercase; simpler than the quote rules on purpose: it is a baseline).
# fmt: off
BASELINE_NOT_NAMES = frozenset({
    "a", "according", "after", "also", "although", "ambassador", "an", "and", "as", "at",
    "before", "but", "by", "chancellor", "chief", "dr", "during", "envoy", "for", "former",
    "from", "gen", "general", "gov", "governor", "he", "her", "here", "his", "how", "however",
    "i", "if", "in", "it", "its", "judge", "justice", "king", "last", "many", "mayor",
    "meanwhile", "minister", "most", "mr", "mrs", "ms", "my", "next", "no", "not", "on", "or",
    "our", "pope", "president", "prime", "prof", "queen", "rep", "representative", "secretary",
    "sen", "senator", "several", "she", "so", "some", "speaking", "special", "spokesman",
    "spokesperson", "spokeswoman", "that", "the", "their", "then", "there", "these", "they",
    "this", "those", "though", "today", "tomorrow", "vice", "we", "what", "when", "where",
    "while", "who", "why", "with", "yes", "yesterday", "you", "your",
}) | CALENDAR_WORDS
# fmt: on
# fmt: off
#: Cue words per stance label, written by hand from general knowledge of how news reports
#: support and opposition (not fitted to the gold); matched as whole lowercase words by the
#: lexicon stance baseline.
STANCE_CUE_WORDS: dict[str, frozenset[str]] = {
    "supportive": frozenset({
        "agree", "agreed", "applaud", "applauded", "backed", "backs", "best", "congratulate",
        "congratulated", "endorse", "endorsed", "glad", "good", "great", "happy", "historic",
        "important", "pleased", "positive", "praise", "praised", "praises", "proud", "right",
        "success", "successful", "support", "supported", "supporting", "supports", "thank",
        "thanks", "victory", "welcome", "welcomed", "welcomes", "win",
    }),
    "opposed": frozenset({
        "against", "attack", "bad", "cannot", "condemn", "condemned", "condemns", "criticise",
        "criticised", "criticism", "criticize", "criticized", "denounce", "denounced",
        "disgrace", "failed", "failure", "hoax", "illegal", "lie", "lies", "never", "no", "not",
        "oppose", "opposed", "opposes", "opposing", "outrage", "outrageous", "refuse",
        "refused", "reject", "rejected", "rejects", "ridiculous", "sham", "shame", "shameful",
        "terrible", "unacceptable", "unlawful", "won't", "wrong",
    }),
    "cautious": frozenset({
        "although", "but", "careful", "caution", "cautious", "concern", "concerned", "concerns",
        "could", "however", "if", "may", "might", "risk", "risks", "should", "uncertain",
        "wait", "warn", "warned", "warning", "warns", "worried", "worry",
    }),
}
# fmt: on
