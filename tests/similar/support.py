"""Projects to compare: a patient-registration system, its near-duplicate at another
institution, and thirty other systems of the government, some sharing words with it."""

from __future__ import annotations

import itertools
from typing import Any

from django.utils import timezone

from similar.indexing import similar_index_project
from tests.helpers import attach_required, complete_data, drive, make_user, new_document
from workflow.models import Document, Institution, Project, Role
from workflow.services import document_update

PATIENTS = {
    "name": "Mfumo wa Kielektroniki wa Usajili wa Wagonjwa",
    "project_title": "Mfumo wa Kielektroniki wa Usajili wa Wagonjwa (e-Usajili)",
    "problem_statement": (
        "Hospitali za rufaa husajili wagonjwa kwa karatasi. Wagonjwa hukaa foleni ndefu "
        "mapokezi, kumbukumbu za matibabu hupotea na daktari hawezi kuona historia ya mgonjwa "
        "aliyetibiwa hospitali nyingine. Patients queue for hours at registration and their "
        "medical records are lost."
    ),
    "proposed_solution": (
        "Kujenga mfumo wa kielektroniki wa kusajili wagonjwa kwa namba ya NIDA, kuhifadhi "
        "kumbukumbu za matibabu kwa pamoja na kuunganisha hospitali zote kupitia GovESB. "
        "An electronic patient registration with a shared medical record."
    ),
    "alternatives_considered": "GoTHOMIS ina usajili wa wagonjwa lakini haiunganishi hospitali.",
    # Form version 2 asks for the similar systems as a table; "Hakuna" (none) says nothing.
    "similar_systems": [{"system": "Hakuna", "owner": "Hakuna", "why_not_reused": "Hakuna."}],
}

# The same system, written by another institution in its own words.
NEAR_DUPLICATE = {
    "name": "Usajili wa Wagonjwa katika Vituo vya Afya",
    "project_title": "Usajili wa wagonjwa kidijitali",
    "problem_statement": (
        "Zahanati na vituo vya afya vinasajili wagonjwa kwenye madaftari. Foleni za mapokezi "
        "ni ndefu na kumbukumbu za matibabu ya mgonjwa hazipatikani anapohamia kituo kingine. "
        "Registration of patients is manual and medical records go missing."
    ),
    "proposed_solution": (
        "Mfumo wa kusajili wagonjwa kielektroniki utakaotumia namba ya NIDA na kuhifadhi "
        "historia ya matibabu, ukiunganishwa na GovESB. Electronic registration of patients "
        "and of their medical records."
    ),
    "alternatives_considered": "Tuliangalia GoTHOMIS na AfyaCare.",
    "similar_systems": [
        {"system": "AfyaCare", "owner": "Wizara", "why_not_reused": "Haiwafikii zahanati ndogo."}
    ],
}

# (name, problem, solution): other systems, several sharing a word or two with the patients'.
DECOYS: list[tuple[str, str, str]] = [
    (
        "Mfumo wa Usajili wa Wanafunzi",
        "Shule husajili wanafunzi kwa karatasi na matokeo ya mitihani huchelewa.",
        "Usajili wa wanafunzi mtandaoni kwa namba ya NIDA ya mzazi.",
    ),
    (
        "Mfumo wa Usajili wa Ardhi",
        "Hati za ardhi hupotea na migogoro ya mipaka ni mingi.",
        "Daftari la kielektroniki la umiliki wa ardhi na ramani za viwanja.",
    ),
    (
        "Usimamizi wa Magari ya Hospitali",
        "Magari ya wagonjwa hayafuatiliwi na mafuta hutumika vibaya.",
        "Ufuatiliaji wa magari kwa GPS na kumbukumbu za matengenezo.",
    ),
    (
        "Malipo ya Huduma za Afya",
        "Hospitali hupoteza mapato kwa sababu malipo hufanywa kwa fedha taslimu.",
        "Malipo ya kielektroniki kupitia GePG kwa kila huduma.",
    ),
    (
        "Mnyororo wa Ugavi wa Dawa",
        "Vituo vya afya hukosa dawa wakati bohari lina akiba.",
        "Taarifa za akiba ya dawa kwa wakati halisi kutoka bohari hadi zahanati.",
    ),
    (
        "Ukusanyaji wa Kodi ya Majengo",
        "Halmashauri hazina orodha kamili ya majengo yanayolipa kodi.",
        "Orodha ya majengo yenye ramani na malipo ya kodi kwa simu.",
    ),
    (
        "Mfumo wa Mishahara ya Watumishi",
        "Watumishi hewa hulipwa mishahara na makato hayalingani.",
        "Mishahara hulipwa kwa taarifa za kibiometriki za watumishi.",
    ),
    (
        "Ununuzi wa Umma Mtandaoni",
        "Zabuni hupokelewa kwa karatasi na tathmini huchukua miezi.",
        "Zabuni, tathmini na mikataba mtandaoni kupitia NeST.",
    ),
    (
        "Usimamizi wa Mashauri ya Mahakama",
        "Majalada ya kesi hupotea na mashauri huahirishwa mara nyingi.",
        "Kusajili mashauri na kupanga vikao vya mahakama kielektroniki.",
    ),
    (
        "Leseni za Biashara",
        "Wafanyabiashara husafiri mbali kupata leseni za biashara.",
        "Maombi na malipo ya leseni mtandaoni kwa namba ya NIDA.",
    ),
    (
        "Taarifa za Hali ya Hewa kwa Wakulima",
        "Wakulima hawapati utabiri wa mvua kwa wakati.",
        "Ujumbe mfupi wa utabiri wa hali ya hewa kwa wakulima.",
    ),
    (
        "Usajili wa Vizazi na Vifo",
        "Vyeti vya kuzaliwa huchukua miezi kutolewa na kumbukumbu hupotea.",
        "Kusajili vizazi na vifo hospitalini na kutoa vyeti kielektroniki.",
    ),
    (
        "Mfumo wa Rasilimali Watu",
        "Taarifa za watumishi zimetawanyika katika majalada.",
        "Kumbukumbu za watumishi, likizo na uhamisho katika mfumo mmoja.",
    ),
    (
        "Ukaguzi wa Mizigo Bandarini",
        "Mizigo hukaa bandarini muda mrefu kwa ukaguzi wa mikono.",
        "Dirisha moja la kielektroniki la ukaguzi na uondoshaji wa mizigo.",
    ),
    (
        "Maktaba ya Kidijitali ya Vyuo",
        "Wanafunzi wa vyuo hawapati vitabu vya kutosha.",
        "Maktaba ya vitabu vya kielektroniki kwa wanafunzi wote.",
    ),
    (
        "School Examination Results Portal",
        "Students wait weeks for examination results printed on paper.",
        "An online portal publishing examination results to students and parents.",
    ),
    (
        "Hospital Fleet Tracking",
        "Ambulances are not tracked and fuel is misused.",
        "GPS tracking of ambulances with maintenance records.",
    ),
    (
        "Health Insurance Claims",
        "Hospitals wait months for insurance claims to be paid.",
        "Electronic submission and verification of insurance claims by hospitals.",
    ),
    (
        "Medical Equipment Maintenance",
        "Hospital equipment breaks down and nobody knows its service history.",
        "A register of medical equipment with its maintenance schedule.",
    ),
    (
        "Land Rent Collection",
        "Land rent arrears grow because owners are not reminded.",
        "Reminders and mobile payment of land rent.",
    ),
    (
        "Vehicle Registration and Licensing",
        "Vehicle registration requires several office visits.",
        "Online vehicle registration and driving licence renewal.",
    ),
    (
        "National Archives Digitisation",
        "Paper archives decay and records are hard to find.",
        "Scanning and indexing of archives with a search portal.",
    ),
    (
        "Water Billing",
        "Water bills are estimated and customers dispute them.",
        "Smart meters and electronic water bills.",
    ),
    (
        "Tourism Permits",
        "Visitors to national parks queue for entry permits.",
        "Online park entry permits paid by card or mobile money.",
    ),
    (
        "Fisheries Licensing",
        "Fishing vessels operate without valid licences.",
        "Licensing of fishing vessels with catch reporting.",
    ),
    (
        "Immigration e-Visa",
        "Visa applications are processed on paper at the border.",
        "Electronic visa applications with online payment.",
    ),
    (
        "Court Records Archive",
        "Court judgments are filed on paper and cannot be searched.",
        "A searchable archive of court judgments.",
    ),
    (
        "Agricultural Input Subsidy",
        "Subsidised fertiliser reaches the wrong farmers.",
        "Farmer registration with vouchers redeemed by mobile phone.",
    ),
    (
        "Teacher Deployment",
        "Teachers are posted unevenly between schools.",
        "Deployment planning from school enrolment data.",
    ),
    (
        "Blood Bank Stock",
        "Hospitals run out of blood while other regions have stock.",
        "Real-time blood stock levels shared between hospitals.",
    ),
]

DECOY_INSTITUTIONS = [
    ("TAMISEMI", "Ofisi ya Rais TAMISEMI", "President's Office RALG"),
    ("NIDA", "Mamlaka ya Vitambulisho vya Taifa", "National Identification Authority"),
    ("TRA", "Mamlaka ya Mapato Tanzania", "Tanzania Revenue Authority"),
    ("MOF", "Wizara ya Fedha", "Ministry of Finance"),
    ("MOL", "Wizara ya Ardhi", "Ministry of Lands"),
]

_numbers = itertools.count(1)


def institution(code: str) -> Institution:
    for c, sw, en in DECOY_INSTITUTIONS:
        if c == code:
            found, _ = Institution.objects.get_or_create(
                code=c, defaults={"name_sw": sw, "name_en": en}
            )
            return found
    return Institution.objects.get(code=code)


def staff(code: str) -> dict[str, Any]:
    """An officer and the signatories of a decoy institution (issue 15's concept note chain:
    the system owner, the head of ICT, the accounting officer)."""
    inst = institution(code)
    low = code.lower()
    return {
        "officer": make_user(f"officer_{low}", inst, Role.OFFICER),
        "system_owner": make_user(f"system_owner_{low}", inst, Role.SYSTEM_OWNER),
        "ict_head": make_user(f"ict_head_{low}", inst, Role.HEAD_OF_ICT),
        "accounting_officer": make_user(f"accounting_{low}", inst, Role.ACCOUNTING_OFFICER),
    }


def concept_note(world, author, text: dict[str, Any], status: str) -> Document:
    """A concept note taken through the lifecycle to ``status`` by its institution's people."""
    project = Project.objects.create(
        institution=author.memberships.get().institution, name=text["name"], created_by=author
    )
    document = new_document(world, project=project, author=author, fill=False)
    data = complete_data("concept_note")
    data.update({k: v for k, v in text.items() if k != "name"})
    document_update(document_id=document.pk, by=author, title=f"Dhana ya {text['name']}", data=data)
    attach_required(document, author)
    return drive(world, document, status)


def stored_concept_note(
    author, name: str, problem: str, solution: str = "", status: str = "approved"
) -> Project:
    """A concept note written straight to the database in ``status`` (decoys: the lifecycle is
    tested elsewhere), then indexed by the index's own function."""
    inst = author.memberships.get().institution
    project = Project.objects.create(institution=inst, name=name, created_by=author)
    Document.objects.create(
        type="concept_note",
        title=f"Dhana: {name}",
        project=project,
        institution=inst,
        author=author,
        status=status,
        data={"project_title": name, "problem_statement": problem, "proposed_solution": solution},
        content_hash="sha256:decoy",
        reference=f"EGA/CN/2026/D{next(_numbers):04d}",
        status_changed_at=timezone.now(),
    )
    similar_index_project(project_id=project.pk)
    return project


def decoys(authors: list[Any], count: int = len(DECOYS)) -> list[Project]:
    statuses = ["approved", "approved", "submitted", "under_review"]
    return [
        stored_concept_note(authors[i % len(authors)], *DECOYS[i], status=statuses[i % 4])
        for i in range(count)
    ]
