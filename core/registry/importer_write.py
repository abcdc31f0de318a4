"""Writing a validated import set-wise (issue 19): bulk inserts, chunk by chunk, in the caller's
one transaction.

The rows come back from the validation's spills (:mod:`.importer_validate`): first the heads —
a chunk of households at a time: their persons (their ids known without a statement per row,
see ``_insert_returning_ids``), search keys,
households, beneficiary files, the files' "created" events and the audit entries each
household had when it was created one by one (``registry.person.created`` for the head,
``registry.household.created``), chained in that order by :func:`core.audit.services.record_many`
— then the members, a chunk at a time: their persons, search keys and member rows. The
statements per chunk are fixed, whatever the chunk holds. Derived columns (normalised names,
the ID number's ciphertext, keyed hash and type, the search keys) come from the same
functions the services use. Nothing here commits: the job's ``succeeded`` does, so a process
killed at any point leaves nothing written.
"""

from __future__ import annotations

import logging
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from itertools import islice

import sqlalchemy as sa

from .. import bulk
from ..audit.services import ChainWriter
from ..bulk import array_text, insert_plain, insert_rows
from ..extensions import db
from ..tenancy import require_tenant
from . import ids
from .models import BeneficiaryFile, FileEvent, Household, Member, Person, PersonNameKey
from .normalize import name_forms
from .services.persons import NAME_PARTS, PERSON_FIELDS

logger = logging.getLogger(__name__)

# Households (with their heads) written per chunk; members per chunk.
HEADS_PER_CHUNK = 1000
MEMBERS_PER_CHUNK = 2000


def person_row(tenant_id: int, data: dict) -> dict:
    """The ``registry_persons`` row of a validated person, as ``services.create_person`` stores it.
    Every row has the same keys (a bulk insert needs them): an absent field is NULL, an absent
    name part "" and an absent income 0, as the columns' defaults would make them."""
    return _person_row(tenant_id, data, ids.encrypt, ids.lookup_hash)[0]


def _person_row(
    tenant_id: int, data: dict, encrypt: Callable[[str], str], lookup_hash: Callable[[str], str]
) -> tuple[dict, list[str]]:
    """:func:`person_row` and the person's search keys, the name's forms derived once
    (``normalize.name_forms``: each part spelled once, remembered across persons); the ID
    number encrypted and hashed by the functions given (their keys looked up once a chunk)."""
    row: dict = {"tenant_id": tenant_id, **dict.fromkeys(_NULLABLE)}
    for key in PERSON_FIELDS:
        value = data.get(key)
        if key == "national_id":
            row["national_id_encrypted"] = encrypt(value) if value else None
            row["national_id_hash"] = lookup_hash(value) if value else None
            row["id_type"] = ids.id_type(value) if value else None
        elif key in NAME_PARTS:
            row[key] = value or ""  # NOT NULL columns: an empty part is stored as ""
        elif key == "monthly_income":
            row[key] = value if value is not None else 0
        else:
            row[key] = value
    row["name_normalized"], row["family_normalized"], keys = name_forms(*(row[part] for part in NAME_PARTS))
    return row, keys


_NULLABLE = ("national_id_encrypted", "national_id_hash", "id_type")


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _insert_returning_ids(model, rows: list[dict]) -> list[int]:
    """Insert ``rows`` in one bulk statement; their ids, in the order of ``rows``.

    ``INSERT … RETURNING`` in parameter order would go row by row here (the tenant tables'
    primary key is ``(tenant_id, id)``, which SQLAlchemy cannot sort bulk results by), so:
    PostgreSQL takes the ids from the table's sequence first (during an import, all of them
    before its pipeline starts: :class:`Ids`) and inserts them; SQLite gives each new row the largest rowid plus one,
    and this transaction holds the database's only write lock, so the rows got the ids up to
    the largest one now.
    """
    table = model.__table__
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        write = _write.get()
        ids = write.ids.take(table, len(rows)) if write else _next_ids(table.name, len(rows))
        insert_rows(table, [{**row, "id": id_} for row, id_ in zip(rows, ids, strict=True)])
        return ids
    if dialect == "sqlite":
        insert_rows(table, rows)
        last = db.session.execute(sa.select(sa.func.max(table.c.id))).scalar_one()
        return list(range(last - len(rows) + 1, last + 1))
    statement = db.insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(db.session.execute(statement, rows).scalars())


def _next_ids(table_name: str, count: int) -> list[int]:
    """``count`` new ids from the table's sequence (PostgreSQL), in one statement."""
    return list(
        db.session.execute(
            sa.text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
            {"table": table_name, "n": count},
        ).scalars()
    )


class Ids:
    """The ids an import's rows will take (PostgreSQL), all taken from each table's sequence
    before the write's pipeline starts (:meth:`reserve`): any statement whose answer is read
    waits for every insert sent before it (:func:`write_validated`), so a block taken meanwhile
    would stall the server and this process in turn. Held as 8-byte integers (1.6 MB for
    200,000 persons), fetched ``BLOCK`` at a time. Rows beyond those expected take theirs when
    they come."""

    BLOCK = 20_000

    def __init__(self, expected: dict[str, int]) -> None:
        self.expected = dict(expected)  # table name -> rows to come
        self.held: dict[str, array] = {}
        self.used: dict[str, int] = {}

    def reserve(self) -> None:
        for name, count in self.expected.items():
            held = self.held.setdefault(name, array("q"))
            while len(held) < count:
                held.extend(_next_ids(name, min(self.BLOCK, count - len(held))))

    def take(self, table, count: int) -> list[int]:
        held, used = self.held.setdefault(table.name, array("q")), self.used.get(table.name, 0)
        if len(held) - used < count:
            held.extend(_next_ids(table.name, count - (len(held) - used)))
        self.used[table.name] = used + count
        return held[used : used + count].tolist()


_KEY_COLUMNS = ("tenant_id", "person_id", "key", "sort_name")
_KEY_TYPES = ("integer", "integer", "text", "text")  # PostgreSQL: the columns as arrays
WIDE_INDEX = "ix_registry_person_name_keys_tenant_key"
# The indexes an import that at least doubles the registry builds afresh at its end (SQLite), by
# table, and from how many imported persons: filled row by row they take the rows in random
# order, which costs more than one sort at the end once they outgrow SQLite's page cache (the
# unique constraints' indexes stay, and check). Below those sizes either costs little.
PERSONS_REBUILT = (
    "ix_registry_persons_tenant_name",
    "ix_registry_persons_tenant_family",
    "ix_registry_persons_national_id_hash",
)
REBUILT = {
    "registry_persons": (PERSONS_REBUILT, 100_000),
    # ~8 keys a person; their primary key (tenant_id, person_id, key) takes them in order.
    "registry_person_name_keys": ((WIDE_INDEX,), 10_000),
}


def _dropped_for_rebuild(rows: int) -> list[sa.Index]:
    """Drop the ``REBUILT`` indexes of each table when the import brings at least as many
    persons as the registry holds (and the table's minimum). SQLite only, and only inside the
    import's open transaction (the drop is rolled back with it: a process killed meanwhile
    leaves the indexes; other connections see them as committed throughout). The caller
    creates them again before the transaction ends."""
    connection = db.session.connection()
    raw = connection.connection.dbapi_connection
    if connection.dialect.name != "sqlite" or not getattr(raw, "in_transaction", False):
        return []
    held = _held_persons(connection)
    dropped = []
    for table in (Person.__table__, PersonNameKey.__table__):
        names, least = REBUILT[table.name]
        if rows >= max(held, least):
            dropped += [index for index in table.indexes if index.name in names]
    for index in dropped:
        connection.exec_driver_sql(f"DROP INDEX {index.name}")
    return dropped


def _held_persons(connection) -> int:
    """The persons the registry holds, at most (the largest id: one index step, not a count)."""
    return connection.exec_driver_sql("SELECT max(id) FROM registry_persons").scalar_one() or 0


class NameKeys:
    """Where the import's search keys go (~8 rows a person: 1.3 M at 50k households).

    PostgreSQL (and any other database): straight into ``registry_person_name_keys``, chunk by
    chunk. SQLite: into a temporary table of this connection first, then all at once, sorted in
    the order of the wide index ``(tenant_id, key, person_id, sort_name)``, at the end of the
    write. Inserted in a person's order, each key lands on a random page of that index: once
    the index outgrows SQLite's page cache (a few MB), nearly every row reads a page and spills
    one to the WAL file again and again, and the write grows faster than the rows (1.3 M keys
    alone: 29 s in chunks, 15 s staged and sorted; bench/README.md "Import"). When the import
    builds the keys' indexes afresh (:func:`_dropped_for_rebuild`) there is no index to keep in
    order, and the keys go straight to the table from then on (:meth:`direct`). The temporary
    table is this connection's own; the keys reach the registry's table only inside the
    import's transaction, and a process killed meanwhile takes its temporary tables with it.
    """

    STAGE = "charity_import_name_keys"

    def __init__(self, staged: bool | None = None) -> None:
        self.staged = db.session.get_bind().dialect.name == "sqlite" if staged is None else staged
        self.straight = not self.staged
        if self.staged:
            connection = db.session.connection()
            # The driver runs DDL outside its transaction: a failed import's table is dropped
            # by ``discard`` (and, should that fail too, here by the next import).
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{self.STAGE}")
            connection.exec_driver_sql(
                f"CREATE TEMP TABLE {self.STAGE} (tenant_id INTEGER, person_id INTEGER, key TEXT, sort_name TEXT)"
            )

    def direct(self) -> None:
        """The keys added from now on go straight to the registry's table (its wide index is
        dropped, to be built afresh)."""
        self.straight = True

    def add(self, tenant_id: int, persons: list[tuple[int, str, list[str]]]) -> None:
        """The search keys of ``persons``: ``(person id, sort name, keys)`` each."""
        if self.straight and _keys_by_person(tenant_id, persons):
            return
        rows = [(tenant_id, pid, key, sort_name) for pid, sort_name, keys in persons for key in keys]
        if self.straight:
            insert_plain(PersonNameKey.__table__, _KEY_COLUMNS, rows, _KEY_TYPES)
        else:
            insert_plain(sa.table(self.STAGE), _KEY_COLUMNS, rows)

    def finish(self) -> None:
        """The staged keys into the registry's table, in the wide index's order (SQLite)."""
        if not self.staged:
            return
        columns = ", ".join(_KEY_COLUMNS)
        connection = db.session.connection()
        connection.exec_driver_sql(
            f"INSERT INTO registry_person_name_keys ({columns}) SELECT {columns} FROM temp.{self.STAGE} "
            "ORDER BY tenant_id, key, person_id, sort_name"
        )
        connection.exec_driver_sql(f"DROP TABLE temp.{self.STAGE}")
        self.staged = False

    def discard(self) -> None:
        """The staged keys dropped (a failed write: its transaction is rolled back)."""
        if self.staged:
            self.staged = False
            # A connection that is gone (or must roll back first) took or keeps it: the next
            # import drops it before it starts.
            with suppress(sa.exc.SQLAlchemyError):
                db.session.connection().exec_driver_sql(f"DROP TABLE IF EXISTS temp.{self.STAGE}")


_KEYS_OF_A_PERSON = "\x1d"  # ASCII's group separator, between the keys of one person
_KEYS_BY_PERSON = (
    "INSERT INTO registry_person_name_keys (tenant_id, person_id, key, sort_name) "
    "SELECT %s, person.id, key.key, person.sort_name FROM unnest("
    "string_to_array(%s, chr(30), chr(31))::integer[], "
    "string_to_array(%s, chr(30), chr(31))::text[], "
    "string_to_array(%s, chr(30), chr(31))::text[]) AS person(id, sort_name, keys) "
    "CROSS JOIN LATERAL unnest(string_to_array(person.keys, chr(29))) AS key(key)"
)


def _keys_by_person(tenant_id: int, persons: list[tuple[int, str, list[str]]]) -> bool:
    """PostgreSQL: the keys sent a person at a time — their keys as one text, the sort name
    once — and made rows by the server (``unnest``), instead of a row of four values per key
    built, sent and split here (~8 a person: a third of the Python time of an import's write).
    False when it cannot go so (not PostgreSQL; a value holding a separator): the caller sends
    rows."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql" or not persons:
        return False
    person_ids, sort_names, keys = zip(*persons, strict=True)
    texts = [
        array_text(person_ids),
        array_text(sort_names),
        array_text([_KEYS_OF_A_PERSON.join(k) for k in keys]),
    ]
    if None in texts or texts[2].count(_KEYS_OF_A_PERSON) != sum(max(len(k) - 1, 0) for k in keys):
        return False
    connection.exec_driver_sql(_KEYS_BY_PERSON, (tenant_id, *texts), execution_options=bulk.UNANSWERED)
    return True


@dataclass
class _Write:
    """What a write under way (:func:`write_validated`) carries from chunk to chunk."""

    keys: NameKeys  # where the search keys go
    chain: ChainWriter  # the audit chain, its head read once
    ids: Ids  # PostgreSQL: the ids to come


_write: ContextVar[_Write | None] = ContextVar("import_write", default=None)


def _insert_persons(tenant_id: int, people: list[dict]) -> list[int]:
    encrypt, lookup_hash = ids.encrypter(), ids.lookup_hasher()
    derived = [_person_row(tenant_id, person, encrypt, lookup_hash) for person in people]
    rows = [row for row, _keys_of_row in derived]
    person_ids = _insert_returning_ids(Person, rows)
    _write.get().keys.add(
        tenant_id,
        [(pid, row["name_normalized"], keys) for pid, (row, keys) in zip(person_ids, derived, strict=True)],
    )
    return person_ids


def _write_heads(tenant_id: int, chunk: list[tuple[str, int, dict]], user) -> dict[str, int]:
    head_ids = _insert_persons(tenant_id, [data["head"] for _ref, _line, data in chunk])
    household_ids = _insert_returning_ids(
        Household,
        [
            {
                "tenant_id": tenant_id,
                "head_person_id": head_id,
                "housing_tenure": data["housing_tenure"],
                "annual_rent": (data.get("annual_rent") or 0) if data["housing_tenure"] == "rented" else 0,
                "category": data.get("category") or "family",
            }
            for head_id, (_ref, _line, data) in zip(head_ids, chunk, strict=True)
        ],
    )
    file_ids = _insert_returning_ids(
        BeneficiaryFile,
        [
            {"tenant_id": tenant_id, "household_id": hid, "status": "applicant", "extra": {}}
            for hid in household_ids
        ],
    )
    chain = _write.get().chain
    insert_rows(
        FileEvent.__table__,
        [
            {"tenant_id": tenant_id, "file_id": fid, "kind": "created", "from_status": None,
             "to_status": "applicant", "reason": None, "details": {}, "user_id": chain.user_id}
            for fid in file_ids
        ],
    )  # fmt: skip
    chain.append(
        (
            entry
            for head_id, hid, fid in zip(head_ids, household_ids, file_ids, strict=True)
            for entry in (
                ("registry.person.created", "person", head_id, None),
                ("registry.household.created", "household", hid, {"file": fid}),
            )
        )
    )
    return {ref: hid for (ref, _line, _data), hid in zip(chunk, household_ids, strict=True)}


def _write_members(tenant_id: int, chunk: list[tuple[str, int, dict]], households: dict[str, int]) -> None:
    person_ids = _insert_persons(tenant_id, [member["person"] for _ref, _line, member in chunk])
    rows = []
    for pid, (ref, _line, member) in zip(person_ids, chunk, strict=True):
        person = member["person"]
        rows.append(
            {
                "tenant_id": tenant_id,
                "household_id": households[ref],
                "person_id": pid,
                "relationship": member["relationship_"],
                "job": member["job"] if member.get("job") is not None else person.get("job"),
                "income": member.get("income") or person.get("monthly_income") or 0,
                "resides_with_head": member.get("resides_with_head", True),
                "studying": member.get("studying", False),
            }
        )
    insert_rows(Member.__table__, rows)


def _refresh_statistics() -> None:
    """PostgreSQL: the registry tables' statistics, taken once the first chunk is in (this
    transaction's rows count). Each foreign key of the later rows (search keys and members to
    their person, members and files to their household) is checked by a plan made for the
    table as the statistics describe it; with none (an association's first import, a new
    database) the planner may pick an index on the tenant alone and each check then reads
    every person of the association written so far: 3,000 households took 87 s where 1,000
    took 13 (bench/README.md, "Import on PostgreSQL"). Taking them makes PostgreSQL plan the
    checks again, by the primary key. A function of the tables' owner
    (``core.tenancy.rls``); it waits up to 10 s for another ANALYZE of the tables, then lets
    the import go on with the plans it has (logged)."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        taken = connection.exec_driver_sql("SELECT charity_refresh_registry_statistics()").scalar()
        if not taken:
            logger.warning("registry statistics not refreshed: another ANALYZE held the tables for 10 s")


def write_validated(validation, user=None, progress: Callable[[int], None] | None = None) -> int:
    """Write the good households of ``validation`` (a :class:`.importer_validate.Validation`)
    set-wise in the caller's transaction; ``progress(rows written)`` after each chunk. Returns
    the number of households created.

    On PostgreSQL the chunks after the first go in pipeline mode: each insert is sent without
    waiting for the server's answer, so the server writes one chunk while this process derives
    the next (the two share the write's time instead of taking turns). Nothing in the loop waits
    for an answer: the ids are taken before (:class:`Ids`), the audit chain's head is read by
    the first chunk (:class:`~core.audit.services.ChainWriter`), and progress goes through
    another connection. An error (a duplicate ID number written meanwhile by another
    transaction) is raised at the latest when the pipeline ends, before the caller commits.
    """
    tenant_id = require_tenant().id
    bad = validation.bad_refs
    heads_count = validation.good_households
    expected = {
        Person.__tablename__: validation.good_rows(),
        Household.__tablename__: heads_count,
        BeneficiaryFile.__tablename__: heads_count,
    }
    households: dict[str, int] = {}
    written = 0
    write = _Write(keys=NameKeys(), chain=ChainWriter(user=user), ids=Ids(expected))
    token = _write.set(write)
    rebuilt: list[sa.Index] | None = None
    try:
        with ExitStack() as pipelined:
            heads = (item for item in validation.heads if item[0] not in bad)
            for chunk in _chunks(heads, HEADS_PER_CHUNK):
                households.update(_write_heads(tenant_id, chunk, user))
                if rebuilt is None:  # the first chunk opened the transaction
                    rebuilt = _dropped_for_rebuild(validation.good_rows())
                    if any(index.name == WIDE_INDEX for index in rebuilt):
                        write.keys.direct()
                    _refresh_statistics()
                    if db.session.get_bind().dialect.name == "postgresql":
                        write.ids.reserve()
                    pipelined.enter_context(bulk.pipelined())
                written += len(chunk)
                if progress:
                    progress(written)
            members = (item for item in validation.members if item[0] not in bad)
            for chunk in _chunks(members, MEMBERS_PER_CHUNK):
                _write_members(tenant_id, chunk, households)
                if progress:
                    progress(written)  # a chunk behind: the last one counts once the staged keys are in
                written += len(chunk)
        write.keys.finish()
        for index in rebuilt or ():
            index.create(db.session.connection())
    except BaseException:
        write.keys.discard()
        raise
    finally:
        _write.reset(token)
    if progress:
        progress(written)
    return len(households)
