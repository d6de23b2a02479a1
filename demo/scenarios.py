"""Plain-language map content for the synthetic families, written as a parent could read it.

Each scenario is one kind of family story: what has happened, the danger statements with their
safety goals, and entries for the other categories. The generator picks from these lists map by
map: early entries first, more existing safety as things improve, a setback when scores dip.

Placeholders are filled with the family's invented names:
  {child}            the child the story is mostly about; {he} {him} {his} for that child
  {children}         every born child's name, e.g. "Leo, Ava and Theo"
  {mum} {dad}        the mother and her partner in the household (only used where there is one)
  {net}              the family's closest network person, e.g. "Nan" or "Auntie Michelle"
  {worker}           the allocated worker's first name; {worker_role} "social worker" or
                     "family worker" in early help
  {school}           the focus child's nursery or school; {month} when the worries began;
  {soon}             a date a week or two after the meeting; {worry} a short name for the worry

`[are|is]` picks the first form when the family has more than one child, the second when it has
one, so "{children} [are|is] happy" reads right either way.

A text given as a tuple is one entry in versions: when carried forward to the next map it may
move on to its next version (a small change between maps)."""

CP, CIN, EH = "child_protection", "children_in_need", "early_help"

SCENARIOS = [
    {
        "key": "fighting",
        "services": [CP, CIN],
        "needs_partner": True,
        "focus_age": (5, 13),
        "worry": "the fighting between {mum} and {dad}",
        "professionals": [("designated safeguarding lead", "{school}")],
        "harm": [
            "In {month}, {dad} pushed {mum} into the kitchen door while {children} watched from "
            "the stairs. {mum} hurt her shoulder.",
            "The police have come to the house three times since {month} after neighbours heard "
            "shouting and things breaking.",
            "{child} told {his} teacher that {he} hides under the bed when Mum and Dad shout.",
        ],
        "setback": "Since the last meeting, the police were called again after {dad} punched a "
        "hole in the bedroom door during an argument.",
        "dangers": [
            {
                "who": "{worker} ({worker_role}), {school} and the police",
                "about": "When {mum} and {dad} argue, {dad} shouts, throws things and has pushed "
                "and grabbed {mum}, while {children} [are|is] in the house.",
                "impact": "{children} could be hurt by accident or on purpose, for example by "
                "being caught up in the pushing or hit by something thrown. Living with this "
                "could leave {children} scared, on edge and unable to settle at school.",
                "goal": "{mum} and {dad} sort out disagreements without shouting, throwing "
                "things or hurting anyone. When an argument starts, {dad} leaves the house and "
                "goes to a friend's until he has calmed down. {children} [tell|tells] people they "
                "trust "
                "that home feels calm.",
                "seen_by": "{net}, {school} and {worker}, who will talk to {children} on their "
                "own every two weeks",
                "sustain": (6, "months"),
                "dispute": (
                    "{dad}",
                    "{dad} says it only happened once, that he has never hurt the children, and "
                    "that {mum} shouts too.",
                ),
                "later": {"who": "{worker} ({worker_role}), {school}, the police and {net}"},
            },
            {
                "who": "{worker} ({worker_role}) and {school}",
                "about": "{mum} and {dad} have told {child} to keep what happens at home a "
                "secret, and {child} was told off for talking to {his} teacher.",
                "impact": "{child} could stop telling anyone when things go wrong at home, so "
                "nobody would be able to help {him} if {he} is scared or hurt.",
                "goal": "{mum} and {dad} tell {children} it is OK to talk to [their teachers|"
                "{his} teacher], {net} and {worker} about anything, and {child} says {he} does "
                "not have to keep secrets about home.",
                "seen_by": "{school} and {net}",
                "sustain": (3, "months"),
                "dispute": None,
            },
            {
                "who": "{worker} ({worker_role}) and {mum}",
                "about": "When {dad} has been drinking at the weekend, the arguments start more "
                "quickly and go on late into the night, with {children} awake and listening.",
                "impact": "{children} could be hurt, lose sleep and be too tired and worried to "
                "learn at school.",
                "goal": "{dad} does not drink when he is looking after {children}, and the "
                "family has quiet, calm weekends that {children} [enjoy|enjoys].",
                "seen_by": "{net} and {mum}",
                "sustain": (12, "weeks"),
                "dispute": (
                    "{dad}",
                    "{dad} says he only has a few cans and it has nothing to do with the rows.",
                ),
            },
        ],
        "complicating_factor": [
            "{dad} works nights at the warehouse, so he is tired and short-tempered in the day.",
            (
                "The family owes rent and has had a letter from the landlord about eviction.",
                "The family still owes rent, but the landlord has agreed a plan to pay it back.",
            ),
            "{mum} does not want to say much about the arguments because she is worried about "
            "what will happen to {dad}.",
            "The family moved here last year and does not know many people nearby.",
        ],
        "existing_strength": [
            "{mum} and {dad} both love {children} and want to keep the family together.",
            "{child} enjoys school, has good friends and goes to a club on Saturdays.",
            (
                "{net} lives ten minutes away and sees the family most days.",
                "{net} lives ten minutes away, sees the family most days and knows the safety "
                "plan.",
            ),
            "{dad} has said he does not want {children} to grow up the way he did.",
            "{mum} has been honest with {worker} about what happens when the arguments start.",
        ],
        "existing_safety": [
            "The last time {dad} started shouting, {mum} took {children} to {net}'s for the "
            "night and rang {worker} in the morning.",
            "In the last few weeks {dad} has walked out to cool down twice when an argument "
            "started, and came back calm.",
            "{children} [know|knows] to go upstairs and ring {net} if the grown-ups start "
            "shouting, and "
            "{net} has come round every time.",
            "{mum} and {dad} now talk about problems after {children} [are|is] in bed, with {net} "
            "there if they need help.",
        ],
        "next_step": [
            "{worker} will meet {net} and {mum} on {soon} to start writing a safety plan.",
            "{dad} will start the group for dads who want to stop hurting their families on "
            "{soon}.",
            "{worker} will see {children} at school before the next meeting to hear what home "
            "has been like.",
            "{mum}, {dad} and {net} will write down what {dad} will do when he feels an "
            "argument building up.",
            "{worker} will help the family ask the council for advice about the rent arrears.",
            "{worker} will do the Three Houses with {child} to hear what is going well and what "
            "worries {him}.",
        ],
        "grey_area": [
            "We don't know whether {dad}'s brother still stays at the house some weekends.",
            "{mum} and {dad} remember the night the police came differently.",
            "We are not sure how much {children} [hear|hears] from [their bedrooms|{his} bedroom].",
        ],
    },
    {
        "key": "drinking",
        "services": [CP, CIN, EH],
        "needs_partner": False,
        "focus_age": (3, 13),
        "worry": "{mum}'s drinking",
        "professionals": [("drug and alcohol worker", "Northmoor Recovery Service")],
        "harm": [
            "In {month}, a neighbour found {children} outside the flat late at night because "
            "{mum} was too drunk to wake up.",
            "{child} has been late for {school} or missed it on most Mondays this term, after "
            "weekends when {mum} had been drinking.",
            "{mum} was taken to hospital by ambulance in {month} after drinking all day, and "
            "{children} had to stay with a neighbour they hardly know.",
        ],
        "setback": "Since the last meeting, {mum} drank heavily on a school night and {child} "
        "rang {net} to come and help.",
        "dangers": [
            {
                "who": "{worker} ({worker_role}), {school} and {net}",
                "about": "When {mum} drinks a lot, she falls asleep and cannot be woken, and "
                "there is no other grown-up in the house to look after {children}.",
                "impact": "{children} could be badly hurt in an accident, go hungry, or be left "
                "alone with nobody to help them. They may also feel they have to look after "
                "{mum} and keep it a secret.",
                "goal": "Whenever {children} [are|is] at home, there is a grown-up who has not "
                "been "
                "drinking looking after them, and {mum} follows her plan for what to do when she "
                "wants to drink.",
                "seen_by": "{net}, {school} and {worker}, with visits at different times of day",
                "sustain": (6, "months"),
                "dispute": (
                    "{mum}",
                    "{mum} says she only drinks when {children} [are|is] asleep and has never put "
                    "them in danger.",
                ),
                "later": {
                    "goal": "Whenever {children} [are|is] at home, there is a grown-up who has not "
                    "been drinking looking after them, {mum} follows her plan for what to do "
                    "when she wants to drink, and {children} [know|knows] who to ring if [they "
                    "are|{he} is] "
                    "worried about Mum."
                },
            },
            {
                "who": "{worker} ({worker_role}) and {school}",
                "about": "On days after {mum} has been drinking, {children} [do|does] not get to "
                "school on time or at all, and there is sometimes no breakfast or clean uniform.",
                "impact": "{children} could fall behind at school, lose friendships, and feel "
                "embarrassed and worried about home.",
                "goal": "{children} [get|gets] to school on time every day, with breakfast and "
                "clean "
                "clothes, including on Mondays.",
                "seen_by": "{school} and {net}",
                "sustain": (12, "weeks"),
                "dispute": None,
            },
            {
                "who": "{net} and {worker} ({worker_role})",
                "about": "{mum} has driven {children} to {net}'s house after drinking.",
                "impact": "{children} could be badly hurt or killed in a crash.",
                "goal": "{mum} never drives {children} after drinking anything, and if she has "
                "had a drink she rings {net} or gets a taxi.",
                "seen_by": "{net}, who {children} will tell if it happens again",
                "sustain": (6, "months"),
                "dispute": ("{mum}", "{mum} says she had only had one glass of wine."),
            },
        ],
        "complicating_factor": [
            "{mum} has had a hard time since her own mum died two years ago, and drinks more "
            "around the anniversary.",
            "{mum}'s friends on the estate drink a lot, and often come round at weekends.",
            "{mum} has tried to stop before and found it very hard without help.",
        ],
        "existing_strength": [
            (
                "{mum} went to her first appointment at the drug and alcohol service on her own.",
                "{mum} has been going to the drug and alcohol service every week and says it is "
                "helping.",
            ),
            "{mum} is a warm and loving mum, and {children} [are|is] very close to her.",
            "{net} loves {children} and is happy to have them to stay at short notice.",
            "{child} is doing well at reading and is proud of {his} new certificate.",
        ],
        "existing_safety": [
            "On the weekends when {mum} felt she might drink, she asked {net} to have "
            "{children} to stay.",
            "{mum} has not driven after drinking since the last meeting, and leaves her car keys "
            "at {net}'s on Friday nights.",
            "{children} [know|knows] {net}'s phone number, and {child} used it once when Mum was "
            "unwell.",
            "{mum} has had no alcohol on school nights for the last six weeks, which {net} has "
            "checked with her.",
        ],
        "next_step": [
            "{mum} will tell {net} and her neighbour about the worries this week, so they can be "
            "part of the plan.",
            "{worker} will visit on a Friday evening and a Monday morning before the next meeting.",
            "{mum} will ask her GP on {soon} about help to cut down safely.",
            "{worker} will talk with {children} about what they can do, and who they can ring, "
            "if Mum is poorly.",
            "{net} and {mum} will write a list of who will look after {children} at weekends.",
            "{school} will ring {net} if {children} [are|is] not in by 9:15.",
        ],
        "grey_area": [
            "We don't know how much {mum} drinks during the week.",
            "We don't know whether {children}'s dad knows about the worries or could help.",
            "{mum} and {net} have different ideas about how much drinking is too much.",
        ],
    },
    {
        "key": "home",
        "services": [CP, CIN, EH],
        "needs_partner": False,
        "focus_age": (3, 12),
        "worry": "the state of the house and the missed health appointments",
        "professionals": [("school nurse", "School nursing team")],
        "harm": [
            "{child} has missed six health appointments in the last year, including the "
            "dentist, and has had toothache for months.",
            "On three visits since {month} there was no food in the house, and {school} says "
            "{children} often [arrive|arrives] hungry.",
            "The house has dog mess on the floors, the kitchen is covered in old food, and "
            "{children} [do not have proper beds|does not have a proper bed].",
        ],
        "setback": "Since the last meeting, {child} missed {his} hospital appointment again and "
        "the kitchen had gone back to how it was before.",
        "dangers": [
            {
                "who": "{school}, the school nurse and {worker} ({worker_role})",
                "about": "{mum} is not making sure {children} [have|has] enough to eat, clean "
                "clothes "
                "and somewhere clean and safe to sleep.",
                "impact": "{children} could become ill, fall behind at school, be picked on by "
                "other children, and feel that nobody is looking after them.",
                "goal": "{children} [have|has] three meals a day, a clean bed[ each|] and clean "
                "clothes, "
                "and the kitchen and bathroom are clean enough to use safely.",
                "seen_by": "{net}, who will pop round twice a week, and {worker} on visits",
                "sustain": (6, "months"),
                "dispute": (
                    "{mum}",
                    "{mum} says the house gets messy because she works long shifts, and that "
                    "{children} never [go|goes] hungry.",
                ),
                "later": {"seen_by": "{net}, {school} and {worker}, with some visits unplanned"},
            },
            {
                "who": "The school nurse, the GP and {worker} ({worker_role})",
                "about": "{child}'s health appointments, including the dentist and the eye "
                "clinic, keep being missed, and {his} medicine runs out.",
                "impact": "{child}'s teeth and eyes could be damaged for good, and {he} could be "
                "in pain without anyone helping.",
                "goal": "{child} goes to every health appointment, and {his} medicine is "
                "collected before it runs out.",
                "seen_by": "The school nurse, the GP surgery and {net}",
                "sustain": (6, "months"),
                "dispute": (
                    "{mum}",
                    "{mum} says the letters go to her old address and the appointments clash "
                    "with her shifts.",
                ),
            },
            {
                "who": "{worker} ({worker_role}) and the housing officer",
                "about": "The wiring in the kitchen is broken, and there are tablets and bleach "
                "on the floor where {children} can reach them.",
                "impact": "{children} could be burned, poisoned or badly hurt.",
                "goal": "Medicines and cleaning things are locked away, and the kitchen wiring is "
                "fixed and kept safe.",
                "seen_by": "{worker} and the housing officer",
                "sustain": (3, "months"),
                "dispute": None,
            },
        ],
        "complicating_factor": [
            "{mum} works long shifts at the care home and there is nobody to help at home in the "
            "evenings.",
            (
                "The family has very little money and the cooker has been broken since {month}.",
                "The family has very little money, but a charity has given them a new cooker.",
            ),
            "{mum} finds letters hard to read, so appointment letters often get missed.",
            "The landlord has not answered calls about the damp in the bedroom.",
        ],
        "existing_strength": [
            "{children} [are|is] polite and kind, and [their teachers say they try|{his} teachers "
            "say {he} tries] hard.",
            "{mum} walks {children} to school every day and talks with the teachers at the gate.",
            "{net} has offered to help clear the house and cook with the family at weekends.",
            "{mum} agreed straight away to the school nurse checking {child}'s teeth.",
        ],
        "existing_safety": [
            "{net} brought round food and took {child} to the dentist when {mum} asked for help.",
            "The kitchen and [{children}'s bedrooms were|{child}'s bedroom was] clean and tidy on "
            "the last two visits, "
            "one of them not planned.",
            "{mum} has put every appointment on a calendar on the fridge, and {net} texts her "
            "the day before.",
            "Medicines and bleach are now kept in a locked box on top of the wardrobe.",
        ],
        "next_step": [
            "{worker} will help {mum} book {child}'s dentist appointment and go with her on "
            "{soon}.",
            "{school} will give {children} breakfast club places from Monday.",
            "{worker} will ask the council about a grant for beds.",
            "{net} and {mum} will clear the kitchen together this weekend.",
            "{worker} will ring the landlord with {mum} about the damp.",
            "{mum} will give the GP surgery her new address and mobile number.",
        ],
        "grey_area": [
            "We are not sure whether the family is getting all the benefits they can.",
            "We don't know why the appointment letters didn't arrive.",
            "{mum} and {school} see the mornings differently: {mum} says {children} [eat|eats] "
            "before "
            "school.",
        ],
    },
    {
        "key": "mental_health",
        "services": [CP, CIN, EH],
        "needs_partner": False,
        "focus_age": (8, 14),
        "worry": "{mum}'s mental health",
        "professionals": [("mental health nurse", "Community mental health team")],
        "harm": [
            "{mum} has been in hospital twice this year because she was very unwell and wanted "
            "to end her life. {child} found her the first time.",
            "In {month}, {mum} stayed in bed for more than a week, and {child} made {his} own "
            "meals and missed school.",
        ],
        "setback": "Since the last meeting, {mum} became very low again and stopped taking her "
        "tablets for two weeks.",
        "dangers": [
            {
                "who": "{worker} ({worker_role}), {mum}'s mental health nurse and {net}",
                "about": "When {mum} becomes very unwell, she stays in bed for days, stops "
                "eating and has said she wants to die.",
                "impact": "{children} could be left without anyone to care for them, and could "
                "be very frightened and upset by finding {mum} so unwell or hurt.",
                "goal": "{mum} and the people around her notice early when she is getting "
                "unwell, and a safe grown-up steps in to look after {children} straight away.",
                "seen_by": "{net}, the mental health nurse and {worker}",
                "sustain": (9, "months"),
                "dispute": None,
            },
            {
                "who": "{worker} ({worker_role}) and {school}",
                "about": "{child} is doing the cooking and cleaning and looking after {mum} when "
                "she is unwell, and is missing school to do it.",
                "impact": "{child} could fall behind at school, lose {his} friends, and carry "
                "worries that are too big for a child.",
                "goal": "{child} goes to school every day and gets time to be a child, and "
                "grown-ups do the caring when {mum} is unwell.",
                "seen_by": "{school}, the young carers' worker and {net}",
                "sustain": (3, "months"),
                "dispute": None,
            },
            {
                "who": "{worker} ({worker_role}) and the GP",
                "about": "{mum} keeps her tablets in the kitchen drawer, and has taken too many "
                "before.",
                "impact": "{children} could find the tablets and take them, or find {mum} after "
                "she has taken too many.",
                "goal": "{mum}'s medicine is kept locked away, and {net} helps her keep only a "
                "week's tablets at home.",
                "seen_by": "{net} and the pharmacist",
                "sustain": (12, "weeks"),
                "dispute": None,
            },
        ],
        "complicating_factor": [
            "{mum} finds it hard to ask for help because she is afraid {children} will be taken "
            "away.",
            "{mum}'s appointments with the mental health team were cancelled twice because of "
            "staff shortages.",
            "{children}'s dad lives far away and is not in touch with the family.",
        ],
        "existing_strength": [
            (
                "{mum} takes her medicine and sees her nurse every two weeks.",
                "{mum} takes her medicine, sees her nurse every two weeks and has joined a "
                "walking group.",
            ),
            "{children} [know|knows] {net}'s phone number by heart.",
            "{mum} is a kind and funny mum, and {children} [love|loves] spending time with her "
            "when "
            "she is well.",
            "{child} has a young carers' worker who takes {him} out once a month.",
        ],
        "existing_safety": [
            "When {mum} felt unwell in {month}, she rang {net}, who came and stayed for a week.",
            "{mum}, {net} and the nurse have a written plan for the early signs that {mum} is "
            "getting unwell, and {net} has a copy.",
            "{mum} told her nurse straight away when she had bad thoughts last month, and {net} "
            "looked after {children} for three days.",
            "{children} [have|has] been to school every day this half term.",
        ],
        "next_step": [
            "{mum}, {net} and {worker} will write down the early signs that {mum} is getting "
            "unwell.",
            "{worker} will do the Three Houses with {child} on {soon}.",
            "{worker} will ask the mental health team for a date for {mum}'s review.",
            "{net} will go with {mum} to her next appointment with her nurse.",
            "{worker} will ask the young carers' group to get in touch with {child}.",
            "{worker} will explain to {children}, in words [they understand|{he} understands], "
            "what Mum's illness is and that it is not [their|{his}] fault.",
        ],
        "grey_area": [
            "We don't know who else {children} could go to if {net} is away.",
            "We don't know whether {children}'s dad could help if he knew about the worries.",
        ],
    },
    {
        "key": "missing",
        "services": [CP, CIN],
        "needs_partner": False,
        "focus_age": (13, 16),
        "worry": "{child} going missing",
        "professionals": [("youth worker", "Northmoor Youth Service")],
        "harm": [
            "{child} has gone missing overnight four times since {month}, and was found by the "
            "police in a flat with adults the family does not know.",
            "{child} came home in {month} with a cut lip and £200 in cash and would not say "
            "where {he} had been.",
        ],
        "setback": "Since the last meeting, {child} went missing again for two nights and was "
        "found in another town.",
        "dangers": [
            {
                "who": "{mum}, {worker} ({worker_role}) and the police",
                "about": "{child} is spending time with older men who give {him} alcohol, "
                "cannabis and money, and ask {him} to carry things for them.",
                "impact": "{child} could be hurt, sexually or physically, get into serious "
                "trouble with the police, and feel {he} cannot get away from these men.",
                "goal": "{child} comes home every night by the time agreed, tells {mum} where "
                "{he} is, and spends time with friends and activities {he} enjoys.",
                "seen_by": "{mum}, the youth worker and {net}",
                "sustain": (6, "months"),
                "dispute": (
                    "{child}",
                    "{child} says they are {his} friends, they look out for {him}, and nobody is "
                    "making {him} do anything.",
                ),
            },
            {
                "who": "{worker} ({worker_role}) and {school}",
                "about": "{child} has been excluded from {school} twice and spends most days out "
                "of the house with nothing to do.",
                "impact": "{child} could spend even more time with the people who are hurting "
                "{him}, and miss the chance to get the exams {he} needs.",
                "goal": "{child} goes to school or college every day, and has something {he} "
                "enjoys to do after school.",
                "seen_by": "{school} and the youth worker",
                "sustain": (3, "months"),
                "dispute": None,
            },
            {
                "who": "{mum} and {worker} ({worker_role})",
                "about": "Strangers have been messaging {child} on {his} phone late at night, "
                "and some have come to the house asking for {him}.",
                "impact": "{child} and the rest of the family could be threatened or hurt at home.",
                "goal": "{mum} knows who {child} is talking to, {child} blocks people who scare "
                "{him}, and nobody unsafe comes to the house.",
                "seen_by": "{mum}, {net} and the police community support officer",
                "sustain": (3, "months"),
                "dispute": None,
            },
        ],
        "complicating_factor": [
            "{child} does not trust the police because of how {he} was treated when {he} was "
            "picked up.",
            "{mum} works evenings, so {child} is on {his} own after school.",
            "{child} has an older cousin who knows some of the men.",
        ],
        "existing_strength": [
            "{child} is close to {mum} and talks to her when {he} is upset.",
            (
                "{child} loves football and has a trial for a local team.",
                "{child} is now training with a local football team twice a week.",
            ),
            "{mum} has never given up on {child} and goes out looking for {him} every time.",
            "{child} gets on well with the youth worker and has met her every week.",
        ],
        "existing_safety": [
            "{mum} reported {child} missing straight away every time and gave the police "
            "addresses to check.",
            "{child} has come home by 10pm every night for the last three weeks, and texted "
            "{mum} when {he} was going to be late.",
            "{child} told the youth worker about a man who kept messaging {him}, and blocked "
            "his number.",
            "{child} has stayed at {net}'s on Friday nights instead of going out with the older "
            "men.",
        ],
        "next_step": [
            "The youth worker will meet {child} twice a week, starting on {soon}.",
            "{worker} and {mum} will go to {school} to talk about {child} going back full time.",
            "{worker} will share what the family knows about the men with the police.",
            "{mum} and {child} will agree a time to be home and what happens if {child} is late.",
            "{worker} will ask about a place for {child} on the college taster days.",
        ],
        "grey_area": [
            "We don't know the names of the men {child} has been meeting.",
            "We don't know whether {child}'s friends from school are involved too.",
        ],
    },
    {
        "key": "cannabis_baby",
        "services": [CP, CIN],
        "needs_partner": True,
        "focus_age": (0, 1),
        "worry": "the drugs in the house",
        "professionals": [("health visitor", "Northmoor health visiting team")],
        "harm": [
            "In {month}, {child} was taken to hospital after swallowing part of a cannabis sweet "
            "left on the sofa.",
            "The health visitor has found {mum} and {dad} asleep in the day on three visits, with "
            "{child} awake in {his} cot and a strong smell of cannabis.",
        ],
        "setback": "Since the last meeting, the health visitor found cannabis on the coffee "
        "table within {child}'s reach.",
        "dangers": [
            {
                "who": "{worker} ({worker_role}), the health visitor and the hospital",
                "about": "{mum} and {dad} smoke cannabis most days and leave drugs where {child} "
                "can reach them.",
                "impact": "{child} could swallow drugs again and become seriously ill or die.",
                "goal": "There are no drugs in the house, and nobody smokes cannabis when they "
                "are looking after {children}.",
                "seen_by": "The health visitor, {net} and {worker} on visits, some of them "
                "unannounced",
                "sustain": (6, "months"),
                "dispute": (
                    "{dad}",
                    "{dad} says the sweets belonged to a friend and it was a one-off.",
                ),
            },
            {
                "who": "The health visitor and {worker} ({worker_role})",
                "about": "{mum} and {dad} are sometimes so sleepy during the day that they do "
                "not notice when {child} needs feeding, changing or comforting.",
                "impact": "{child} could go hungry, get sore skin, and grow up feeling that "
                "nobody comes when {he} cries.",
                "goal": "{child} is fed, changed and comforted when {he} needs it, and is gaining "
                "weight well at {his} health visitor checks.",
                "seen_by": "The health visitor at weekly weigh-ins, and {net}",
                "sustain": (3, "months"),
                "dispute": None,
            },
            {
                "who": "{worker} ({worker_role}) and the police",
                "about": "People the family buys cannabis from come to the house at night.",
                "impact": "{children} could be caught up in fights or threats between adults.",
                "goal": "Nobody comes to the house to sell drugs, and {mum} and {dad} see their "
                "friends away from the house.",
                "seen_by": "{net} and the neighbourhood police officer",
                "sustain": (3, "months"),
                "dispute": ("{mum}", "{mum} says the people who come round are just friends."),
            },
        ],
        "complicating_factor": [
            "{mum} and {dad} both say cannabis helps them cope with worry and sleep.",
            "{dad}'s friends live on the same street and drop in most evenings.",
            "The flat is small and up four flights of stairs, so {mum} rarely goes out with "
            "{child}.",
        ],
        "existing_strength": [
            "{mum} and {dad} are gentle and loving with {child}, and {he} smiles and reaches "
            "for them.",
            "{child} has had all {his} injections and is on track with {his} development.",
            (
                "{dad} has started going to the drug service and says he wants to stop for "
                "{child}'s sake.",
                "{dad} has been to every drug service appointment since {month}.",
            ),
            "{net} has a spare room and looks after {child} one day a week.",
        ],
        "existing_safety": [
            "{mum} and {dad} agreed to keep all drugs out of the flat, and there were none on "
            "the last three visits.",
            "{child} has gained weight steadily at every weigh-in for the last two months.",
            "{dad} has given two clear drug tests at the drug service.",
            "When {mum} felt too tired to cope last month, she rang {net}, who took {child} for "
            "the afternoon.",
        ],
        "next_step": [
            "{mum} and {dad} will book a hair strand test through {worker} by {soon}.",
            "The health visitor will visit every week until the next meeting.",
            "{worker} will meet {net} to talk about how {net} can be part of the safety plan.",
            "{mum} will take {child} to the baby group at the family hub on Wednesdays.",
            "{dad} will go to his next drug service appointment on {soon}.",
        ],
        "grey_area": [
            "We don't know how much {mum} and {dad} spend on cannabis each week.",
            "We are not sure whether the hospital visit was the first time {child} swallowed "
            "something.",
        ],
    },
    {
        "key": "school_and_anger",
        "services": [EH, CIN],
        "needs_partner": False,
        "focus_age": (8, 13),
        "worry": "{child}'s anger at home and missing school",
        "professionals": [("pastoral lead", "{school}")],
        "harm": [
            "{child} has missed 40 days of school this year and has not been in since {month}.",
            "{child} has hit {mum} and broken things when {he} was told to come off {his} games "
            "console.",
            "{child} told {his} teacher that {he} is useless and that nobody would care if {he} "
            "was gone.",
        ],
        "setback": "Since the last meeting, {child} stopped going to school again for two weeks "
        "after falling out with {his} friends.",
        "dangers": [
            {
                "who": "{school}, {mum} and {worker} ({worker_role})",
                "about": "{child} is not going to school, and spends most days in {his} room on "
                "{his} games console.",
                "impact": "{child} could fall far behind, lose {his} friends, and become more "
                "lonely and low.",
                "goal": "{child} goes to school every day, on time, and takes part in at least "
                "one thing {he} enjoys outside home.",
                "seen_by": "{school}, {mum} and {worker}",
                "sustain": (12, "weeks"),
                "dispute": (
                    "{mum}",
                    "{mum} says {child} is being bullied and she will not force {him} to go "
                    "until the school sorts it out.",
                ),
            },
            {
                "who": "{mum}, {worker} ({worker_role}) and {school}",
                "about": "When {child} gets angry, {he} shouts, hits {mum} and breaks things, and "
                "{mum} does not know how to calm things down.",
                "impact": "{mum} or {children} could be hurt, and {child} could learn that "
                "hurting people is a way to get what {he} wants.",
                "goal": "When {child} is angry, {he} uses {his} calm-down plan, and {mum} knows "
                "what to do to keep everyone safe.",
                "seen_by": "{mum}, {net} and {worker}",
                "sustain": (3, "months"),
                "dispute": None,
            },
            {
                "who": "{school} and {worker} ({worker_role})",
                "about": "{child} has said that {he} is useless and that nobody would care if "
                "{he} was gone.",
                "impact": "{child} could hurt {him}self, and keep these feelings to {him}self "
                "until they become too much.",
                "goal": "{child} has a grown-up {he} trusts at home and at school to talk to when "
                "{he} feels low, and sees the school counsellor every week.",
                "seen_by": "The school counsellor and {mum}",
                "sustain": (3, "months"),
                "dispute": None,
            },
        ],
        "complicating_factor": [
            "{mum} is bringing up {children} on her own and works part-time.",
            (
                "{child} is waiting for an assessment for ADHD and the waiting list is over a "
                "year.",
                "{child} now has a date for {his} ADHD assessment in the spring.",
            ),
            "{mum} feels judged by {school} after a difficult meeting in {month}.",
        ],
        "existing_strength": [
            "{child} is funny, good with animals, and loves cooking with {net}.",
            "{mum} wants to work with {school} and has gone to every meeting.",
            "{child} has one good friend who lives on the same road.",
        ],
        "existing_safety": [
            "{child} went to school four days out of five last week, with {net} doing the "
            "morning walk.",
            "When {child} got angry last week, {he} went to {his} room to calm down, as the plan "
            "says, and nobody was hurt.",
            "{mum} now gives {child} a ten-minute warning before the console goes off, and "
            "there have been fewer arguments.",
            "{child} has been to the after-school cooking club every week for a month.",
        ],
        "next_step": [
            "{school} will set up a part-time timetable for {child}, starting on {soon}.",
            "{worker} will work with {child} on a calm-down plan.",
            "{mum} will go to the parenting group at the family hub on Thursday mornings.",
            "{worker} will ask the school nurse about the ADHD waiting list.",
            "{net} will walk {child} to school on Monday and Wednesday mornings.",
        ],
        "grey_area": [
            "We don't know for sure whether {child} is being bullied at school.",
            "We don't know what {child} does online late at night.",
        ],
    },
    {
        "key": "hitting",
        "services": [CP, CIN],
        "needs_partner": True,
        "focus_age": (5, 12),
        "worry": "the way {children} [are|is] punished",
        "professionals": [("designated safeguarding lead", "{school}")],
        "harm": [
            "In {month}, {child} went to school with bruises on {his} legs and said {dad} had "
            "hit {him} with a belt.",
            "{child} has told {his} teacher more than once that {he} is scared to go home when "
            "{he} has been in trouble.",
        ],
        "setback": "Since the last meeting, {child} told {his} teacher that {dad} had smacked "
        "{him} hard on the head.",
        "dangers": [
            {
                "who": "{worker} ({worker_role}), {school} and the police",
                "about": "{dad} hits {children} with his hand and a belt when they do not do as "
                "they are told.",
                "impact": "{children} could be badly hurt, feel scared of their dad, and learn "
                "that hitting is how grown-ups sort out problems.",
                "goal": "{mum} and {dad} use calm ways to help {children} behave, like time out, "
                "praise and less screen time, and nobody in the family is hit.",
                "seen_by": "{school}, {net} and {worker}, who will talk to {children} on their own",
                "sustain": (6, "months"),
                "dispute": (
                    "{dad}",
                    "{dad} says this is how he was brought up, a smack never did him any harm, "
                    "and he has never used a belt.",
                ),
            },
            {
                "who": "{worker} ({worker_role}) and {school}",
                "about": "{mum} knows {dad} hits {children} but feels she cannot stop him, and "
                "has told {children} not to tell anyone.",
                "impact": "{children} could keep being hurt, and feel that nobody will protect "
                "them.",
                "goal": "{mum} steps in when {dad} gets angry with {children}, and {children} "
                "[know|knows] they can tell {mum}, {net} or their teacher if anyone hurts them.",
                "seen_by": "{school} and {net}",
                "sustain": (6, "months"),
                "dispute": None,
            },
            {
                "who": "{worker} ({worker_role}) and the GP",
                "about": "{dad} has been under a lot of stress since losing his job and shouts "
                "at {children} for small things.",
                "impact": "{children} could feel on edge all the time and frightened at home.",
                "goal": "{dad} has help with his stress, and {children} [say|says] home is calmer "
                "and "
                "[they are|{he} is] not scared of [their|{his}] dad.",
                "seen_by": "{net}, the GP and {worker}",
                "sustain": (3, "months"),
                "dispute": None,
            },
        ],
        "complicating_factor": [
            "{dad} was hit as a child and believes it is the right way to bring up children.",
            "{dad} lost his job in {month} and the family is behind on bills.",
            "{mum} speaks some English but prefers to talk in her first language, and an "
            "interpreter has not always been booked.",
        ],
        "existing_strength": [
            "{mum} and {dad} want {children} to do well and go to university.",
            "{dad} came to every meeting and listened, even when he disagreed.",
            "{children} [are|is] doing well at school and [have|has] lots of friends.",
            "{net} is respected by both parents and has offered to help.",
        ],
        "existing_safety": [
            "{dad} agreed to go out for a walk instead of punishing {children} when he is angry, "
            "and {mum} says he has done this.",
            "{children} said at school that there has been no hitting at home since the last "
            "meeting.",
            "{dad} has finished the first four weeks of the parenting course and has started "
            "using a reward chart.",
            "{mum} rang {net} when {dad} lost his temper last month, and {net} came round and "
            "calmed things down.",
        ],
        "next_step": [
            "{worker} will book an interpreter for every meeting with {mum}.",
            "{dad} will start the parenting course at the family hub on {soon}.",
            "{worker} will see {children} on their own at school every two weeks.",
            "{mum}, {dad} and {net} will agree the house rules and what happens when they are "
            "broken.",
            "{worker} will help {dad} find advice about work and benefits.",
        ],
        "grey_area": [
            "We don't know whether {dad} still has the belt.",
            "{dad} and {child} describe what happened in {month} differently.",
        ],
    },
]

# Next steps that fit any family, mixed in with the scenario's own.
GENERAL_NEXT_STEPS = [
    "Everyone will meet again in six weeks to look at the map together.",
    "{worker} will write this map up in the family's words and give {mum} a copy by {soon}.",
    "{worker} will visit {children} at home before the next meeting, once without warning.",
    "{net} will be invited to the next meeting.",
]

# Anchors for the scales. The overall scale wording differs in early help.
OVERALL_ANCHORS = {
    "default": (
        "Everyone knows the children will be hurt again if nothing changes",
        "Everyone knows the children are safe enough for us to close the case",
    ),
    EH: (
        "Everyone knows things will get worse for the children if nothing changes",
        "Everyone knows things are good enough for the family to carry on without us",
    ),
}
STATEMENT_ANCHORS = (
    "We are sure this will happen again if nothing changes",
    "Everyone is sure the goal is being met and will keep being met",
)
CHILD_ANCHORS = (
    "Home feels scary and unsafe all the time",
    "Home feels safe and happy all the time",
)

# Reasons, by who is scaling and by score band: (lowest score in band, [texts]).
WORKER_REASONS = [
    (
        0,
        [
            "We are still very worried about {worry}, and there is no plan yet that everyone "
            "agrees to.",
            "Nothing has changed yet. We are very worried that {children} will be hurt again.",
        ],
    ),
    (
        3,
        [
            "{mum} has started to talk openly about {worry}, and {net} has agreed to help, but "
            "the plan hasn't been tested yet.",
            "There have been a few better weeks, but we still don't know what would happen if "
            "things went wrong.",
        ],
    ),
    (
        5,
        [
            "The safety plan is written down and mostly working, but it hasn't been in place "
            "long enough to be sure.",
            "{net} is checking in and things are calmer, but there was a worrying time since "
            "the last meeting.",
        ],
    ),
    (
        7,
        [
            "The safety plan has worked for several months, {net} checks in every week, and "
            "{children} [say|says] home feels better.",
            "Everyone is doing what the plan says, and the network would tell us if things "
            "slipped.",
        ],
    ),
    (
        9,
        [
            "The plan has kept working for months without us. The family and {net} know what to "
            "do if the worry comes back.",
            "{children} [are|is] safe and settled, and the family's network can keep it that way "
            "without us.",
        ],
    ),
]
PARENT_REASONS = [
    (0, ["I know things got bad and I want to put it right.", "It's early days, but I'm trying."]),
    (
        5,
        [
            "Things are calmer at home, but I know I need to keep it up.",
            "{net} is helping a lot and we're getting on better.",
        ],
    ),
    (
        8,
        [
            "We've got our plan and {net} helps us. I'm proud of how far we've come.",
            "It's been good for a long time now and {children} [are|is] happy.",
        ],
    ),
]
PARENT_HIGHER = [
    "I think things are much better than {worker} does. We have done everything on the plan.",
    "{children} [are|is] happy and doing well. I don't think we need you involved much longer.",
    "I know what happened was wrong, but it's been sorted for a while now.",
]
PARENT_HIGHER_FIRST = [
    "It was one bad time. It isn't like that most of the time.",
    "I think people are making it out to be worse than it is.",
    "I know there are worries, but {children} [are|is] loved and looked after.",
]
PARENT_LOWER = [
    "I'm scoring lower than {worker} because I know how hard it still is some days.",
    "I'm still worried about slipping back, even if other people think it's going well.",
]
MANAGER_AGREES = [
    "I agree with {worker}: the plan needs longer before we can be sure.",
    "The network is strong, and I agree with where {worker} has put it.",
]
MANAGER_LOWER = [
    "I'd score a little lower than {worker}, because the plan hasn't been tested when things go "
    "wrong.",
    "A little lower than {worker}: I want to see the network noticing problems without us.",
]
NETWORK_REASONS = [
    (0, ["I'm worried about how things were last month, but I'm going to keep helping."]),
    (5, ["I'm there most days. It's calmer, but I'd like to see it last."]),
    (8, ["I see the family every week and things are much better than they were."]),
]
CHAIR_REASONS = [
    (
        0,
        [
            "The worries are serious and there isn't enough safety yet, so the children need a "
            "child protection plan.",
        ],
    ),
    (
        4,
        [
            "The plan is helping, but the changes need to last before the child protection plan "
            "can end.",
        ],
    ),
    (
        7,
        [
            "I agree with the core group that the children are safer, and the network is ready "
            "to carry the plan.",
        ],
    ),
]
CHILD_REASONS = [
    (0, ["There's still lots of shouting and I don't like being at home.", "I worry a lot."]),
    (4, ["It's a bit better. I know I can ring {net}.", "Some days are good and some are bad."]),
    (
        7,
        [
            "It's calm at home now and everyone is happier.",
            "I like being at home and I can talk to {net} if I'm worried.",
        ],
    ),
]
STATEMENT_WORKER_REASONS = [
    (
        0,
        [
            "This is still happening, and nobody outside the family has seen it being sorted "
            "out yet.",
            "We haven't seen any of the goal happening yet.",
        ],
    ),
    (
        4,
        [
            "Things have been better for a few weeks, but not for long enough to be sure.",
            "Some of the goal is happening, and {net} has seen it, but not every week.",
        ],
    ),
    (
        7,
        [
            "The network has seen the goal happening every week for a good while now.",
            "This hasn't happened since the last meeting, and everyone knows what to do if it "
            "starts again.",
        ],
    ),
]
STATEMENT_PARENT_REASONS = [
    (0, ["I know this is a worry and I'm working on it.", "I don't agree it's as bad as that."]),
    (4, ["We've done a lot on this and it's getting better."]),
    (7, ["This is in the past now.", "We've stuck to this since the last meeting."]),
]
