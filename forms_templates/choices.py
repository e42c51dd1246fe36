"""Choices several types share: the government's financial years, yes or no, cost categories."""

from forms_templates.definitions import Choice, T


def _financial_year(start: int) -> Choice:
    label = f"{start}/{(start + 1) % 100:02d}"
    return Choice(label, T(label, label))


# The government's financial year runs from 1 July to 30 June, written 2026/27. A choice keeps
# the answer in that one spelling, and the schema refuses any other.
FINANCIAL_YEARS = tuple(_financial_year(start) for start in range(2020, 2041))
FINANCIAL_YEAR_HELP = T(
    "Mwaka wa fedha wa Serikali (Julai hadi Juni), mf. 2026/27.",
    "The government financial year (July to June), e.g. 2026/27.",
)

YES_NO = (Choice("yes", T("Ndiyo", "Yes")), Choice("no", T("Hapana", "No")))

COST_CATEGORIES = (
    Choice("hardware", T("Vifaa (maunzi)", "Hardware")),
    Choice("software", T("Programu na leseni", "Software and licences")),
    Choice("services", T("Huduma za kitaalamu", "Professional services")),
    Choice("hosting", T("Uhifadhi na mtandao", "Hosting and network")),
    Choice("training", T("Mafunzo", "Training")),
    Choice("other", T("Nyingine", "Other")),
)
