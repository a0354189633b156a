"""Find the signs that someone may be at risk in a comment: pure functions over text, like the rules.

Five signals: suicidal thoughts or intent, self-harm, intent to harm others, abuse or neglect
disclosed (of a child or an adult at risk), and a medical emergency happening now. A comment with
any of them is held for a person to read first, whoever wrote it (docs/safeguarding.md).

Precision matters as much as recall: a forum about health policy is full of "suicide prevention
strategy", "self-harm services", "this policy is killing the NHS" and lived experience told in the
past tense. So each clause is read as a person would read it:

- **who**: the patterns name the speaker ("I", "my") or someone close to them ("my son says he
  wants to kill himself"), never people in general ("patients who self-harm");
- **when**: a clause that places itself in the past ("years ago", "when I was nineteen", "in 2009",
  "used to") is lived experience, unless it also says it is happening now or lately ("again",
  "tonight", "last night");
- **not**: a negation just before the words ("I'm not suicidal", "I don't want to die in hospital")
  cancels them, unless the negation is the point ("I don't want to be alive");
- **idioms**: "I'd kill for", "dying to", "shoot me an email", "killing me", "bored to death" and
  their kind are blanked out before anything is matched;
- **fiction**: a clause about a film, a play or a character is not a disclosure.

The lexicon follows published guidance on the words people use (Samaritans' media guidelines and
"signs that someone may be struggling", NHS pages on suicidal thoughts, self-harm, heart attack and
stroke (FAST), NHS 111 emergency symptoms, and the Care Act 2014's categories of abuse and neglect);
its limits are in docs/safeguarding.md. Offsets refer to the text as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SUICIDE = "suicide"
SELF_HARM = "self_harm"
HARM_OTHERS = "harm_others"
ABUSE = "abuse"
EMERGENCY = "emergency"
SIGNALS = (SUICIDE, SELF_HARM, HARM_OTHERS, ABUSE, EMERGENCY)

LABELS = {
    SUICIDE: "Suicidal thoughts or intent",
    SELF_HARM: "Self-harm",
    HARM_OTHERS: "Intent to harm others",
    ABUSE: "Abuse or neglect disclosed",
    EMERGENCY: "A medical emergency now",
}


@dataclass(frozen=True)
class RiskSignal:
    """One sign of risk: which signal, the words that raised it, and where they are."""

    signal: str
    matched: str
    start: int
    end: int


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Contractions with or without their apostrophe ("cant", "im"): people in distress do not proofread.
I = r"(?:i|i'm|im|i am|i've|ive|i have|i'll|ill|i will|i'd|id)"
NOT = r"(?:n'?t|not|never)"
CLOSE = (
    r"(?:son|daughter|child|children|kids?|boy|girl|baby|partner|husband|wife|boyfriend|girlfriend|"
    r"fiance|fiancee|ex|mum|mom|mother|dad|father|stepdad|stepmum|stepfather|stepmother|parents?|"
    r"brother|sister|friend|mate|gran|grandma|grandad|grandfather|grandmother|nan|nana|aunt|auntie|"
    r"uncle|niece|nephew|cousin|flatmate|neighbour|neighbor|client|patient|boss|manager|colleague|"
    r"landlord|teacher|carer|gp|doctor|nurse|consultant|teenager|teen|youngster|toddler|grandson|"
    r"granddaughter)"
)
# People someone could hurt: pronouns, someone close, or a person named by role.
PERSON = (
    rf"(?:him|her|them|you|myself|my (?:\w+ )?{CLOSE}|(?:the|that|this|those|these) (?:\w+ )?"
    r"(?:consultant|doctor|nurse|manager|man|woman|men|women|guy|bloke|lad|boy|girl|baby|child|kid|"
    r"kids|receptionist|carer|lot(?: of them)?|people|neighbour|staff)|anyone|anybody|someone|"
    r"somebody|everyone|everybody|whoever)"
)
SELF = (
    r"(?:myself|my (?:arm|arms|wrist|wrists|leg|legs|skin|thigh|thighs|stomach|face|head|hand|"
    r"hands|body|chest|hip|hips))"
)
# Wanting or meaning to do something, now or soon.
INTENT = (
    r"(?:want|wanna|wants|going|gonna|planning|plan|decided|ready|wish|intend|about|tempted|"
    r"thinking (?:about|of)|think about|feel like|will|'ll|could|should just|need|keep thinking about|"
    r"talking about|talk about|looking up|look up|researching|googling|searching for|been thinking about)"
)
DYING = (
    r"(?:die|dying|be dead|kill (?:myself|himself|herself|themselves)|killing (?:myself|himself|herself|"
    r"themselves)|end (?:my|his|her|their) li(?:fe|ves){LIFE_END}|ending (?:my|his|her|their) li(?:fe|ves){LIFE_END}|"
    r"end (?:it all|it|everything|things)|ending (?:it all|it|everything|things)|take (?:my|his|her|their) "
    r"(?:own )?li(?:fe|ves){LIFE_END}|taking (?:my|his|her|their) (?:own )?li(?:fe|ves){LIFE_END}|not wake up|never wake up|"
    r"sleep forever|go to sleep forever|hang (?:myself|himself|herself)|hanging (?:myself|himself|herself)|"
    r"jump off|jump from|jump in front of|throw myself|overdose|disappear(?:ed)? for good|ways to die|"
    r"how to (?:die|kill myself|end it)|walk(?:ing)? into the (?:sea|river|traffic)|drown myself|"
    r"step(?:ping)? in front of)"
).replace("{LIFE_END}", r"(?!\s+(?:experience|story|stories|skills|savings|history|journey|work))")

PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    SUICIDE: tuple(
        _words(p)
        for p in (
            rf"\b{INTENT}\b(?: to)?[^.;!?]{{0,20}}?\b{DYING}\b",
            rf"\b(?:think|thinking|thought|thoughts|considering|contemplating|planning|plan|attempt)"
            rf"(?: about| of)? (?:suicide|killing myself|ending (?:my life|it all|it)|taking my (?:own )?"
            rf"life|dying)\b",
            rf"\b{I}\b[^.;!?]{{0,10}}\b(?:feel(?:ing)?|am|'m|m|been|getting|so) (?:so |really |very )?"
            r"suicidal\b|\bmy suicidal (?:thoughts|feelings)\b|\bhaving suicidal (?:thoughts|feelings)\b",
            r"\b(?:don'?t|do not|no longer) want to (?:be alive|live|be here|exist|wake up|carry on|go on)\b",
            r"\b(?:better off (?:dead|without me)|(?:happier|better off|easier|better) (?:if|when) i(?:'m| am|"
            r" was| were)? (?:dead|gone))\b",
            r"\b(?:wish i (?:was|were|could be) dead|nothing (?:left )?to live for)\b",
            r"\b(?:no|don'?t see the|can'?t see the|what'?s the|there'?s no) point (?:in |of )?(?:living|"
            r"carrying on|going on|being alive|being here|me being here)\b",
            r"\b(?:life|it|my life) (?:is|isn'?t|is not|'s not) (?:not )?worth living\b",
            r"\b(?:can'?t|cannot|can not) (?:go on|carry on|keep going) (?:any ?more|like this)\b",
            r"\b(?:my )?(?:goodbye|suicide) (?:letters?|notes?)\b",
            r"\b(?:planning|plan|know|decided) (?:how|where|when) (?:i'?(?:ll|d| will| would)|to) "
            r"(?:end it|do it)\b",
            r"\b(?:take|taking) (?:all|them all|the lot)\b[^.;!?]{0,20}\b(?:tablets|pills|medication|at once)\b",
            r"\btake all (?:my|the|of my) (?:tablets|pills|medication)\b",
            r"\b(?:saving|stockpiling|collecting|hoarding|saved|stockpiled) (?:up )?(?:my |(?:my )?\w+'s )?"
            r"(?:pills|tablets|medication|meds|morphine|insulin|paracetamol|painkillers|codeine)\b",
            r"\b(?:tonight|today) is the (?:night|day)\b|\bstop existing\b|\b(?:not|cease to) exist\b",
            r"\bwhat i (?:might|could|will|would) do to myself\b|\bdon'?t trust myself\b",
            r"\b(?:my )?life (?:without \w+ )?(?:is|feels|seems) (?:pointless|meaningless|empty and pointless)\b",
            r"\bthrow myself (?:under|in front of|off|from)\b",
            r"\b(?:texted|messaged|called|rang|wrote to) (?:me |us |her |him )?(?:to say |saying )goodbye\b",
            r"\b(?:got|bought|have) (?:the|a) rope\b",
            r"\bnot (?:going to )?be (?:around|here|alive) (?:much |for )?(?:longer|long|tomorrow|next "
            r"week|next month|by|after)\b|\bwon'?t be (?:here|around|alive) (?:tomorrow|next week|much longer|"
            r"for long|anymore|any more|soon)\b",
            r"\bhow (?:many|much) (?:\w+ ){0,2}(?:pills|tablets|paracetamol|painkillers|insulin|morphine|"
            r"codeine)\b[^.;!?]{0,30}\b(?:take|need|kill|enough|fatal|lethal)\b",
            r"\bbetter off if i (?:wasn'?t|weren'?t|was not|were not) (?:here|around|alive)\b",
            r"\bi(?:'m| am|m| feel like i'?m| feel like a) (?:such |just |a |only )?(?:a )?burden\b",
            r"\b(?:nobody|no one|no-one) would (?:even )?(?:notice|care|miss me)\b",
            r"\b(?:can'?t|cannot) see a way out\b|\bwant it all to (?:stop|end)\b",
        )
    ),
    SELF_HARM: tuple(
        _words(p)
        for p in (
            rf"\b(?:cut(?:s|ting)?|burn(?:s|ed|t|ing)?|scratch(?:es|ed|ing)?|hit(?:s|ting)?|punch(?:es|ed|ing)?|"
            rf"hurt(?:s|ing)?|harm(?:s|ed|ing)?|starv(?:e|es|ed|ing)|bang(?:s|ed|ing)?|punish(?:es|ed|ing)?|"
            rf"bruis(?:e|ed|ing)|pick(?:ing)? at|pull(?:ing)? out) {SELF}\b(?! (?:shaving|cooking|chopping|"
            r"gardening|on (?:a|the)|by accident|accidentally|while|opening))",
            rf"\bmy {CLOSE}\b[^.;!?]{{0,20}}\b(?:cut(?:s|ting)?|burn(?:s|ed|ing)?|hurt(?:s|ing)?|harm(?:s|ed|ing)?|"
            r"starv(?:es|ing)|hit(?:s|ting)?) (?:himself|herself|themselves)\b",
            rf"\b{I}\b[^.;!?]{{0,25}}\b(?<!who )self[- ]?harm(?:ing|ed)?\b",
            rf"\bmy {CLOSE} (?:is|has been|'s|keeps|started) (?:self[- ]?harm(?:ing)?|cutting)\b",
            r"\b(?:i'?m|i am|i'?ve been|i keep|started) cutting\b",
            r"\b(?:bit|bite|biting) (?:my|his|her) (?:arm|arms|hand|hands|lip)\b[^.;!?]{0,20}\buntil\b",
            r"\b(?:punch(?:ed)?|hit|bang(?:ed)?)\b[^.;!?]{0,20}\b(?:wall|head)\b[^.;!?]{0,30}"
            r"\b(?:until|till|deserved|on purpose)\b",
            r"\buntil (?:it|they|my \w+) (?:bleeds?|bled|broke)\b",
            r"\bon purpose\b[^.;!?]{0,20}\b(?:so i|to)\b|\bstarving myself\b",
            r"\burge to (?:hurt|cut|harm|burn) myself\b",
            r"\bto make myself (?:hurt|bleed|suffer|pay)\b",
            r"\bpull(?:ing|ed)? (?:my|her|his|their) hair out\b(?=[^.;!?]{0,30}\b(?:until|bald|bleed))",
        )
    ),
    HARM_OTHERS: tuple(
        _words(p)
        for p in (
            rf"\b{I}\b[^.;!?]{{0,30}}\b(?:kill|stab|hurt|beat|strangle|shoot|smother|attack|batter|"
            rf"poison(?:ing)?|harm|punch|kick|slap|shake|throttle|knife|murder|run (?:him|her|them) over|"
            rf"find (?:him|her|them) and hurt)\b(?: up)? (?:\w+ )?(?!myself){PERSON}\b",
            r"\b(?:bring|brought|carry|carrying|take|taking|got|have|bought) a (?:knife|gun|blade|weapon)\b",
            r"\buse it on (?:him|her|them)\b",
            rf"\b(?:thoughts?|thinking|thought|fantasi[sz]ing|urges?|images|pictures|visions) (?:about|of) (?:hurting|killing|harming|"
            rf"stabbing|strangling|smothering|shaking|attacking|poisoning) {PERSON}\b",
            rf"\b{I}\b[^.;!?]{{0,30}}\b(?:run (?:him|her|them|\w+) over|smash (?:(?:the |that )?\w+'s |his |her |their )?face "
            r"in|knock (?:\w+'s |his |her |their )?(?:head|teeth) (?:off|in|out))\b",
            r"\b(?:burn down|set fire to|torch)\b (?:the|their|his|her|that)\b",
            r"\b(?:beat|batter) (?:him|her|them) (?:up|so)\b",
            r"\b(?:he|she|they)'?(?:ll| will) pay for this\b|\bi know where (?:he|she|they) lives?\b",
        )
    ),
    ABUSE: tuple(
        _words(p)
        for p in (
            rf"\b(?:hits?|beats?|kicks?|slaps?|punch(?:es)?|chokes?|burns?|pushed|shoves?|throws?|bites?|"
            rf"strangles?|hurts?|pinch(?:es)?|scratches) (?:me|us|my (?:\w+ )?{CLOSE}|him|her|them)\b",
            r"\bcalls? (?:me|her|him|them) names\b",
            r"\bhear (?:him|her|them) (?:hitting|beating|hurting|attacking|slapping)\b",
            r"\btaking (?:money|cash) (?:out )?(?:from|of) (?:her|his|my|their) (?:account|purse|wallet|bank)\b",
            r"\b(?:1[0-7]|[5-9]|eleven|twelve|thirteen|fourteen|fifteen)[- ]year[- ]old\b[^.;!?]{0,40}"
            r"\b(?:[2-9]\d|twenty|thirty|forty)[- ]?(?:\w+[- ])?year[- ]old (?:man|woman|bloke|guy|adult)\b",
            rf"\b(?:i'?m|i am|i'?ve been|i have been|my (?:\w+ )?{CLOSE}(?: is| are| has been|'s)|"
            r"(?:the|those|these) (?:\w+ )?(?:children|kids|child|boy|girl|baby|toddler|twins|man|woman|"
            r"lady|gentleman|residents?)(?: next door)? (?:is|are|has been|have been)|(?:he|she|they) "
            r"(?:is|are|'s|'re)) (?:being |getting )?(?:\w+ and )?(?:beaten|hit|abused|hurt|starved|slapped|"
            r"kicked|bullied|neglected|assaulted|raped|groomed|exploited|locked in|beaten up)\b",
            r"\b(?:touches|touched|touching) me\b|\bour (?:little )?secret\b",
            r"\b(?:says|said|told me|tells me) (?:not to|to never|never to) tell (?:anyone|anybody|my|mum|dad)\b",
            rf"\b(?:keeps?|is|has been|keep) (?:hitting|beating|kicking|slapping|punching|hurting|choking|"
            rf"pushing|starving) (?:me|us|my (?:\w+ )?{CLOSE}|him|her|them)\b",
            rf"\b(?:steals?|stealing|stole) from (?:me|us|my (?:\w+ )?{CLOSE}|him|her|them)\b",
            rf"\bshouts? at (?:me|us|my (?:\w+ )?{CLOSE}|him|her|them) (?:every|all|and)\b",
            r"\b(?:won'?t|doesn'?t|does not|will not|never) let (?:me|her|him) (?:see|go|leave|talk|have|out|"
            r"eat|sleep|drink|use the toilet|phone|call)\b",
            r"\btakes? (?:all )?(?:my|her|his|their|my \w+'s|my \w+ \w+'s) (?:money|pension|benefits|bank "
            r"card|cards|savings|phone)\b",
            r"\bleft (?:alone|on (?:his|her|their) own)\b(?=[^.;!?]{0,30}\b(?:for (?:days|hours|nights|the "
            r"weekend)|every (?:night|day|evening)|all (?:night|day)|while|overnight)\b)|"
            r"\bwithout (?:(?:her|his|their|my) )?(?:food|water|heating|tablets|medication|medicine)\b",
            r"\bleft in (?:her|his|their|my) (?:chair|bed|room)\b[^.;!?]{0,20}\ball (?:night|day)\b",
            r"\b(?:nobody|no one|no-one) (?:feeds|washes|changes|checks on|helps|turns)\b|\bnot (?:being )?fed\b",
            r"\bsoiled (?:sheets|clothes|pads|bedding)\b",
            r"\blocks? (?:\w+ ){0,2}out (?:in the cold|all night|at night|of the house|overnight)\b",
            r"\b(?:locks?|locked|tie|ties|tied) (?:\w+ ){0,3}(?:in (?:her|his|their|my) room|to the "
            r"(?:chair|bed))\b",
            r"\b(?:forced|forcing|made) (?:me |her |him )?(?:to )?(?:have sex|sex)\b|\bbeing forced\b",
            r"\bthreat(?:ens?|ening|ened) to (?:hurt|kill|hit|take|beat)\b",
            r"\bscared to go home\b",
        )
    ),
    EMERGENCY: tuple(
        _words(p)
        for p in (
            r"\b(?:my )?chest (?:hurts|is hurting|pain|feels crushed)\b(?=[^.;!?]{0,40}\b(?:arm|jaw|back|"
            r"numb|sweat|sick|breath|now|spreading)\b)",
            r"\b(?:crushing|terrible|severe) (?:chest )?pain\b(?=[^.;!?]{0,30}\b(?:chest|arm|jaw|spreading)\b)|"
            r"\bpain in my chest (?:right )?now\b",
            r"\b(?:i|he|she|they|my \w+) (?:can'?t|cannot|can barely|can hardly|is struggling to|"
            r"isn'?t|is not) (?:properly )?breath(?:e|ing)\b(?! a word)",
            r"\b(?:stopped|is not|isn'?t|not) breathing\b|\bbreathing (?:strangely|oddly|funny)\b",
            r"\bclutching (?:his|her|my|their) chest\b|\b(?:can'?t|cannot) (?:get|catch) (?:his|her|my|their) "
            r"breath\b",
            r"\b(?:has |have )?(?:drunk|drank|swallowed|eaten|ate) (?:some |a lot of |the )?(?:bleach|poison|"
            r"cleaning|washing|dishwasher|battery|batteries|weedkiller|antifreeze)\b",
            r"\b(?:a lot of|lots of|so much) blood\b|\b(?:hit|banged|cut) (?:her|his|my|their) head\b[^.;!?]{0,40}"
            r"\b(?:confused|drowsy|won'?t wake|vomiting|being sick)\b",
            r"\binhaler (?:isn'?t|is not|isnt) (?:working|helping)\b",
            r"\bpain (?:is )?(?:going|spreading|moving|shooting) (?:down|into|to|up) (?:my|his|her|their) "
            r"(?:left |right )?(?:arm|jaw|neck|back)\b",
            r"\b(?:grey|gray|clammy) and (?:sweating|sweaty|clammy)\b|\bfainted\b[^.;!?]{0,30}\b(?:grey|won'?t|"
            r"not breathing|sweating)\b",
            r"\bmy (?:\w+ )?(?:son|daughter|child|baby|toddler|kid|boy|girl|grandson|granddaughter) (?:has )?"
            r"(?:ate|eaten|swallowed|taken|took|got into|drunk|drank)\b[^.;!?]{0,30}\b(?:tablets|pills|"
            r"medicine|medication|bleach|batteries|battery)\b",
            r"\bsuddenly\b[^.;!?]{0,30}\b(?:can'?t see|can'?t speak|can'?t move|lost (?:his|her|my) (?:sight|"
            r"vision)|collapsed|confused)\b",
            r"\brash (?:that )?(?:doesn'?t|does not|won'?t|didn'?t) fade\b",
            r"\b(?:took|taken|swallowed) (?:\d+|a dozen|twenty|thirty|forty|fifty|loads of|all (?:my|the)) "
            r"(?:of )?(?:my )?(?:pills|tablets|paracetamol|co-codamol|codeine|ibuprofen|sleeping tablets|"
            r"antidepressants|painkillers)\b",
            r"\b(?:vomiting|coughing up|throwing up|being sick with) blood\b",
            r"\b(?:lips|face|skin) (?:are|is) (?:going|turning) (?:blue|grey)\b",
            r"\b(?:my|his|her|\w+'s) face (?:has |is )?(?:dropped|drooping|drooped|droops)\b",
            r"\b(?:can'?t|cannot) (?:lift|move|raise) (?:her|his|my|their) (?:arm|arms|leg)\b|"
            r"\b(?:speech is|words are) slurred\b|\bslurring (?:his|her|my|their) words\b",
            r"\b(?:i'?ve|i have|he'?s|she'?s|he has|she has) (?:just )?(?:taken|had) an overdose\b",
            r"\bswallowed (?:a (?:bottle|packet|box|load)|all|loads|a handful) of\b",
            r"\b(?:won'?t|will not|isn'?t|is not|not) (?:wake up|waking up|respond(?:ing)?)\b",
            r"\bbleeding (?:heavily|badly|a lot)\b|\bwon'?t stop bleeding\b",
            r"\b(?:is|are|'s|baby is) (?:floppy|unresponsive|unconscious)\b",
            r"\b(?:i'?m|i am|i think i'?m|he'?s|she'?s|is) having (?:a|an) (?:\w+ )?(?:stroke|heart attack|"
            r"seizure|fit|asthma attack|allergic reaction)\b",
            r"\b(?:throat|tongue|lips) (?:is |are )?swelling\b",
        )
    ),
}

# Everyday phrases that use the same words; blanked out before any pattern is tried.
IDIOMS = _words(
    r"\b(?:killing me|kill for|killed it|kill (?:two birds|off|time|the messenger|the bureaucracy)|"
    r"dying (?:to|for)|to die for|(?:bored|scared|frightened|worried|done) to death|died laughing|"
    r"(?:rather|sooner) die than|over my dead body|shoot (?:me )?(?:an? |the )?(?:email|e-mail|message|"
    r"line|text|messenger)|murder (?:a|for)|is murder|death by \w+|slow death|dead against|dead on|"
    r"blood ?bath|car crash|war ?zone|drowning in|breathe a word|hardly breathe|beat the \w+ out of|"
    r"hit (?:the|our|a) (?:wall|target|nerve|ground)|end of my tether|(?:the )?death of me|died of "
    r"(?:boredom|embarrassment|shame)|dying of (?:embarrassment|boredom|shame)|kill (?:ourselves|"
    r"themselves) to)\b"
)
PAST = _words(
    r"\b(?:years? ago|decades? ago|months ago|long time ago|when i was|as a (?:child|teenager|kid|student|"
    r"young \w+)|used to|back then|in (?:19|20)\d\d|in my (?:teens|twenties|thirties|youth)|"
    r"was born|were born|at (?:sixteen|seventeen|eighteen|nineteen|twenty|\d\d)\b)"
)
# "My GP asked whether I ever had thoughts of harming myself": someone's question, not a disclosure.
ASKED = _words(r"\b(?:asked|asks|ask|asking) (?:me |us |them )?(?:whether|if)\b")
RECENT = _words(
    r"\b(?:again|now|right now|tonight|today|this (?:morning|evening|week|weekend)|last night|"
    r"yesterday|just|currently|still|anymore|any more|keep|every (?:day|night))\b"
)
FICTION = _words(r"\b(?:film|movie|play|novel|book|character|series|drama|episode|scene|story)\b")
NEGATION = _words(rf"\b(?:{NOT}|no longer|nobody would)\b[^.;!?,]{{0,18}}$")
CLAUSE_END = re.compile(r"[.!?;:\n]+|,\s+(?:but|and|so)\s+|\s+but\s+")


def _clauses(text: str) -> list[tuple[int, str]]:
    """Split text into clauses, each with where it starts (sentences, and ", but" / "; " joins)."""
    found, start = [], 0
    for end in CLAUSE_END.finditer(text):
        if end.start() > start:
            found.append((start, text[start : end.start()]))
        start = end.end()
    if start < len(text):
        found.append((start, text[start:]))
    return found


def _blank_idioms(clause: str) -> str:
    return IDIOMS.sub(lambda m: " " * len(m.group(0)), clause)


def _is_past(clause: str) -> bool:
    return bool(PAST.search(clause)) and not RECENT.search(clause)


def _negated(clause: str, start: int) -> bool:
    return bool(NEGATION.search(clause[max(0, start - 24) : start]))


def risk_signals(text: str) -> list[RiskSignal]:
    """Return every sign of risk in ``text`` (at most one per signal and clause), in reading order."""
    plain = text.replace("’", "'").replace("‘", "'")  # the same length: offsets stay true
    found: list[RiskSignal] = []
    for offset, clause in _clauses(plain):
        if FICTION.search(clause) or ASKED.search(clause) or _is_past(clause):
            continue
        readable = _blank_idioms(clause)
        for signal, patterns in PATTERNS.items():
            for pattern in patterns:
                match = next(
                    (m for m in pattern.finditer(readable) if not _negated(readable, m.start())), None
                )
                if match is not None:
                    start, end = offset + match.start(), offset + match.end()
                    found.append(RiskSignal(signal, text[start:end].strip(), start, end))
                    break
    return sorted(found, key=lambda s: (s.start, SIGNALS.index(s.signal)))


def signals_in(text: str) -> set[str]:
    """The signals ``text`` raises (for tests and the queue's filter)."""
    return {found.signal for found in risk_signals(text)}
