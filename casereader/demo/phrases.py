"""Phrase banks for the demo records: roles and events only, never a name or an identifier."""

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

SLOTS: dict[str, tuple[str, ...]] = {
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

OBSERVATION = (
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
PLANNING = (
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
MANAGEMENT = (
    "Case file audit by the team manager. The chronology is up to date and multi-agency.",
    "Supervision discussion: the worker's analysis of cumulative harm was reviewed and agreed.",
    "The team manager noted that the child's plan is not yet SMART and asked for dates.",
    "Management oversight: decision to continue on the plan was agreed and recorded.",
    "The senior social worker countersigned the assessment after discussion of {concern}.",
    "The audit found that the child had not been seen alone at the last two visits.",
    "Actions from supervision: update the risk assessment and invite health to the core group.",
)
SCHOOL = (
    "Attendance this term: {pct}%. Late arrivals have reduced since the breakfast club started.",
    "The child is making good progress in reading and is working at the expected level.",
    "The child finds it hard to settle after weekends and is supported by the nurture group.",
    "The pastoral care teacher meets the child weekly; the child said that {view}.",
    "The child is {wellbeing} in class and has been respectful towards peers.",
    "Support for learning: the child has an individualised plan for numeracy.",
    "The school has shared concerns about {concern} with the named person service.",
)
HEALTH = (
    "Growth and development checked; weight is tracking along the expected centile.",
    "Immunisations are up to date following catch-up at the clinic.",
    "The health visitor discussed safe sleeping and home safety with {carer}.",
    "The child was not brought to the dental appointment; a further appointment was offered.",
    "Speech and language therapy referral made; waiting time is about twelve weeks.",
    "{Carer} reported low mood; advised to see the GP and given the helpline number.",
    "The school nurse completed a wellbeing check; the child said that {view}.",
)
POLICE = (
    "Police attended the address at {time} following a call about a disturbance.",
    "On arrival officers spoke with {carer}; the child was in the living room and appeared "
    "{state}.",
    "A Vulnerable Persons Database concern report was created and shared with social work.",
    "Officers noted concern about {concern}; the child was spoken to away from the adults.",
    "No offences were disclosed; the information is shared for awareness.",
    "The duty inspector reviewed the report and agreed it should go to an inter-agency "
    "referral discussion.",
)
SCRA = (
    "The Reporter has considered the information received from social work and police.",
    "Decision: refer the child to a children's hearing on the ground of {concern}.",
    "The children's hearing made a compulsory supervision order with the child living at home.",
    "Measures: the child is to reside at home and to cooperate with the social worker.",
    "The hearing continued the order and set a review in twelve months.",
    "The Reporter decided that compulsory measures are not necessary at this time.",
    "The child's views were given to the hearing by their advocacy worker.",
)


PRESENT = (
    "Team manager (chair); social worker; health visitor; depute head teacher; police "
    "constable; mother; minute taker.",
    "Senior social worker (chair); social worker; school nurse; pastoral care teacher; family "
    "support worker; both parents. The child's views were given by their advocacy worker.",
    "Social worker (lead professional); health visitor; nursery teacher; grandmother "
    "(kinship carer). Apologies: police.",
)
DECISION = (
    "Decision: {decision}. Rationale: the information shared shows {concern} and the child "
    "has been seen. The decision was agreed by police, health and social work.",
    "Decision: {decision}. The child was not seen today; to be seen within 24 hours.",
    "The child's name was placed on the child protection register; area of concern: "
    "{register}. A child protection plan was agreed.",
    "Registration was not required; the child's needs will be met through the child's plan.",
)
SECTION_BANK = {
    "Present (by role)": PRESENT,
    "Decision and rationale": DECISION,
    "Registration decision": DECISION,
}
MENTIONS = (
    "The child talked about the {word} and was keen to show it.",
    "The child brought their {word} to the visit and chatted about it.",
    "The child said the best part of the week was the {word}.",
)
