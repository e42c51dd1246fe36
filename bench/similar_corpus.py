"""Concept notes of a whole government, written by a machine. Used by ``bench.similar_bench``.

Each project builds one system: a kind (forty, from patient registration to parliament records),
four of its kind's words, three features, two regions, and eight names of its own (the places,
units and programmes it serves: made-up words, drawn so that a few are common and most are
rare, as in real writing). Its concept note says so in Swahili, English or both, in sentence
patterns that real concept notes use. Two notes of one system are the same system reworded:
other sentences, other word order, a few of its names left out.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# Each kind: its Swahili name and words, then its English name and the same words in English.
_KINDS = """
    Usajili wa Wagonjwa: wagonjwa hospitali zahanati matibabu daktari mapokezi kliniki
    Patient Registration: patients hospital clinic treatment doctor admission ward
    Usajili wa Wanafunzi: wanafunzi shule walimu mitihani darasa udahili matokeo
    Student Registration: students school teachers examinations classroom enrolment results
    Usajili wa Ardhi: ardhi viwanja hati umiliki ramani mipaka upimaji
    Land Registry: land plots title deeds ownership maps boundaries survey
    Ukusanyaji wa Kodi ya Majengo: kodi majengo halmashauri tathmini wamiliki madeni mapato
    Property Tax Collection: property tax buildings councils valuation owners arrears revenue
    Mishahara ya Watumishi: mishahara watumishi makato ajira posho pensheni hewa
    Payroll: payroll employees deductions employment allowances pension ghost
    Ununuzi wa Umma: zabuni wazabuni mikataba tathmini ununuzi bei manunuzi
    Public Procurement: tenders bidders contracts evaluation procurement prices purchasing
    Mashauri ya Mahakama: mahakama mashauri kesi majaji hukumu majalada vikao
    Court Case Management: court cases judges judgments files hearings litigants
    Leseni za Biashara: leseni biashara wafanyabiashara vibali ada usajili kampuni
    Business Licensing: licences business traders permits fees registration companies
    Hali ya Hewa kwa Wakulima: wakulima mvua utabiri mazao msimu kilimo ukame
    Weather for Farmers: farmers rainfall forecast crops season agriculture drought
    Vizazi na Vifo: vizazi vifo vyeti kuzaliwa wazazi takwimu msajili
    Births and Deaths: births deaths certificates parents statistics registrar vital
    Rasilimali Watu: watumishi likizo uhamisho vyeo mafunzo utendaji ajira
    Human Resources: staff leave transfers promotions training performance recruitment
    Ukaguzi wa Mizigo: mizigo bandari forodha ukaguzi makontena uondoshaji meli
    Cargo Clearance: cargo port customs inspection containers clearance ships
    Maktaba ya Kidijitali: maktaba vitabu wasomaji majarida machapisho utafiti vyuo
    Digital Library: library books readers journals publications research universities
    Usimamizi wa Magari: magari madereva mafuta matengenezo safari ufuatiliaji gereji
    Fleet Management: vehicles drivers fuel maintenance trips tracking garage
    Bima ya Afya: bima wanachama madai vituo michango huduma afya
    Health Insurance: insurance members claims facilities contributions benefits health
    Ugavi wa Dawa: dawa bohari akiba vifaa tiba usambazaji maghala
    Medicine Supply: medicines stores stock supplies distribution warehouses pharmacy
    Malipo ya Maji: maji bili mita wateja mamlaka uunganishaji matumizi
    Water Billing: water bills meters customers utility connections consumption
    Vibali vya Utalii: utalii hifadhi wageni vibali viingilio watalii mbuga
    Tourism Permits: tourism parks visitors permits entry tourists wildlife
    Leseni za Uvuvi: uvuvi wavuvi vyombo samaki leseni bahari maziwa
    Fisheries Licensing: fisheries fishermen vessels fish licences ocean lakes
    Viza za Kielektroniki: viza uhamiaji wasafiri pasipoti mipaka vibali wageni
    Electronic Visa: visa immigration travellers passports borders permits foreigners
    Ruzuku ya Pembejeo: pembejeo mbolea mbegu ruzuku vocha wakulima mawakala
    Input Subsidy: inputs fertiliser seeds subsidy vouchers farmers agents
    Ugawaji wa Walimu: walimu ugawaji shule uhaba wanafunzi ajira vituo
    Teacher Deployment: teachers deployment schools shortage pupils hiring stations
    Benki ya Damu: damu wachangiaji hospitali akiba makundi usalama utoaji
    Blood Bank: blood donors hospitals stock groups safety transfusion
    Usajili wa Vyombo vya Moto: vyombo moto usajili namba leseni udereva ukaguzi
    Vehicle Registration: vehicles motor registration plates licence driving inspection
    Kumbukumbu za Taifa: nyaraka kumbukumbu hifadhi kuchanganua utafutaji historia
    National Archives: archives records preservation scanning search history
    Mikopo ya Elimu ya Juu: mikopo wanafunzi vyuo marejesho waombaji udahili ada
    Student Loans: loans students universities repayment applicants admission fees
    Huduma za Ugani: ugani maafisa wakulima mifugo ushauri mashamba vikundi
    Extension Services: extension officers farmers livestock advice farms groups
    Usimamizi wa Misitu: misitu mbao vibali uvunaji hifadhi miti doria
    Forest Management: forests timber permits harvesting conservation trees patrols
    Nishati Vijijini: umeme vijiji wateja nguzo uunganishaji nishati jua
    Rural Energy: electricity villages customers poles connections energy solar
    Mawasiliano ya Dharura: dharura zimamoto polisi simu ajali uokoaji matukio
    Emergency Response: emergency fire police calls accidents rescue incidents
    Ukaguzi wa Chakula: chakula ukaguzi viwanda sampuli vyeti ubora maabara
    Food Safety Inspection: food inspection factories samples certificates quality laboratory
    Takwimu za Kilimo: takwimu kilimo mavuno mazao masoko bei tafiti
    Agricultural Statistics: statistics agriculture harvest crops markets prices surveys
    Usajili wa Vyama vya Ushirika: ushirika vyama wanachama hisa mikutano ukaguzi hesabu
    Cooperative Registry: cooperatives societies members shares meetings audit accounts
    Usafiri wa Reli: reli tiketi abiria safari treni vituo ratiba
    Railway Ticketing: railway tickets passengers journeys trains stations timetable
    Mizani ya Barabara: mizani barabara malori uzito faini madereva vituo
    Axle Load Control: weighbridge roads trucks weight fines drivers stations
    Hifadhi ya Jamii: hifadhi jamii wanachama michango mafao waajiri pensheni
    Social Security: social security members contributions benefits employers pension
    Ukaguzi wa Hesabu: ukaguzi hesabu taarifa hoja wakaguzi fedha matumizi
    Public Audit: audit accounts reports queries auditors funds expenditure
    Mipango Miji: mipango miji vibali ujenzi michoro maeneo makazi
    Urban Planning: planning urban permits construction drawings zones housing
    Chanjo za Watoto: chanjo watoto mama kliniki ratiba wahudumu afya
    Child Immunisation: vaccines children mothers clinics schedule workers immunisation
    Mawasiliano ya Bunge: bunge wabunge hansard miswada maswali vikao kamati
    Parliament Records: parliament members hansard bills questions sittings committees
"""
# Features, Swahili | English, two to a line.
_FEATURES = """
    ujumbe mfupi | SMS alerts ; huduma ya USSD | USSD access
    utambuzi wa kibiometriki | biometric identification ; dashibodi | dashboards
    ramani za GIS | GIS maps ; msimbo wa QR | QR codes
    ankara | invoicing ; arifa kwa barua pepe | e-mail notifications
    kadi janja | smart cards ; saini za kidijitali | digital signatures
    kituo cha simu | call centre ; tovuti ya wananchi | citizen portal
    programu ya simu | mobile app ; ripoti za kila mwezi | monthly reports
    ukaguzi wa ndani | internal audit trail ; uhifadhi wa nakala | backups
    malipo kwa simu | mobile money payments ; foleni za kielektroniki | electronic queueing
    usajili binafsi | self-registration ; uthibitisho wa nyaraka | document verification
    takwimu za wakati halisi | live statistics ; ufuatiliaji wa malalamiko | complaints tracking
    ratiba za miadi | appointment booking ; uchambuzi wa takwimu | data analytics
    kiolesura cha API | open APIs ; hifadhi ya wingu | cloud hosting
    kanzidata ya pamoja | shared registry ; uthibitishaji wa hatua mbili | two-factor login
    maktaba ya fomu | form library ; vibali vya kielektroniki | e-permits
    vitambulisho vya wafanyakazi | staff badges ; mafunzo mtandaoni | e-learning
    ujumbe wa sauti | voice messages ; uchapishaji wa vyeti | certificate printing
    ukusanyaji nje ya mtandao | offline capture ; ramani za njia | route planning
    tathmini ya vihatarishi | risk scoring ; mrejesho wa wateja | customer feedback
    sensa za IoT | IoT sensors ; kumbukumbu za picha | photo evidence
"""


def _kinds() -> list[tuple[str, list[str], str, list[str]]]:
    lines = [line.split(":") for line in _KINDS.strip().splitlines()]
    return [
        (sw[0].strip(), sw[1].split(), en[0].strip(), en[1].split())
        for sw, en in zip(lines[::2], lines[1::2], strict=True)
    ]


KINDS = _kinds()
FEATURES = [
    tuple(part.strip() for part in pair.split("|"))
    for line in _FEATURES.strip().splitlines()
    for pair in line.split(";")
]
REGIONS = [
    "Arusha",
    "Dodoma",
    "Geita",
    "Iringa",
    "Kagera",
    "Katavi",
    "Kigoma",
    "Kilimanjaro",
    "Lindi",
    "Manyara",
    "Mara",
    "Mbeya",
    "Morogoro",
    "Mtwara",
    "Mwanza",
    "Njombe",
    "Pwani",
    "Rukwa",
    "Ruvuma",
    "Shinyanga",
    "Simiyu",
    "Singida",
    "Songwe",
    "Tabora",
    "Tanga",
    "Zanzibar",
]
OTHER_SYSTEMS = ["GoTHOMIS", "MUSE", "HCMIS", "GePG", "NeST", "e-Mrejesho", "TANePS", "LGRCIS"]

SW_PROBLEM = [
    "Kwa sasa {a} hufanyika kwa karatasi na kumbukumbu za {b} hupotea mara kwa mara.",
    "Wananchi hukaa foleni ndefu ofisini ili kupata huduma za {a} na {b}.",
    "Hakuna kanzidata moja ya {a}; kila ofisi ya mkoa ina orodha yake ya {b}.",
    "Ripoti za {a} huchelewa na maamuzi kuhusu {b} hufanywa bila takwimu sahihi.",
    "Mapato hupotea kwa sababu {a} hazifuatiliwi na {b} hazikaguliwi kwa wakati.",
    "Taarifa za {a} hazibadilishani na mifumo mingine hivyo {b} huingizwa mara mbili.",
]
SW_SOLUTION = [
    "Kujenga mfumo wa kielektroniki wa {a} utakaounganishwa na mifumo mingine kupitia GovESB.",
    "Kutumia namba ya NIDA kutambua {a} na malipo ya {b} kufanyika kupitia GePG.",
    "Kuweka kanzidata moja ya {a} na {b} inayopatikana kwa mtandao na simu za mkononi.",
    "Kutoa ripoti za {a} kwa wakati halisi kwa viongozi na kuwezesha ufuatiliaji wa {b}.",
    "Kuhifadhi mfumo katika kituo cha data cha serikali na kuwafundisha watumishi wa {a}.",
]
EN_PROBLEM = [
    "Today {a} is handled on paper and the records of {b} are often lost.",
    "Citizens queue for hours at offices to obtain {a} and {b} services.",
    "There is no single database of {a}; each regional office keeps its own list of {b}.",
    "Reports on {a} are late and decisions about {b} are made without reliable data.",
    "Revenue is lost because {a} are not tracked and {b} are not checked in time.",
    "Data on {a} is not shared with other systems, so {b} are captured twice.",
]
EN_SOLUTION = [
    "Build an electronic platform for {a} integrated with other systems through GovESB.",
    "Use the NIDA number to identify {a} and collect payments for {b} through GePG.",
    "Keep one database of {a} and {b} reachable on the web and on mobile phones.",
    "Give managers real-time reports on {a} and make {b} traceable.",
    "Host the platform in the government data centre and train the staff handling {a}.",
]
SW_DETAILS = [
    "Mfumo utakuwa na {f1}, {f2} na {f3}.",
    "Utaanza katika mikoa ya {r1} na {r2} kabla ya kuenea nchi nzima.",
    "Mradi unahusu {n1}, {n2} na {n3}, pamoja na vituo vya {n4} na {n5}.",
    "Wadau wakuu ni {n6}, {n7} na {n8}.",
]
EN_DETAILS = [
    "It will offer {f1}, {f2} and {f3}.",
    "The rollout starts in the {r1} and {r2} regions before going nationwide.",
    "It covers {n1}, {n2} and {n3}, and the {n4} and {n5} centres.",
    "The main stakeholders are {n6}, {n7} and {n8}.",
]

_SYLLABLES = [c + v for c in "bdfghjklmnprstvwyz" for v in "aeiou"] + ["mba", "nda", "ngo"]
# Names of places, units and programmes: rank r is drawn with weight 1/r (Zipf).
_NAMES = sorted(
    {"".join(random.Random(7 + i).choices(_SYLLABLES, k=3)).title() for i in range(30_000)}
)
_NAME_WEIGHTS = [1 / rank for rank in range(1, len(_NAMES) + 1)]


@dataclass(frozen=True)
class System:
    """What makes one system itself."""

    kind: int
    words: tuple[str, ...]  # four Swahili, then the same four in English
    features: tuple[int, ...]
    regions: tuple[str, ...]
    names: tuple[str, ...]
    language: str


@dataclass(frozen=True)
class Note:
    name: str
    problem: str
    solution: str
    alternatives: str
    system: System


def system(rng: random.Random, kind: int) -> System:
    _sw_name, sw_all, _en_name, en_all = KINDS[kind]
    picks = sorted(rng.sample(range(len(sw_all)), 4))
    return System(
        kind=kind,
        words=tuple(sw_all[i] for i in picks) + tuple(en_all[i] for i in picks),
        features=tuple(rng.sample(range(len(FEATURES)), 3)),
        regions=tuple(rng.sample(REGIONS, 2)),
        names=tuple(rng.choices(_NAMES, weights=_NAME_WEIGHTS, k=8)),
        language=rng.choices(["sw", "en", "both"], weights=[45, 25, 30])[0],
    )


def _sentences(rng: random.Random, patterns: list[str], words: list[str], n: int) -> str:
    chosen = rng.sample(patterns, n)
    return " ".join(p.format(a=rng.choice(words), b=rng.choice(words)) for p in chosen)


def _details(rng: random.Random, patterns: list[str], s: System, lang: int) -> str:
    features = [FEATURES[f][lang] for f in s.features]
    names = rng.sample(s.names, len(s.names))
    names[-2:] = [rng.choice(_NAMES), rng.choice(_NAMES)]  # reworded: two names differ
    values = {f"n{i + 1}": name for i, name in enumerate(names)}
    values.update(f1=features[0], f2=features[1], f3=features[2])
    values.update(r1=s.regions[0], r2=s.regions[1])
    return " ".join(p.format(**values) for p in patterns)


def note(rng: random.Random, s: System) -> Note:
    """A concept note of this system, in words drawn afresh."""
    sw_name, _sw, en_name, _en = KINDS[s.kind]
    sw_words, en_words = list(s.words[:4]), list(s.words[4:])
    problem, solution = [], []
    if s.language in ("sw", "both"):
        problem.append(_sentences(rng, SW_PROBLEM, sw_words, 3))
        solution.append(_sentences(rng, SW_SOLUTION, sw_words, 3))
        solution.append(_details(rng, SW_DETAILS, s, 0))
    if s.language in ("en", "both"):
        problem.append(_sentences(rng, EN_PROBLEM, en_words, 3))
        solution.append(_sentences(rng, EN_SOLUTION, en_words, 3))
        solution.append(_details(rng, EN_DETAILS, s, 1))
    qualifier = rng.choice(["Mfumo wa", "Mfumo Jumuishi wa", "Mfumo wa Kielektroniki wa", ""])
    name = f"{qualifier} {sw_name}" if s.language != "en" else f"{en_name} System"
    name = f"{name.strip()} — {rng.choice(s.names[:3])}"
    others = ", ".join(rng.sample(OTHER_SYSTEMS, 2))
    alternatives = (
        f"Tuliangalia {others} lakini haitoshelezi mahitaji ya {s.words[1]}."
        if s.language != "en"
        else f"We looked at {others} but they do not cover {s.words[5]}."
    )
    return Note(name, " ".join(problem), " ".join(solution), alternatives, s)
