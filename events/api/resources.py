"""The API's convention for a curated model: one base viewset (and, in events.api.writing, one
versioned write serializer; in events.api.openapi, one schema helper).

A resource is a few declarations (see docs/adding-a-model.md):

    @crud_schema(name="source", plural="sources", row=SourceRow, detail=SourceDetail)
    class SourceViewSet(VersionedWriteMixin, ResourceViewSet):
        queryset = Source.objects.all()
        write_serializer_class = SourceWriteSerializer
        filterset_class = SourceFilterSet
        list_columns = SOURCE_COLUMNS
        ordering = ("title", "id")

        def list_rows(self, values, request): ...       # a page of projected values -> rows
        def detail_data(self, obj, request): ...        # one object -> its detail

Reads never run a serializer per object: the list is a keyset page of a projection
(`list_columns`) turned into rows, the detail is built by `detail_data`. Writes validate with
the write serializer (the model's `full_clean`, the admin's rules), save, stamp the author,
and answer the same `detail_data` a read gives.
"""

from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from events.api.caching import ConditionalReadMixin
from events.api.pagination import KeysetPagination
from events.api.warnings import duplicate_warnings
from events.authorship import stamp_author

WRITE_ACTIONS = ("create", "update", "partial_update")


class ResourceViewSet(ConditionalReadMixin, viewsets.ModelViewSet):
    """List (keyset pages of a projection), detail, create, update, delete for one model."""

    pagination_class = KeysetPagination
    write_serializer_class: type[serializers.Serializer]
    list_columns: tuple[str, ...]
    ordering: tuple[str, ...]
    # Write answers carry `warnings` (events.api.warnings): the records this one may repeat.
    warns_of_duplicates = False

    def get_serializer_class(self):
        # Reads are built without serializers; the write form also serves the browsable API.
        return self.write_serializer_class

    def list_rows(self, values: list[dict], request) -> list[dict]:
        raise NotImplementedError

    def detail_data(self, obj, request) -> dict:
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        values = self.paginator.paginate_values(queryset, request, self.ordering, self.list_columns)
        return self.paginator.get_paginated_response(self.list_rows(values, request))

    def retrieve(self, request, *args, **kwargs):
        return Response(self.detail_data(self.get_object(), request))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = serializer.save()
        return Response(self.written_data(obj, request), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        obj = serializer.save()
        return Response(self.written_data(obj, request))

    def written_data(self, obj, request) -> dict:
        """The answer to a write: the detail, and the duplicate warnings where they apply."""
        data = self.detail_data(obj, request)
        if self.warns_of_duplicates:
            data["warnings"] = duplicate_warnings(obj, request)
        return data

    def perform_destroy(self, instance):
        stamp_author(instance, self.request.user)
        instance.delete()
