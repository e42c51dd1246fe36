"""The API's pages: ``?page=`` and ``?page_size=`` (up to 200), the items under ``results`` with
the ``count`` of them all.

A view may name what to count (``counted_queryset``, set by its ``get_queryset``): the rows as
filtered, without what only their representation reads. The documents' lists join three user
rows for the usernames (approvals.selectors.for_api); a COUNT of that queryset carries the
joins too, over every row counted, not just the page's."""

from __future__ import annotations

from functools import cached_property, partial

from django.core.paginator import Paginator as DjangoPaginator
from rest_framework.pagination import PageNumberPagination


class CountedPaginator(DjangoPaginator):
    """Django's paginator, the pages from ``object_list``, the count from ``counted``."""

    def __init__(self, object_list, per_page, *, counted, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.counted = counted

    @cached_property
    def count(self) -> int:
        return self.counted.count()


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        counted = getattr(view, "counted_queryset", None)
        if counted is not None:
            self.django_paginator_class = partial(CountedPaginator, counted=counted)
        return super().paginate_queryset(queryset, request, view)
