"""A parsed query (``search.query``) as SQL for each engine: PostgreSQL's tsquery over the stored
tsvector of the folded words, SQLite's FTS5 MATCH over the folded column. The same tree gives the
same rows on both; only the ranking expressions differ.

The tree becomes one SQL condition. A part made only of words and phrases (no NOT, no number and
symbol inside) is one engine expression (one GIN or FTS5 look-up); NOT and number-and-symbol
look-ups are combined around them in SQL, so FTS5's binary-only NOT and PostgreSQL's
tsquery-only words both express every query.

Names of tables and columns come from the caller (``Columns``): this module knows SQL, not models.
Values always travel as parameters, never inside the SQL text."""

from __future__ import annotations

from dataclasses import dataclass

from vanthu.search.query import AllOf
from vanthu.search.query import AnyOf
from vanthu.search.query import Node
from vanthu.search.query import Not
from vanthu.search.query import Phrase
from vanthu.search.query import Query
from vanthu.search.query import Symbol
from vanthu.search.query import Term


@dataclass(frozen=True)
class Columns:
    """Where the searched text lives, as SQL names already quoted by the caller.

    PostgreSQL: ``vector`` (tsvector of the folded words), ``exact_vector`` (of the exact words).
    SQLite: ``fts_table`` (FTS5 with columns ``folded`` and ``exact``) joined by ``rowid`` =
    ``row_id``. Both: ``symbol`` (the number-and-symbol key, upper case, folded)."""

    row_id: str
    symbol: str
    vector: str = ""
    exact_vector: str = ""
    fts_table: str = ""


@dataclass(frozen=True)
class Compiled:
    where: str
    params: tuple[object, ...]
    rank: str
    rank_params: tuple[object, ...]


def _text_only(node: Node) -> bool:
    if isinstance(node, Term | Phrase):
        return True
    if isinstance(node, AllOf | AnyOf):
        return all(_text_only(child) for child in node.nodes)
    return False


def _positive_text(node: Node) -> list[Node]:
    """The words and phrases that say what to find (for ranking): not those under NOT."""
    if isinstance(node, Term | Phrase):
        return [node]
    if isinstance(node, AllOf | AnyOf):
        return [leaf for child in node.nodes for leaf in _positive_text(child)]
    return []


def symbol_pattern(symbol: Symbol) -> str:
    """LIKE pattern: the key anywhere in the stored key ("15/CT" finds "15/CT-UBND"); % and _ in
    what was typed are escaped (the pattern uses ``ESCAPE '\\'``)."""
    escaped = symbol.key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# --- PostgreSQL ------------------------------------------------------------------------------------


def _ts_term(term: Term, *, exact: bool) -> str:
    word = term.exact if exact else term.folded
    return f"'{word}'" + (":*" if term.prefix else "")


def _ts(node: Node, *, exact: bool = False) -> str:
    if isinstance(node, Term):
        return _ts_term(node, exact=exact)
    if isinstance(node, Phrase):
        return "(" + " <-> ".join(_ts_term(term, exact=exact) for term in node.terms) + ")"
    if isinstance(node, AllOf):
        return "(" + " & ".join(_ts(child, exact=exact) for child in node.nodes) + ")"
    if isinstance(node, AnyOf):
        return "(" + " | ".join(_ts(child, exact=exact) for child in node.nodes) + ")"
    raise TypeError(node)


def _pg(node: Node, columns: Columns) -> tuple[str, list[object]]:
    if _text_only(node):
        return f"{columns.vector} @@ to_tsquery('simple', %s)", [_ts(node)]
    if isinstance(node, Symbol):
        return f"{columns.symbol} LIKE %s ESCAPE '\\'", [symbol_pattern(node)]
    if isinstance(node, Not):
        inner, params = _pg(node.node, columns)
        return f"NOT ({inner})", params
    return _combine(node, columns, _pg)


def _combine(node: Node, columns: Columns, each: object) -> tuple[str, list[object]]:
    assert isinstance(node, AllOf | AnyOf)  # noqa: S101 - every other node is handled by the caller
    joiner = " AND " if isinstance(node, AllOf) else " OR "
    text = [child for child in node.nodes if _text_only(child)]
    rest = [child for child in node.nodes if not _text_only(child)]
    parts: list[str] = []
    params: list[object] = []
    if text:  # the words of this level in one engine look-up
        merged = text[0] if len(text) == 1 else type(node)(tuple(text))
        sql, values = each(merged, columns)  # type: ignore[operator]
        parts.append(sql)
        params += values
    for child in rest:
        sql, values = each(child, columns)  # type: ignore[operator]
        parts.append(f"({sql})")
        params += values
    return joiner.join(parts), params


def postgres(query: Query, columns: Columns) -> Compiled:
    where, params = _pg(query.root, columns)
    positive = _positive_text(query.root)
    if not positive:
        return Compiled(where, tuple(params), "CAST(0 AS REAL)", ())
    folded = " | ".join(_ts(leaf) for leaf in positive)
    exact = " | ".join(_ts(leaf, exact=True) for leaf in positive)
    rank = (
        f"(ts_rank_cd({columns.vector}, to_tsquery('simple', %s)) "
        f"+ 2 * ts_rank_cd({columns.exact_vector}, to_tsquery('simple', %s)))"
    )
    return Compiled(where, tuple(params), rank, (folded, exact))


# --- SQLite FTS5 -----------------------------------------------------------------------------------


def _fts_term(term: Term, *, exact: bool) -> str:
    word = term.exact if exact else term.folded
    return f'"{word}"' + ("*" if term.prefix else "")


def _fts(node: Node, *, exact: bool = False) -> str:
    if isinstance(node, Term):
        return _fts_term(node, exact=exact)
    if isinstance(node, Phrase):
        # An FTS5 phrase: "a" + "b" (a prefix only on its last word).
        return " + ".join(_fts_term(term, exact=exact) for term in node.terms)
    if isinstance(node, AllOf):
        return "(" + " AND ".join(_fts(child, exact=exact) for child in node.nodes) + ")"
    if isinstance(node, AnyOf):
        return "(" + " OR ".join(_fts(child, exact=exact) for child in node.nodes) + ")"
    raise TypeError(node)


def fts_match(node: Node, *, exact: bool = False) -> str:
    """The FTS5 MATCH expression of a words-only part, on its column ("folded" or "exact")."""
    return ("exact" if exact else "folded") + " : (" + _fts(node, exact=exact) + ")"


def _sqlite(node: Node, columns: Columns) -> tuple[str, list[object]]:
    if _text_only(node):
        sql = f"{columns.row_id} IN (SELECT rowid FROM {columns.fts_table} WHERE {columns.fts_table} MATCH %s)"  # noqa: S608 - names from the caller, the value a parameter
        return sql, [fts_match(node)]
    if isinstance(node, Symbol):
        return f"{columns.symbol} LIKE %s ESCAPE '\\'", [symbol_pattern(node)]
    if isinstance(node, Not):
        inner, params = _sqlite(node.node, columns)
        return f"NOT ({inner})", params
    return _combine(node, columns, _sqlite)


def sqlite(query: Query, columns: Columns) -> Compiled:
    where, params = _sqlite(query.root, columns)
    positive = _positive_text(query.root)
    if not positive:
        return Compiled(where, tuple(params), "CAST(0 AS REAL)", ())
    # The more query words a document has with their exact diacritics, the higher it ranks; then
    # how many it has folded: one FTS5 look-up per word and form, bounded by the query's words.
    parts = []
    params_rank: list[object] = []
    for leaf in positive:
        for exact, weight in ((True, 2), (False, 1)):
            parts.append(
                f"{weight} * ({columns.row_id} IN (SELECT rowid FROM {columns.fts_table} "  # noqa: S608 - as above
                f"WHERE {columns.fts_table} MATCH %s))"
            )
            params_rank.append(fts_match(leaf, exact=exact))
    return Compiled(where, tuple(params), "(" + " + ".join(parts) + ")", tuple(params_rank))
