"""Who the approving agency is: its name in both languages, the government heading over every
document, its emblem, the prefix of its references and the name its seal shows.

Configuration, not code: an administrator sets it in admin (workflow.agency.AgencyIdentity) and
pages, e-mails, the Word file and the PDF read it from there. This value is what they receive,
so that printing and the Word builder stay pure functions of their inputs. The agency became the
*Mamlaka ya Serikali Mtandao* (e-Government Authority); Zanzibar's authority (eGAZ) since Act
No. 1 of 2024 has its own heading: both are presets.
"""

from __future__ import annotations

from dataclasses import dataclass

from forms_templates.definitions import T

HEADINGS = {
    "mainland": T("JAMHURI YA MUUNGANO WA TANZANIA", "THE UNITED REPUBLIC OF TANZANIA"),
    "zanzibar": T("SERIKALI YA MAPINDUZI YA ZANZIBAR", "THE REVOLUTIONARY GOVERNMENT OF ZANZIBAR"),
}


@dataclass(frozen=True)
class Agency:
    name: T  # "Mamlaka ya Serikali Mtandao" / "e-Government Authority"
    heading: T  # the government heading over every document
    reference_prefix: str = "EGA"  # EGA/CN/2026/0001
    seal_name: str = ""  # the name a PDF reader shows for the seal
    emblem_png: bytes | None = None  # None: the emblem shipped with Idhini

    @property
    def seal_display_name(self) -> str:
        return self.seal_name or f"{self.name.sw} ({self.name.en})"

    @property
    def seal_reason(self) -> str:
        return f"Imeidhinishwa na {self.name.sw} / Approved by the {self.name.en}"

    def say(self, text: T) -> T:
        """``text`` with ``{agency}`` replaced by this agency's name, in each language."""
        return T(
            text.sw.replace("{agency}", self.name.sw), text.en.replace("{agency}", self.name.en)
        )


MAINLAND = Agency(
    name=T("Mamlaka ya Serikali Mtandao", "e-Government Authority"),
    heading=HEADINGS["mainland"],
    reference_prefix="EGA",
)
ZANZIBAR = Agency(
    name=T("Mamlaka ya Serikali Mtandao Zanzibar", "e-Government Authority of Zanzibar"),
    heading=HEADINGS["zanzibar"],
    reference_prefix="EGAZ",
)
DEFAULT = MAINLAND
