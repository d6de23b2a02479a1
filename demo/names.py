"""Invented names for the synthetic agency, grouped so that a family's names fit its heritage.

Every name here is common in England; no combination is meant to be a real person."""

# Ethnicity codes (people.codes.Ethnicity) weighted roughly like the children-in-need population.
ETHNICITY_WEIGHTS = {
    "WBRI": 62,
    "WOTH": 6,
    "WIRI": 1,
    "WIRT": 1,
    "WROM": 1,
    "MWBC": 3,
    "MWBA": 1,
    "MWAS": 1,
    "MOTH": 2,
    "AIND": 2,
    "APKN": 5,
    "ABAN": 2,
    "AOTH": 1,
    "BCRB": 2,
    "BAFR": 5,
    "BOTH": 1,
    "CHNE": 1,
    "OOTH": 2,
    "REFU": 1,
}

# Which pool of names a person with that ethnicity code is given.
NAME_GROUP = {
    "WBRI": "british",
    "WIRI": "irish",
    "WIRT": "irish",
    "WOTH": "european",
    "WROM": "european",
    "MWBC": "caribbean",
    "MWBA": "african",
    "MWAS": "south_asian",
    "MOTH": "other",
    "AIND": "south_asian",
    "APKN": "south_asian",
    "ABAN": "south_asian",
    "AOTH": "south_asian",
    "BCRB": "caribbean",
    "BAFR": "african",
    "BOTH": "caribbean",
    "CHNE": "chinese",
    "OOTH": "other",
    "REFU": "british",
    "NOBT": "british",
}

# The code a child of two parents from different groups is recorded with.
MIXED = {
    frozenset({"british", "caribbean"}): "MWBC",
    frozenset({"british", "african"}): "MWBA",
    frozenset({"british", "south_asian"}): "MWAS",
}

NAMES = {
    "british": {
        "surnames": [
            "Hughes", "Walsh", "Price", "Reid", "Turner", "Evans", "Fraser", "Baker", "Jones",
            "Lewis", "Clarke", "Thompson", "Booth", "Wilson", "Harris", "Robinson", "Wright",
            "Hall", "Green", "Wood", "Carter", "Mitchell", "Marsh", "Barker", "Holt", "Pearson",
            "Dixon", "Lambert", "Whitfield", "Jackson", "Bennett", "Cooper", "Ellis", "Fletcher",
        ],
        "women": [
            "Jade", "Sarah", "Kelly", "Emma", "Laura", "Claire", "Gemma", "Rachel", "Chantelle",
            "Stacey", "Kirsty", "Leanne", "Hayley", "Danielle", "Charlotte", "Amy", "Lauren",
        ],
        "men": [
            "Dean", "Mark", "Lee", "Daniel", "Craig", "Ryan", "Adam", "Shane", "Paul", "Darren",
            "Jamie", "Liam", "Scott", "Carl", "Gary", "Kyle", "Wayne",
        ],
        "girls": [
            "Amelia", "Isla", "Freya", "Lily", "Ruby", "Grace", "Poppy", "Evie", "Ella", "Millie",
            "Olivia", "Harper", "Rosie", "Maisie", "Willow", "Ivy",
        ],
        "boys": [
            "Leo", "Noah", "Oliver", "Harry", "Jack", "Theo", "Oscar", "Alfie", "Tyler", "Dylan",
            "Charlie", "George", "Archie", "Freddie", "Riley", "Mason",
        ],
        "elders_women": ["Pat", "Linda", "Susan", "Carol", "Julie", "Karen", "Denise"],
        "elders_men": ["Tony", "Dave", "Keith", "Steve", "Mick", "Alan"],
    },
    "irish": {
        "surnames": ["Murphy", "Doherty", "Byrne", "Connors", "McDonagh", "Ward", "O'Brien"],
        "women": ["Siobhan", "Bridget", "Mary", "Kathleen", "Margaret", "Nora"],
        "men": ["Patrick", "Michael", "John", "Martin", "Sean", "Francis"],
        "girls": ["Saoirse", "Kathleen", "Bridget", "Mary", "Roisin", "Niamh"],
        "boys": ["Patrick", "Michael", "Martin", "Sean", "Cian", "Tommy"],
        "elders_women": ["Bridie", "Maureen", "Peggy"],
        "elders_men": ["Paddy", "Joe", "Jimmy"],
    },
    "european": {
        "surnames": [
            "Nowak", "Popescu", "Horvath", "Balogh", "Ionescu", "Dumitru", "Kaczmarek", "Wojcik",
            "Mazur", "Krawczyk", "Petrova", "Rusu",
        ],
        "women": ["Agnieszka", "Magdalena", "Ioana", "Elena", "Katarzyna", "Monika", "Andreea"],
        "men": ["Tomasz", "Piotr", "Andrei", "Marius", "Lukasz", "Florin", "Bogdan"],
        "girls": ["Zofia", "Maja", "Alexandra", "Natalia", "Lena", "Daria", "Bianca"],
        "boys": ["Jakub", "Filip", "Antoni", "Luca", "David", "Stefan", "Matei"],
        "elders_women": ["Halina", "Maria", "Ana"],
        "elders_men": ["Jan", "Gheorghe", "Zbigniew"],
    },
    "south_asian": {
        "surnames": [
            "Hussain", "Khan", "Ahmed", "Ali", "Mahmood", "Rahman", "Iqbal", "Akhtar", "Sharma",
            "Patel", "Chowdhury", "Uddin", "Miah", "Begum", "Mistry", "Bibi",
        ],
        "women": ["Fatima", "Nadia", "Ayesha", "Shazia", "Rukhsana", "Priya", "Sunita", "Nasreen"],
        "men": ["Imran", "Mohammed", "Tariq", "Asif", "Rajesh", "Sanjay", "Shahid", "Abdul"],
        "girls": ["Maryam", "Zara", "Aisha", "Amira", "Hafsa", "Inaya", "Anaya", "Sana"],
        "boys": ["Muhammad", "Ibrahim", "Yusuf", "Ayaan", "Zayn", "Rayan", "Arjun", "Hamza"],
        "elders_women": ["Shamim", "Parveen", "Kamla"],
        "elders_men": ["Bashir", "Rafiq", "Mohan"],
    },
    "african": {
        "surnames": [
            "Okafor", "Mensah", "Osei", "Adeyemi", "Boateng", "Okonkwo", "Nwosu", "Asante",
            "Mohamed", "Abdi", "Tesfaye", "Bangura",
        ],
        "women": ["Blessing", "Grace", "Abena", "Chioma", "Funmi", "Amina", "Hodan", "Esther"],
        "men": ["Kwame", "Emmanuel", "Chinedu", "Kofi", "Tunde", "Abdirahman", "Samuel"],
        "girls": ["Adaeze", "Esther", "Zainab", "Ama", "Deborah", "Favour", "Ife"],
        "boys": ["David", "Joshua", "Daniel", "Kayden", "Tobi", "Ethan", "Caleb"],
        "elders_women": ["Comfort", "Patience", "Halima"],
        "elders_men": ["Joseph", "Yaw", "Ahmed"],
    },
    "caribbean": {
        "surnames": ["Campbell", "Brown", "Williams", "Francis", "Grant", "Thomas", "Bailey"],
        "women": ["Shanice", "Marcia", "Tanisha", "Natalie", "Kerry-Ann", "Simone"],
        "men": ["Jamal", "Marcus", "Andre", "Leon", "Delroy", "Tyrone"],
        "girls": ["Jada", "Nia", "Aaliyah", "Tia", "Kiara", "Imani"],
        "boys": ["Jayden", "Kai", "Malachi", "Reuben", "Tyrell", "Josiah"],
        "elders_women": ["Beverley", "Hyacinth", "Gloria"],
        "elders_men": ["Winston", "Errol", "Clive"],
    },
    "chinese": {
        "surnames": ["Chen", "Wong", "Li", "Zhang", "Lam"],
        "women": ["Mei", "Jing", "Hui", "Ling"],
        "men": ["Wei", "Jun", "Kevin", "Hao"],
        "girls": ["Chloe", "Emily", "Mia", "Yan"],
        "boys": ["Ethan", "Lucas", "Jayden", "Ming"],
        "elders_women": ["Lai", "Fong"],
        "elders_men": ["Kwok", "Man"],
    },
    "other": {
        "surnames": ["Hassan", "Karimi", "Santos", "Reyes", "Ahmadi", "Mustafa", "Haddad"],
        "women": ["Layla", "Maria", "Noor", "Sara", "Rojin", "Joy"],
        "men": ["Omar", "Ali", "Jose", "Karwan", "Samir", "Mark"],
        "girls": ["Layla", "Sofia", "Hana", "Mia", "Lara"],
        "boys": ["Omar", "Adam", "Yusuf", "Elias", "Ari"],
        "elders_women": ["Fatma", "Rosa"],
        "elders_men": ["Hassan", "Eduardo"],
    },
}  # fmt: skip

NURSERIES = ["Little Acorns Nursery", "Brookfield Children's Centre nursery", "Tiny Steps Nursery"]
PRIMARY_SCHOOLS = [
    "St Mary's Primary School",
    "Moorside Primary School",
    "Hollins Lane Primary School",
    "Northmoor Juniors",
    "Castle Hill Primary School",
]
SECONDARY_SCHOOLS = ["Oakfield Academy", "Northmoor High School", "St Bede's Catholic College"]

# Staff of the three demo teams and the agency-wide roles. Usernames are what people sign in with.
TEAMS = [
    ("Riverside child protection team", "child_protection"),
    ("Northgate children in need team", "children_in_need"),
    ("Family help early help team", "early_help"),
]
STAFF = [
    # username, first name, last name, role, job title, team index (None: works agency-wide)
    ("sw.amara", "Amara", "Okonjo", "social_worker", "Senior social worker", 0),
    ("sw.ben", "Ben", "Hartley", "social_worker", "Social worker", 0),
    ("sw.chloe", "Chloe", "Ward", "social_worker", "Social worker", 0),
    ("sw.dev", "Dev", "Sharma", "social_worker", "Social worker", 1),
    ("sw.ewa", "Ewa", "Zielinska", "social_worker", "Social worker", 1),
    ("sw.farid", "Farid", "Rahman", "social_worker", "Newly qualified social worker", 1),
    ("sw.grace", "Grace", "Mensah", "social_worker", "Family support worker", 2),
    ("sw.harry", "Harry", "Lloyd", "social_worker", "Family support worker", 2),
    ("sw.imogen", "Imogen", "Shaw", "social_worker", "Family support worker", 2),
    ("tm.kate", "Kate", "Brennan", "team_manager", "Team manager", 0),
    ("tm.louis", "Louis", "Achebe", "team_manager", "Team manager", 1),
    ("tm.megan", "Megan", "Price", "team_manager", "Team manager", 2),
    ("chair.nina", "Nina", "Kaur", "conference_chair", "Child protection chair", None),
    ("lead.olu", "Olu", "Adebayo", "practice_lead", "Principal social worker", None),
    ("leader.priya", "Priya", "Desai", "senior_leader", "Head of children's social care", None),
    ("analyst.quinn", "Quinn", "Morgan", "performance_analyst", "Performance analyst", None),
    ("admin.rosa", "Rosa", "Fernandes", "administrator", "Systems administrator", None),
]
# Names for the extra teams a larger synthetic agency gets.
TEAM_AREAS = [
    "Eastfield", "Westbrook", "Hillside", "Moorgate", "Canal Side", "Kingsway", "Parkview",
    "Ashton", "Millbrook", "Southdown", "Harbour", "Greenlane", "Beacon", "Fairfield",
]  # fmt: skip
STAFF_FIRST = [
    "Aaliyah", "Bethan", "Callum", "Deepa", "Eilidh", "Femi", "Georgia", "Hamid", "Ines",
    "Jonah", "Kiran", "Lucy", "Mohammed", "Niamh", "Owen", "Parveen", "Rhys", "Sade",
    "Tomasz", "Uzma", "Victoria", "Wes", "Yasmin", "Zoe",
]  # fmt: skip
STAFF_LAST = [
    "Acheampong", "Bradley", "Chaudhry", "Davies", "Egan", "Forde", "Gill", "Hammond",
    "Iwu", "Jennings", "Kowalczyk", "Lynch", "Mbeki", "Nicholls", "O'Neill", "Pryce",
]  # fmt: skip
