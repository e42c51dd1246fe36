"""The limits of what people write that no column of its own states (one source for each).

A column's limit is its model field's ``max_length``; these are the texts kept in a text column
or in an audit payload: reasons, comments, the reason for approving over the checklist."""

TEXT_MAX = 5000
