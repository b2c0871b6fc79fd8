"""Cursor pagination: stable pages however many rows arrive meanwhile, no COUNT(*), no OFFSET.

The pages are ``psd.keyset`` pages, the cursor of the case list page too; DRF's
``CursorPagination`` gives the rest (the ``next``/``previous`` links, the parameters, the
response and its schema)."""

from rest_framework import exceptions
from rest_framework.pagination import CursorPagination
from rest_framework.utils.urls import replace_query_param

from psd.keyset import BadCursor, Keyset


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("-id",)

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is not None:
            try:
                size = int(value)
            except ValueError:
                size = 0
            if not 1 <= size <= self.max_page_size:
                message = f"A whole number from 1 to {self.max_page_size}."
                raise exceptions.ValidationError({self.page_size_query_param: [message]})
            return size
        return self.page_size

    def paginate_queryset(self, queryset, request, view=None):
        self.request, self.base_url = request, request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.keyset = Keyset(queryset.model, tuple(self.ordering))
        cursor = request.query_params.get(self.cursor_query_param)
        self.anchor, backwards = None, False
        if cursor:
            try:
                self.anchor, backwards = self.keyset.decode(cursor)
            except BadCursor:
                raise exceptions.NotFound(self.invalid_cursor_message) from None
            rows = self.keyset.after(queryset, self.anchor, backwards=backwards)
        else:
            rows = self.keyset.ordered(queryset)
        page = list(rows[: self.page_size + 1])
        more, page = len(page) > self.page_size, page[: self.page_size]
        if backwards:
            page.reverse()
        self.has_next = True if backwards else more
        self.has_previous = more if backwards else bool(cursor)
        self.page = page
        return page

    def _link(self, backwards: bool) -> str | None:
        if self.page:
            values = self.keyset.values(self.page[0] if backwards else self.page[-1])
        elif self.anchor is not None:  # an empty page: turn round at the cursor
            values = self.anchor
        else:
            return None
        cursor = self.keyset.encode(values, backwards=backwards)
        return replace_query_param(self.base_url, self.cursor_query_param, cursor)

    def get_next_link(self):
        return self._link(backwards=False) if self.has_next else None

    def get_previous_link(self):
        return self._link(backwards=True) if self.has_previous else None

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] == self.page_size_query_param:
                param["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return params


class CaseCursor(Cursor):
    """Newest received first, on the (-received_on, -id) keyset index."""

    ordering = ("-received_on", "-id")


class DeadlineCursor(Cursor):
    ordering = ("due_date", "id")


class PersonCursor(Cursor):
    ordering = ("surname", "forename", "id")
