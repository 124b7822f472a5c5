from ninja import Schema
from ninja.pagination import LimitOffsetPagination

from simpul.api.types import Offset


class Page(LimitOffsetPagination):
    """limit/offset paging with a hard ceiling so one request cannot pull a whole kabupaten."""

    class Input(Schema):
        limit: Offset = 50
        offset: Offset = 0

    def paginate_queryset(self, queryset, pagination, **params):
        pagination.limit = max(1, min(pagination.limit, 200))
        pagination.offset = max(0, pagination.offset)
        return super().paginate_queryset(queryset, pagination, **params)
