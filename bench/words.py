"""Word lists for generated text: enough distinct lexemes that full-text search is realistic."""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Amina Anders Andrei Ana Aziz Beatriz Bogdan Carlos Chen Chidi Claire Dmitri Elena Emeka "
    "Farid Fatima Giulia Hana Hans Ibrahim Ines Ivan Jakob Jamal Joao Julia Kamala Karim "
    "Kenji Lars Leila Li Lucia Malik Maria Marco Mariam Mehmet Mikhail Nadia Naveen Nikolai "
    "Noor Olena Omar Pablo Petra Priya Rashid Rosa Samir Sara Sergei Sofia Tariq Thomas "
    "Ursula Viktor Wei Yasmin Yuki Zainab Zoltan Abdullah Agnieszka Alejandro Boris Catalina "
    "Dario Esther Felipe"
)

LAST_NAMES = _words(
    "Abbas Adeyemi Alvarez Andersen Baker Bauer Becker Bianchi Carter Chowdhury Costa Dubois "
    "Eriksen Fernandez Fischer Garcia Haddad Hoffmann Hussain Ivanov Jansen Kaya Khan Kim "
    "Kowalski Kuznetsov Larsen Lebedev Lopez Mahmoud Martin Mendes Moreau Muller Nakamura "
    "Nguyen Novak Okafor Olsen Orlov Park Petrov Popescu Qureshi Rahman Rossi Santos Schmidt "
    "Sokolov Suzuki Tanaka Toure Usman Varga Vasquez Wagner Wang Weber Yilmaz Zhang Zielinski "
    "Horvath Lindqvist"
)

# Subjects, verbs and objects for titles ("Germany pledges humanitarian aid to Sudan").
TITLE_VERBS = (
    "announces",
    "pledges",
    "suspends",
    "resumes",
    "condemns",
    "welcomes",
    "signs",
    "rejects",
    "proposes",
    "hosts",
    "imposes",
    "lifts",
    "extends",
    "ratifies",
    "recognises",
    "expels",
    "deploys",
    "withdraws",
    "negotiates",
    "endorses",
    "criticises",
    "approves",
    "blocks",
    "vetoes",
    "mediates",
    "restores",
    "freezes",
    "doubles",
    "reviews",
    "postpones",
)

TITLE_OBJECTS = (
    "humanitarian aid",
    "military assistance",
    "sanctions package",
    "trade agreement",
    "ceasefire proposal",
    "peace talks",
    "arms embargo",
    "loan guarantee",
    "refugee programme",
    "energy deal",
    "nuclear inspections",
    "border treaty",
    "security pact",
    "grain corridor",
    "debt relief",
    "election observers",
    "fisheries accord",
    "climate pledge",
    "visa regime",
    "investment fund",
    "naval exercises",
    "export controls",
    "diplomatic mission",
    "intelligence sharing",
    "reconstruction plan",
    "vaccine donations",
    "water-sharing accord",
    "tariff schedule",
    "migration compact",
    "cyber-security dialogue",
    "air-defence systems",
    "food security initiative",
    "pipeline project",
    "monitoring mission",
    "prisoner exchange",
)

PREPOSITIONS = ("to", "with", "against", "for", "on", "over", "towards", "alongside")

# Vocabulary for summaries: nouns, verbs, adjectives and adverbs of foreign-policy reporting.
NOUNS = _words(
    "agreement accord alliance ambassador amendment armistice assembly audit authority "
    "blockade budget bureau cabinet campaign capital cargo charter coalition commission "
    "committee communique compromise concession conference consensus constitution consulate "
    "convoy corridor council coup court crisis declaration delegation deployment detainee "
    "dialogue directive dispute doctrine donor drought economy election embargo embassy "
    "emergency envoy evacuation exercise famine federation finance flotilla framework "
    "frontier garrison government grain grant guarantee harbour hostage inflation "
    "infrastructure initiative inquiry inspection insurgency investment judiciary junta "
    "legislature loan mandate memorandum militia minister ministry mission moratorium "
    "negotiation neutrality observer offensive oil opposition ordinance outbreak parliament "
    "partnership peacekeeper pipeline plebiscite pledge policy port premier presidency "
    "prosecutor protest protocol province quota ratification referendum reform refugee regime "
    "region resolution revenue sanction satellite secretariat security settlement sovereignty "
    "spokesperson stockpile strike subsidy summit surveillance tariff taskforce territory "
    "treaty tribunal troops truce uprising veto vessel warship withdrawal workforce"
)

VERBS = _words(
    "accepted adopted announced approved argued blocked called cancelled cited confirmed "
    "convened criticised debated declared delayed demanded denied deployed disputed drafted "
    "endorsed escalated established expanded extended financed forecast granted halted "
    "imposed increased insisted launched lifted monitored negotiated objected opened "
    "postponed proposed protested ratified reaffirmed recalled reduced rejected released "
    "renewed reported requested restored resumed reviewed signed stated suspended threatened "
    "urged verified vetoed warned welcomed withdrew"
)

ADJECTIVES = _words(
    "bilateral binding civilian coastal collective conditional contested cross-border "
    "decisive diplomatic disputed domestic economic emergency federal fragile humanitarian "
    "informal interim joint landmark lasting legal maritime military multilateral national "
    "naval northern nuclear official partial permanent preliminary provisional regional "
    "renewed sectoral sovereign southern strategic substantial symbolic technical temporary "
    "unanimous unprecedented urgent western eastern"
)

ADVERBS = _words(
    "abruptly briefly cautiously formally firmly jointly narrowly openly partially publicly "
    "quietly reluctantly repeatedly sharply swiftly unanimously unexpectedly"
)

CITIES = _words(
    "Abuja Addis-Ababa Ankara Astana Baghdad Bamako Bangkok Beijing Beirut Belgrade Berlin "
    "Bogota Brasilia Brussels Bucharest Budapest Cairo Caracas Damascus Dhaka Doha Geneva "
    "Hanoi Havana Helsinki Islamabad Jakarta Kabul Khartoum Kyiv Lagos Lima Lisbon London "
    "Madrid Manila Minsk Moscow Nairobi New-Delhi New-York Oslo Ottawa Paris Pretoria Riyadh "
    "Rome Santiago Seoul Singapore Stockholm Taipei Tashkent Tbilisi Tehran Tokyo Tripoli "
    "Vienna Warsaw Washington Yerevan"
)
CITIES = tuple(city.replace("-", " ") for city in CITIES)  # "New-York": one item above

PUBLISHERS = (
    ("Reuters", "reuters.example.com"),
    ("Associated Press", "apnews.example.com"),
    ("Agence France-Presse", "afp.example.com"),
    ("The Guardian", "guardian.example.co.uk"),
    ("Le Monde", "lemonde.example.fr"),
    ("Kyiv Independent", "kyivindependent.example.com"),
    ("Al Jazeera", "aljazeera.example.com"),
    ("UN News", "news.un.example.org"),
    ("US Department of State", "state.example.gov"),
    ("Foreign, Commonwealth and Development Office", "fcdo.example.gov.uk"),
    ("Deutsche Welle", "dw.example.com"),
    ("Nikkei Asia", "asia.nikkei.example.com"),
)
