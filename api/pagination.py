"""Cursor pagination: stable pages however many rows arrive meanwhile, no COUNT(*)."""

from rest_framework import exceptions
from rest_framework.pagination import CursorPagination


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
