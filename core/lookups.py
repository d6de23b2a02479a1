"""`field__any_of=values`: `__in` for the thousands of values a chunk of an import looks up.

Django writes `IN (%s, %s, …)` with one placeholder per value, and psycopg then parses the
whole statement again to bind them: a few milliseconds for every 2,000 values, paid for each
lookup of each chunk. On PostgreSQL this lookup passes the list as one array parameter
(`= ANY(%s)`), which the same indexes serve; elsewhere it is `IN` unchanged."""

from django.core.exceptions import EmptyResultSet
from django.db.models import Field
from django.db.models.lookups import In


@Field.register_lookup
class AnyOf(In):
    lookup_name = "any_of"

    def as_postgresql(self, compiler, connection):
        if self.rhs_is_direct_value():
            values = [
                self.lhs.output_field.get_db_prep_value(value, connection, prepared=True)
                for value in self.rhs
            ]
            if not values:
                raise EmptyResultSet
            lhs, lhs_params = self.process_lhs(compiler, connection)
            return f"{lhs} = ANY(%s)", (*lhs_params, values)
        return super().as_sql(compiler, connection)
