"""Plain-language map content for the synthetic families, written as a parent could read it.

Each scenario is one family's story: the harm, the danger statements with their goals, and the
entries in the other categories. `{child}`, `{children}`, `{mum}`, `{dad}` and `{worker}` are
filled with the family's invented names."""

SCENARIOS = [
    {
        "harm": [
            "{child} had a bruise on their arm in March. {mum} said it happened when {dad} "
            "grabbed {child} during an argument.",
            "The police came to the house twice this year after neighbours heard shouting and "
            "things breaking.",
        ],
        "dangers": [
            {
                "who": "{worker} (social worker), the school and the police",
                "about": "When {dad} and {mum} argue, {dad} shouts, throws things and has "
                "pushed {mum} while {children} were in the room.",
                "impact": "{children} could be hurt by accident or on purpose, and will keep "
                "feeling scared and on edge at home.",
                "goal": "{mum} and {dad} sort out disagreements calmly, away from {children}, and "
                "{children} tell people they trust that home feels calm.",
                "seen_by": "Grandma and the school, who will check in with {children} every week",
                "dispute": ("{dad}", "It was only once, and I never meant to hurt anyone."),
            },
        ],
        "complicating_factor": [
            "{dad} works nights, so he is tired and short-tempered in the day.",
            "The family has money worries and has been threatened with eviction.",
        ],
        "existing_strength": [
            "{mum} and {dad} both love {children} and want them to stay at home.",
            "{child} enjoys school and has a good friend in their class.",
            "Grandma lives five minutes away and sees the family most days.",
        ],
        "existing_safety": [
            "The last time {dad} started shouting, {mum} took {children} to Grandma's for the "
            "night and rang {worker} in the morning.",
        ],
        "next_step": [
            "{worker} will meet Grandma and {mum} on Tuesday to start writing a safety plan.",
            "{dad} will go to his first session of the group for fathers on 14 April.",
            "{worker} will see {children} at school next week.",
        ],
        "grey_area": ["We don't know yet whether {dad}'s brother still stays at the house."],
    },
    {
        "harm": [
            "{mum} was found asleep and very drunk when {child} was in the bath on their own.",
        ],
        "dangers": [
            {
                "who": "{worker} (social worker), the health visitor and {mum}'s sister",
                "about": "When {mum} drinks a lot, she falls asleep and cannot wake up to look "
                "after {children}.",
                "impact": "{children} could be badly hurt, go hungry, or be left alone when they "
                "need help, and may feel they have to look after {mum}.",
                "goal": "There is always a sober grown-up looking after {children}, and {mum} "
                "has a plan for what to do when she wants to drink.",
                "seen_by": "{mum}'s sister, the health visitor and {worker}",
                "dispute": None,
            },
        ],
        "complicating_factor": [
            "{mum} has had a hard time since her own mum died last year.",
        ],
        "existing_strength": [
            "{mum} went to her first appointment at the drug and alcohol service herself.",
            "{children} are always clean and well dressed for nursery.",
        ],
        "existing_safety": [
            "{mum}'s sister has had {children} to stay every weekend that {mum} felt she might "
            "drink.",
        ],
        "next_step": [
            "{mum} will tell her sister and her neighbour about the worries this week.",
            "{worker} will visit with the health visitor on Thursday morning.",
        ],
        "grey_area": ["We don't know how much {mum} drinks during the week."],
    },
    {
        "harm": [
            "{child} missed six health appointments and has had toothache for months.",
            "The house had no food in it on three visits, and {children} were hungry at school.",
        ],
        "dangers": [
            {
                "who": "The school, the school nurse and {worker} (social worker)",
                "about": "{mum} and {dad} are not making sure {children} have enough to eat, "
                "go to the doctor and dentist, and have clean clothes.",
                "impact": "{children} could become ill, fall behind at school, and feel that "
                "nobody is looking after them.",
                "goal": "{children} get three meals a day, go to every health appointment, and "
                "come to school clean and ready to learn.",
                "seen_by": "The school, the school nurse and Auntie",
                "dispute": ("{mum}", "We do our best; the appointments clash with my shifts."),
            },
        ],
        "complicating_factor": [
            "{dad} has a bad back and cannot work, and the family has very little money.",
        ],
        "existing_strength": [
            "{children} are polite and kind, and their teachers say they try hard.",
            "{dad} walks {children} to school every day.",
        ],
        "existing_safety": [
            "Auntie brought round food and took {child} to the dentist when {mum} asked her to.",
        ],
        "next_step": [
            "{worker} will help {mum} book {child}'s dentist appointment and go with her.",
            "The school will give {children} breakfast club places from Monday.",
        ],
        "grey_area": ["We are not sure whether the family is getting all the benefits they can."],
    },
    {
        "harm": [
            "{mum} has been in hospital twice this year because she was very unwell and wanted "
            "to hurt herself. {children} found her the first time.",
        ],
        "dangers": [
            {
                "who": "{worker} (social worker), {mum}'s mental health nurse and Grandad",
                "about": "When {mum} becomes very unwell, she stays in bed for days, stops eating "
                "and has said she wants to die.",
                "impact": "{children} could be left without anyone to care for them, and could "
                "be frightened and hurt by seeing {mum} so unwell.",
                "goal": "{mum} and the people around her notice early when she is getting unwell, "
                "and a safe grown-up steps in to care for {children} straight away.",
                "seen_by": "Grandad, the mental health nurse and {worker}",
                "dispute": None,
            },
        ],
        "complicating_factor": [
            "{mum} finds it hard to ask for help because she is afraid {children} will be taken "
            "away.",
        ],
        "existing_strength": [
            "{mum} takes her medicine and sees her nurse every two weeks.",
            "{children} know Grandad's phone number by heart.",
        ],
        "existing_safety": [
            "When {mum} felt unwell in January she rang Grandad, who came and stayed for a week.",
        ],
        "next_step": [
            "{mum}, Grandad and {worker} will write down the early signs that {mum} is getting "
            "unwell.",
            "{worker} will do the Three Houses with {child} next week.",
        ],
        "grey_area": ["We don't know who else {children} could go to if Grandad is away."],
    },
    {
        "harm": [
            "{child} went missing overnight four times this year and was found by the police "
            "in a flat with adults the family does not know.",
        ],
        "dangers": [
            {
                "who": "{mum}, {worker} (social worker) and the police",
                "about": "{child} is spending time with older men who give them alcohol and "
                "money and ask them to carry things.",
                "impact": "{child} could be sexually or physically hurt, get into trouble with "
                "the police, and feel they cannot get away from these people.",
                "goal": "{child} comes home every night by the time agreed, tells {mum} where "
                "they are, and spends time with friends and activities they enjoy.",
                "seen_by": "{mum}, the youth worker and {child}'s football coach",
                "dispute": ("{child}", "They're my friends and they look out for me."),
            },
        ],
        "complicating_factor": [
            "{child} has been excluded from school twice and has nothing to do in the day.",
        ],
        "existing_strength": [
            "{child} is close to {mum} and talks to her when they are upset.",
            "{child} loves football and has trials for a local team.",
        ],
        "existing_safety": [
            "{mum} reported {child} missing straight away every time and gave the police "
            "addresses to check.",
        ],
        "next_step": [
            "The youth worker will meet {child} twice a week, starting on Monday.",
            "{worker} and {mum} will go to the school to talk about {child} going back full time.",
        ],
        "grey_area": ["We don't know the names of the men {child} has been meeting."],
    },
]

EXTRA_DANGER = {
    "who": "{worker} (social worker) and the family's GP",
    "about": "{dad} has told people he sometimes smacks {children} hard when they do not listen.",
    "impact": "{children} could be hurt and learn that hitting is how grown-ups sort out problems.",
    "goal": "{mum} and {dad} use calm ways to help {children} behave, like time out and praise, "
    "every day.",
    "seen_by": "The family support worker and the school",
    "dispute": ("{dad}", "A smack never did me any harm."),
}

OVERALL_REASONS = [
    "Things are still very worrying and nothing much has changed yet.",
    "The family have started to work with us and Grandma is helping more.",
    "There has been no trouble for two months and the safety plan is working.",
    "Everyone is doing what the plan says and the children say home feels better.",
    "It's been calm for a long time now and the network checks in every week.",
]
