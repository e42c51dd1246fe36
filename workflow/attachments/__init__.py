"""Annexes: files attached to a document (cover letter, minutes, quotations, designs).

The file's type is decided from its content (``inspect``), never from its name or the type the
client declared; only PDF, Word (.docx), Excel (.xlsx), OpenDocument text (.odt), PNG and JPEG
are kept, each opened under limits before anything is stored. Kept files live in the
``attachments`` storage (``storage``) under random names; the rows are
``workflow.models.Attachment``; adding and removing are ``services``, reads ``selectors``.
"""
