"""One trigger of the rollups: its table, event, condition and body, written once for both databases."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Trigger:
    name: str
    table: str
    event: str  # INSERT, UPDATE or DELETE; always AFTER, FOR EACH ROW
    # SQL statements ending with ``;``, reading the changed row as ``NEW`` (insert, update) and ``OLD``
    # (update, delete): the same text runs in a PL/pgSQL function and in an SQLite trigger body.
    body: str
    # The row change that matters (an UPDATE of other columns leaves the sums alone); empty: always.
    when: str = ""

    @property
    def statements(self) -> str:
        return self.body.strip()
