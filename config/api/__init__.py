"""API plumbing every app's API shares: the error handler, strict bodies, paging, uploads."""
