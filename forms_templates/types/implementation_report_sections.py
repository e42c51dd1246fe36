"""The implementation report's closing sections: issues and risks, change requests, challenges
and recommendations. Kept beside ``implementation_report.py`` to keep each file short."""

from forms_templates.definitions import Choice, Field, Section, T, Table

SEVERITY_CHOICES = (
    Choice("low", T("Chini", "Low")),
    Choice("medium", T("Wastani", "Medium")),
    Choice("high", T("Juu", "High")),
)

ISSUES_AND_RISKS = Section(
    key="issues_and_risks",
    title=T("Masuala na vihatarishi", "Issues and risks"),
    items=(
        Table(
            "issues_risks",
            T("Masuala na vihatarishi", "Issues and risks"),
            help=T(
                "Suala ni jambo linaloathiri mradi sasa; kihatarishi ni jambo linaloweza kutokea.",
                "An issue affects the project now; a risk is something that may happen.",
            ),
            columns=(
                Field(
                    "description",
                    "text",
                    T("Maelezo", "Description"),
                    required=True,
                ),
                Field(
                    "category",
                    "choice",
                    T("Aina", "Type"),
                    required=True,
                    choices=(
                        Choice("issue", T("Suala", "Issue")),
                        Choice("risk", T("Kihatarishi", "Risk")),
                    ),
                ),
                Field(
                    "severity",
                    "choice",
                    T("Uzito", "Severity"),
                    choices=SEVERITY_CHOICES,
                ),
                Field(
                    "action",
                    "text",
                    T("Hatua zinazochukuliwa", "Action being taken"),
                    required=True,
                ),
                Field("owner", "text", T("Mhusika", "Owner")),
            ),
        ),
    ),
)

CHANGE_REQUESTS = Section(
    key="change_requests",
    title=T("Maombi ya mabadiliko", "Change requests"),
    items=(
        Table(
            "change_requests",
            T("Maombi ya mabadiliko", "Change requests"),
            help=T(
                "Mabadiliko ya muda, gharama au wigo yaliyoombwa katika kipindi hiki.",
                "Changes to time, cost or scope requested during this period.",
            ),
            columns=(
                Field(
                    "change",
                    "text",
                    T("Mabadiliko yanayoombwa", "Requested change"),
                    required=True,
                ),
                Field("reason", "text", T("Sababu", "Reason"), required=True),
                Field(
                    "impact",
                    "text",
                    T("Athari kwa muda, gharama au wigo", "Impact on time, cost or scope"),
                ),
                Field(
                    "decision",
                    "choice",
                    T("Uamuzi", "Decision"),
                    choices=(
                        Choice("pending", T("Linasubiri uamuzi", "Pending")),
                        Choice("approved", T("Limekubaliwa", "Approved")),
                        Choice("rejected", T("Limekataliwa", "Rejected")),
                    ),
                ),
            ),
        ),
    ),
)

CHALLENGES = Section(
    key="challenges",
    title=T("Changamoto na mapendekezo", "Challenges and recommendations"),
    items=(
        Field(
            "challenges",
            "long_text",
            T("Changamoto", "Challenges"),
            required=True,
            help=T(
                "Changamoto zilizojitokeza katika kipindi hiki na jinsi zilivyoshughulikiwa.",
                "Challenges met during this period and how they were handled.",
            ),
        ),
        Field(
            "recommendations",
            "long_text",
            T("Mapendekezo", "Recommendations"),
            required=True,
            help=T(
                "Hatua zinazopendekezwa kwa uongozi, ikiwemo maamuzi yanayohitajika.",
                "Actions recommended to management, including decisions needed.",
            ),
        ),
    ),
)
