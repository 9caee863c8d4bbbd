"""Fictional record text for the demo inspection: pseudonymous, roles only, never real people."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import count, islice

# A block: ("h", heading) | ("p", paragraph) | ("e", "dd/mm/yyyy", source, entry) in chronologies.
Block = tuple[str, ...]

WELLBEING = (
    "safe",
    "healthy",
    "achieving",
    "nurtured",
    "active",
    "respected",
    "responsible",
    "included",
)

# Rare words, a few per case, so a search has something distinctive to find.
DISTINCTIVE_WORDS = (
    "trampoline", "harmonica", "allotment", "budgerigar", "skateboard", "pottery", "kayaking",
    "tortoise", "bagpipes", "origami", "hedgehog", "snooker", "lighthouse", "trombone", "puffin",
    "velodrome", "marmalade", "planetarium", "juggling", "ukulele", "dinosaur", "beekeeping",
    "curling", "sketchbook", "telescope", "ferret", "dominoes", "scooter", "ceilidh", "rockpool",
    "gymnastics", "aquarium", "crochet", "bouldering", "falconry", "tambourine", "caravan",
    "sandcastle", "paddleboard", "kaleidoscope", "accordion", "stargazing", "chess", "hamster",
    "parkour", "bobsleigh", "lantern", "orienteering", "windsurfing", "xylophone", "zookeeper",
    "quadbike", "wrestling", "marionette", "cartography", "birdwatching", "fiddle", "shinty",
    "robotics", "baking", "lochside", "geocaching", "embroidery", "archery", "drumkit", "pinball",
    "snorkel", "beatboxing", "glockenspiel", "trainspotting", "unicycle", "meerkat", "tadpoles",
    "conkers", "kite", "rollerskates", "fossils", "pantomime", "scrapbook", "magic tricks",
)  # fmt: skip

_SLOTS: dict[str, tuple[str, ...]] = {
    "worker": (
        "social worker", "senior social worker", "team manager", "family support worker",
        "health visitor", "school nurse", "pastoral care teacher", "depute head teacher",
        "police constable", "lead professional", "support for learning teacher",
    ),
    "carer": (
        "mother", "father", "mother's partner", "grandmother", "grandfather", "aunt",
        "kinship carer", "father's partner",
    ),
    "place": (
        "at home", "at school", "at the family centre", "in the car on the way to contact",
        "at nursery", "at the social work office", "at grandmother's house", "in the park",
    ),
    "state": (
        "relaxed and chatty", "tired but settled", "quiet and withdrawn",
        "clean and appropriately dressed", "hungry and asked for a snack",
        "happy to show their bedroom", "anxious at first",
        "well cared for", "unkempt, with the same clothes as the last visit",
    ),
    "concern": (
        "domestic abuse", "parental alcohol use", "parental drug use", "neglect",
        "poor school attendance", "missed health appointments", "parental mental health",
        "an unexplained bruise", "the child going missing overnight", "online exploitation",
        "unsafe sleeping arrangements", "a new adult in the household", "rent arrears",
    ),
    "support": (
        "a parenting programme", "the family centre", "a weekly family support visit",
        "counselling through the school", "a referral to the child and adolescent mental health "
        "service", "the drug and alcohol service", "a nurture group", "a youth work group",
        "independent advocacy", "a Scottish Welfare Fund application", "the food bank",
        "a bedtime routine plan", "speech and language therapy",
    ),
    "wellbeing": WELLBEING,
    "register": (
        "neglect", "domestic abuse", "parental substance use", "emotional abuse",
        "physical abuse", "parental mental health",
    ),
    "view": (
        "they liked living at home but wanted the shouting to stop",
        "they wanted to see their dad more often",
        "they felt safe when their gran was there",
        "school was going better and they had a new friend",
        "they did not want to talk about it today",
        "they worry about their mum when they are at school",
        "they wanted their worker to stay the same",
        "they liked going to the club on Thursdays",
        "they did not like it when the police came to the house",
    ),
    "carer_view": (
        "things were calmer at home since the last review",
        "they felt judged by professionals",
        "they wanted help with money and the housing",
        "they accepted the concerns and wanted to work with the plan",
        "they did not agree that the child was at risk",
        "they found the core group helpful",
        "they were finding the mornings hard",
    ),
    "decision": (
        "no further action by police; social work to continue assessment",
        "joint investigative interview not required; child to be seen by social work today",
        "child protection planning meeting to be convened",
        "single-agency response by health; no child protection investigation",
        "referral to the Children's Reporter",
        "immediate safety plan agreed with the non-abusing parent",
        "paediatric medical examination arranged for tomorrow morning",
    ),
    "outcome": (
        "school attendance has risen from 71% to 88%",
        "all health appointments have been kept this quarter",
        "there have been no further police calls to the address",
        "the child has been registered with a dentist",
        "the child has joined an after-school club",
        "the home conditions have improved and are now good enough",
        "progress has stalled and the concerns remain",
    ),
}  # fmt: skip

_OBSERVATION = (
    "Visit {place}. The child was seen alone and appeared {state}.",
    "The {worker} saw the child {place}; the child appeared {state}.",
    "{Carer} was present and said that {carer_view}.",
    "The child said that {view}.",
    "Discussed {concern} with {carer}, who agreed to continue with {support}.",
    "The {worker} noted that the child was {wellbeing} and {wellbeing} during the visit.",
    "Concern about {concern} was shared with the {worker} on the same day.",
    "Home conditions were checked; the kitchen had food and the child's bed had clean bedding.",
    "The child showed the {worker} their drawings and talked about their favourite programme.",
    "The {worker} explained the purpose of the visit in words the child could understand.",
    "{Carer} did not answer the door; a calling card was left and a further visit arranged.",
    "The child's views were recorded in their own words in the 'all about me' booklet.",
)
_PLANNING = (
    "Outcome sought: the child is {wellbeing} and {wellbeing} at home.",
    "Action: the {worker} to arrange {support} within four weeks.",
    "Action: {carer} to attend {support} every week; the {worker} will check attendance.",
    "Risk: {concern}. Protective factor: {carer} who is committed to the plan.",
    "Contingency: if {concern} recurs, an inter-agency referral discussion will be held.",
    "Review: the plan will be reviewed at the core group in six weeks.",
    "The lead professional will coordinate the plan and share it with all agencies.",
    "Progress: {outcome}.",
    "The child's plan uses the wellbeing indicators; the child is not yet {wellbeing}.",
    "The {worker} will complete a chronology update before the next review.",
)
_MANAGEMENT = (
    "Case file audit by the team manager. The chronology is up to date and multi-agency.",
    "Supervision discussion: the worker's analysis of cumulative harm was reviewed and agreed.",
    "The team manager noted that the child's plan is not yet SMART and asked for dates.",
    "Management oversight: decision to continue on the plan was agreed and recorded.",
    "The senior social worker countersigned the assessment after discussion of {concern}.",
    "The audit found that the child had not been seen alone at the last two visits.",
    "Actions from supervision: update the risk assessment and invite health to the core group.",
)
_SCHOOL = (
    "Attendance this term: {pct}%. Late arrivals have reduced since the breakfast club started.",
    "The child is making good progress in reading and is working at the expected level.",
    "The child finds it hard to settle after weekends and is supported by the nurture group.",
    "The pastoral care teacher meets the child weekly; the child said that {view}.",
    "The child is {wellbeing} in class and has been respectful towards peers.",
    "Support for learning: the child has an individualised plan for numeracy.",
    "The school has shared concerns about {concern} with the named person service.",
)
_HEALTH = (
    "Growth and development checked; weight is tracking along the expected centile.",
    "Immunisations are up to date following catch-up at the clinic.",
    "The health visitor discussed safe sleeping and home safety with {carer}.",
    "The child was not brought to the dental appointment; a further appointment was offered.",
    "Speech and language therapy referral made; waiting time is about twelve weeks.",
    "{Carer} reported low mood; advised to see the GP and given the helpline number.",
    "The school nurse completed a wellbeing check; the child said that {view}.",
)
_POLICE = (
    "Police attended the address at {time} following a call about a disturbance.",
    "On arrival officers spoke with {carer}; the child was in the living room and appeared "
    "{state}.",
    "A Vulnerable Persons Database concern report was created and shared with social work.",
    "Officers noted concern about {concern}; the child was spoken to away from the adults.",
    "No offences were disclosed; the information is shared for awareness.",
    "The duty inspector reviewed the report and agreed it should go to an inter-agency "
    "referral discussion.",
)
_SCRA = (
    "The Reporter has considered the information received from social work and police.",
    "Decision: refer the child to a children's hearing on the ground of {concern}.",
    "The children's hearing made a compulsory supervision order with the child living at home.",
    "Measures: the child is to reside at home and to cooperate with the social worker.",
    "The hearing continued the order and set a review in twelve months.",
    "The Reporter decided that compulsory measures are not necessary at this time.",
    "The child's views were given to the hearing by their advocacy worker.",
)


_PRESENT = (
    "Team manager (chair); social worker; health visitor; depute head teacher; police "
    "constable; mother; minute taker.",
    "Senior social worker (chair); social worker; school nurse; pastoral care teacher; family "
    "support worker; both parents. The child's views were given by their advocacy worker.",
    "Social worker (lead professional); health visitor; nursery teacher; grandmother "
    "(kinship carer). Apologies: police.",
)
_DECISION = (
    "Decision: {decision}. Rationale: the information shared shows {concern} and the child "
    "has been seen. The decision was agreed by police, health and social work.",
    "Decision: {decision}. The child was not seen today; to be seen within 24 hours.",
    "The child's name was placed on the child protection register; area of concern: "
    "{register}. A child protection plan was agreed.",
    "Registration was not required; the child's needs will be met through the child's plan.",
)
_SECTION_BANK = {
    "Present (by role)": _PRESENT,
    "Decision and rationale": _DECISION,
    "Registration decision": _DECISION,
}
_MENTIONS = (
    "The child talked about the {word} and was keen to show it.",
    "The child brought their {word} to the visit and chatted about it.",
    "The child said the best part of the week was the {word}.",
)


class _Slots(dict):
    """Fills each {slot} in a template with a fresh random choice."""

    def __init__(self, rng: random.Random):
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> str:
        if key == "Carer":
            return self.rng.choice(_SLOTS["carer"]).capitalize()
        if key == "pct":
            return str(self.rng.randint(62, 98))
        if key == "time":
            return f"{self.rng.randint(0, 23):02d}:{self.rng.choice(('05', '20', '40', '55'))}"
        return self.rng.choice(_SLOTS[key])


def _sentence(rng: random.Random, bank: tuple[str, ...]) -> str:
    return rng.choice(bank).format_map(_Slots(rng))


def _paragraph(rng: random.Random, banks: tuple[tuple[str, ...], ...], words: tuple[str, ...]):
    templates: list[str] = []
    for _ in range(rng.randint(2, 5)):
        template = rng.choice(rng.choice(banks))
        if template not in templates:
            templates.append(template)
    sentences = [template.format_map(_Slots(rng)) for template in templates]
    if words and rng.random() < 0.12:
        mention = rng.choice(_MENTIONS).format(word=rng.choice(words))
        sentences.insert(rng.randrange(len(sentences) + 1), mention)
    return " ".join(sentences)


def uk_date(day: date) -> str:
    """14 March 2024, as Scottish records write it."""
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class CaseContext:
    """What the text of one case's records depends on (never a name)."""

    case_ref: str
    age_band: str
    legal_status: str
    start: date
    end: date
    words: tuple[str, ...]


@dataclass(frozen=True)
class Kind:
    """A type of record an agency keeps: title, typical length in pages, what it says."""

    title: str
    pages: tuple[int, int]
    banks: tuple[tuple[str, ...], ...]
    headings: tuple[str, ...]
    chronology: bool = False
    ages: tuple[str, ...] = ()  # age bands the record fits; empty for any age


_KINDS: dict[str, tuple[Kind, ...]] = {
    "Social work": (
        Kind("Chronology", (3, 8), (_OBSERVATION,), (), chronology=True),
        Kind("Child's plan", (3, 7), (_PLANNING,), ("Why this plan", "What needs to change",
             "Actions", "Contingency plan", "Child's views", "Parents' views")),
        Kind("Child's plan review", (2, 5), (_PLANNING, _OBSERVATION), ("Attendance",
             "Progress since last review", "Views", "Decisions")),
        Kind("Assessment of risks and needs", (4, 8), (_OBSERVATION, _PLANNING), (
             "Reason for assessment", "My world: how I grow and develop",
             "My world: what I need from the people who look after me",
             "My world: my wider world", "Analysis of risk and cumulative harm", "Conclusion")),
        Kind("Case notes", (2, 6), (_OBSERVATION,), ("Contact record",)),
        Kind("IRD minute", (2, 4), (_OBSERVATION, _POLICE), ("Present (by role)", "Concern",
             "Information shared", "Decision and rationale", "Actions")),
        Kind("CPPM minute", (3, 6), (_PLANNING, _OBSERVATION), ("Present (by role)",
             "Reports received", "Risks", "Registration decision", "Child protection plan")),
        Kind("Core group minute", (2, 4), (_PLANNING, _OBSERVATION), ("Present (by role)",
             "Progress against the plan", "Next steps")),
        Kind("Case file audit", (2, 3), (_MANAGEMENT,), ("Audit", "Supervisor's comments",
             "Actions")),
        Kind("Report to the Children's Reporter", (3, 7), (_OBSERVATION, _PLANNING), (
             "Background", "Current concerns", "Assessment", "Recommendation")),
    ),
    "Health": (
        Kind("Health visitor notes", (2, 6), (_HEALTH, _OBSERVATION), ("Contact",),
             ages=("0-4",)),
        Kind("School nurse contact", (2, 3), (_HEALTH,), ("Contact", "Plan"),
             ages=("5-11", "12-15", "16-17")),
        Kind("Paediatric assessment", (2, 5), (_HEALTH,), ("Reason for referral", "Findings",
             "Opinion", "Recommendations")),
        Kind("Health chronology", (2, 6), (_HEALTH,), (), chronology=True),
    ),
    "Education": (
        Kind("Nursery progress report", (2, 3), (_SCHOOL,), ("Learning through play",
             "Health and wellbeing", "Next steps"), ages=("0-4",)),
        Kind("School report", (2, 4), (_SCHOOL,), ("Literacy", "Numeracy",
             "Health and wellbeing", "Next steps"), ages=("5-11", "12-15", "16-17")),
        Kind("Attendance and wellbeing summary", (2, 3), (_SCHOOL,), ("Attendance",
             "Wellbeing")),
        Kind("Pastoral notes", (2, 5), (_SCHOOL, _OBSERVATION), ("Pastoral contact",),
             ages=("5-11", "12-15", "16-17")),
        Kind("Additional support plan", (2, 5), (_SCHOOL, _PLANNING), ("Strengths",
             "Barriers to learning", "Targets", "Review")),
    ),
    "Police": (
        Kind("Concern report (VPD)", (2, 3), (_POLICE,), ("Circumstances", "Assessment",
             "Information shared")),
        Kind("Police IRD record", (2, 4), (_POLICE, _OBSERVATION), ("Concern",
             "Police checks", "Decision and rationale")),
    ),
    "SCRA": (
        Kind("Reporter decision", (1, 2), (_SCRA,), ("Decision",)),
        Kind("Statement of grounds", (2, 3), (_SCRA,), ("Section 67 grounds",
             "Supporting facts")),
        Kind("Children's hearing decision", (2, 4), (_SCRA, _PLANNING), ("Decision",
             "Reasons", "Measures")),
    ),
    "Third sector": (
        Kind("Family support worker report", (2, 5), (_OBSERVATION, _PLANNING), ("Work done",
             "Progress", "Child's views")),
        Kind("Advocacy report", (2, 3), (_OBSERVATION,), ("What the child wants people to know",)),
    ),
    "Other": (
        Kind("Housing support note", (2, 3), (_OBSERVATION,), ("Tenancy", "Support")),
    ),
}  # fmt: skip

# How often each agency's records turn up in a case file (social work holds most).
AGENCY_WEIGHTS = {
    "Social work": 44,
    "Health": 18,
    "Education": 15,
    "Police": 10,
    "SCRA": 7,
    "Third sector": 4,
    "Other": 2,
}


def pick_kind(rng: random.Random, agency: str, age_band: str) -> Kind:
    """A record type this agency keeps for a child of this age."""
    return rng.choice([kind for kind in _KINDS[agency] if not kind.ages or age_band in kind.ages])


def author_role(agency: str) -> str:
    """The job title that signs a record from this agency (staff by job title only)."""
    return {
        "Social work": "Social worker, Children and Families",
        "Health": "Health visitor / school nurse, NHS board",
        "Education": "Depute head teacher",
        "Police": "Police constable, Police Scotland",
        "SCRA": "Children's Reporter",
        "Third sector": "Family support worker",
        "Other": "Housing support officer",
    }[agency]


def header_lines(ctx: CaseContext, agency: str, kind: Kind, day: date) -> list[str]:
    """The block every record opens with: reference, agency, date, author by role."""
    return [
        f"Inspection case reference: {ctx.case_ref}",
        f"Agency: {agency}    Record: {kind.title}",
        f"Date: {uk_date(day)}    Recorded by: {author_role(agency)}",
        f"Legal status: {ctx.legal_status}    Age band: {ctx.age_band}",
    ]


def blocks(
    rng: random.Random, ctx: CaseContext, kind: Kind, day: date, mention: str | None = None
) -> Iterator[Block]:
    """An endless stream of this record's text; the writer takes as much as fits its pages."""
    opening = f"The child talked about the {mention} and was keen to show it. " if mention else ""
    if kind.chronology:
        yield from _chronology(rng, ctx, day, opening)
        return
    logged = day - timedelta(days=120)
    for section in count():
        heading = kind.headings[section] if section < len(kind.headings) else ""
        if len(kind.headings) == 1:
            # Contact logs: one dated entry after another, up to the record's date.
            logged = min(logged + timedelta(days=rng.randint(1, 5)), day)
            heading = f"{kind.headings[0]}, {uk_date(logged)}"
        elif section == len(kind.headings):
            heading = "Further information"
        if heading:
            yield ("h", heading)
        if heading in _SECTION_BANK:
            yield ("p", _sentence(rng, _SECTION_BANK[heading]))
        for _ in range(rng.randint(1, 3)):
            yield ("p", opening + _paragraph(rng, kind.banks, ctx.words))
            opening = ""


def _chronology(rng: random.Random, ctx: CaseContext, day: date, opening: str) -> Iterator[Block]:
    """Entries in date order up to the record's own date, then the stream ends."""
    yield ("h", "Significant events (multi-agency)")
    step = max((day - ctx.start).days // 60, 2)
    when = ctx.start
    sources = tuple(AGENCY_WEIGHTS)[:5]
    while when <= day:
        source = rng.choice(sources)
        bank = {"Health": _HEALTH, "Education": _SCHOOL, "Police": _POLICE, "SCRA": _SCRA}.get(
            source, _OBSERVATION
        )
        yield ("e", f"{when:%d/%m/%Y}", source, opening + _paragraph(rng, (bank,), ctx.words))
        opening = ""
        when += timedelta(days=rng.randint(1, step))


def plain_text(
    ctx: CaseContext, agency: str, kind: Kind, day: date, stream, block_count: int
) -> str:
    """The record as plain text: header, then `block_count` blocks."""
    lines = [kind.title.upper(), *header_lines(ctx, agency, kind, day), ""]
    for block in islice(stream, block_count):
        if block[0] == "h":
            lines += ["", block[1], "-" * len(block[1])]
        elif block[0] == "e":
            lines += [f"{block[1]}  [{block[2]}]  {block[3]}"]
        else:
            lines += [block[1], ""]
    return "\n".join(lines) + "\n"
