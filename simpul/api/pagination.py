from ninja import Schema
from ninja.pagination import LimitOffsetPagination


class Page(LimitOffsetPagination):
    """limit/offset paging with a hard ceiling so one request cannot pull a whole kabupaten."""

    class Input(Schema):
        limit: int = 50
        offset: int = 0

    def paginate_queryset(self, queryset, pagination, **params):
        pagination.limit = max(1, min(pagination.limit, 200))
        pagination.offset = max(0, pagination.offset)
        return super().paginate_queryset(queryset, pagination, **params)
