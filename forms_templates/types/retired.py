"""Answers form version 1 of the project types asked and the project now holds (issue 15)."""

from forms_templates.definitions import Field, T

RETIRED_PROJECT_FIELDS = (
    Field("institution_name", "text", T("Jina la taasisi", "Institution")),
    Field("project_title", "text", T("Jina la mradi/mfumo", "Project or system title")),
)
