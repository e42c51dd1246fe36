"""Fixed texts that the Word file and the printed PDF share, in both languages (``T(sw, en)``).

Data, like the definitions' texts, not gettext messages: both outputs choose their language per
document, independently of the reader's interface language. What only one output needs stays in
``forms_templates/docx/layout.py`` or ``forms_templates/printing/labels.py``.
"""

from __future__ import annotations

from forms_templates.definitions import T

# The government heading is the agency's (forms_templates.identity.HEADINGS), not a label.
VERSION = T("Toleo", "Version")
# The project the document belongs to, from the project (not typed into the form).
PROJECT = T("Mradi", "Project")
STATUS = T("Hali", "Status")
SIGNATURES = T("Sahihi", "Signatures")
NAME = T("Jina", "Name")
