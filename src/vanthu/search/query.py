"""The search language of Vanthu, parsed once and compiled for each engine.

What a clerk types:

- words: every word must match (``kế hoạch phòng chống lụt bão``), with or without diacritics:
  ``quyet dinh dat dai`` finds "Quyết định … đất đai" (đ folds to d);
- ``"a phrase in quotes"``: the words next to each other, in this order;
- ``OR`` between two parts (``HOẶC`` too); ``NOT`` before a part, or ``-word``;
- ``chuyển*``: a prefix; parentheses group;
- a number and symbol (``15/CT-UBND``, ``CT-UBND``, ``15/CT``, ``30/2020/NĐ-CP``): looked up
  in the document's number-and-symbol, exactly or as a part.

Both forms of every word are kept: ``folded`` (what matches) and ``exact`` (lower case with its
diacritics: documents with the exact diacritics rank above folded matches).

Text is cut into words the same way for the stored text and for queries (``words``), so the
database engines (PostgreSQL's ``simple`` parser, SQLite FTS5's ``unicode61``) see the same tokens
whatever they would have done with punctuation. Parsing never fails on what a person may type:
unbalanced quotes or parentheses close at the end, a dangling operator is dropped; a query that
leaves nothing to search for raises ``EmptyQueryError`` with a Vietnamese message."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field

from django.utils.translation import gettext as _

from vanthu.core.errors import ValidationError
from vanthu.core.text import exact_form
from vanthu.core.text import fold
from vanthu.core.text import symbol_key
from vanthu.core.text import words

MAX_QUERY_LENGTH = 300
MAX_TERMS = 24
MIN_PREFIX = 2  # "a*" would match half the dictionary

# A number and symbol as written on documents: digits and/or capitals joined by / and -, with at
# least one of them and at least one capital letter ("15/CT-UBND", "CT-UBND", "30/2020/NĐ-CP").
_SYMBOL = re.compile(r"^(?=.*[/-])(?=.*[A-ZĐÐ])[0-9A-ZĐÐa-zđ]+(?:[/-][0-9A-ZĐÐa-zđ]+)+$")
_TOKEN = re.compile(r'"|\(|\)|[^\s"()]+')
_OPERATORS = {"AND": "AND", "VÀ": "AND", "OR": "OR", "HOẶC": "OR", "NOT": "NOT", "KHÔNG": "NOT"}


class EmptyQueryError(ValidationError):
    """Nothing to search for (empty, only operators or punctuation, or too long)."""


# --- the parsed query ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One word (or a prefix): ``folded`` matches, ``exact`` ranks."""

    folded: str
    exact: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    """Words next to each other, in order (also what a word with punctuation becomes: 'e-mail')."""

    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Symbol:
    """A number and symbol lookup ('15/CT-UBND' -> key '15/CT-UBND'; exact or a part of it)."""

    key: str
    text: str


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class AllOf:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    nodes: tuple[Node, ...]


Node = Term | Phrase | Symbol | Not | AllOf | AnyOf


@dataclass(frozen=True)
class Query:
    """A parsed query: its tree, and what it says in words for the results page."""

    text: str
    root: Node
    terms: tuple[Term, ...] = field(default=())
    symbols: tuple[Symbol, ...] = field(default=())

    @property
    def highlight_words(self) -> tuple[str, ...]:
        """The folded words to highlight in snippets (not those under NOT)."""
        return tuple(dict.fromkeys(term.folded for term in self.terms))


# --- parsing -------------------------------------------------------------------------------------


def _term(word: str, *, prefix: bool = False) -> Term | None:
    folded = fold(word)
    if not folded or (prefix and len(folded) < MIN_PREFIX):
        return None if not folded else Term(folded=folded, exact=exact_form(word))
    return Term(folded=folded, exact=exact_form(word), prefix=prefix)


def _word_node(raw: str) -> Node | None:
    """A bare word as typed: a number-and-symbol, a prefix, a word, or (punctuated) a phrase."""
    if _SYMBOL.match(raw):
        return Symbol(key=symbol_key(raw), text=raw)
    prefix = raw.endswith("*")
    parts = words(raw.rstrip("*"))
    if not parts:
        return None
    if len(parts) == 1:
        return _term(parts[0], prefix=prefix)
    terms = [t for t in (_term(p) for p in parts[:-1]) if t] + [t for t in [_term(parts[-1], prefix=prefix)] if t]
    return Phrase(tuple(terms)) if len(terms) > 1 else (terms[0] if terms else None)


def _phrase_node(raw: str) -> Node | None:
    terms = tuple(t for t in (_term(p) for p in words(raw)) if t)
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else Phrase(terms)


class _Parser:
    """Recursive descent over the tokens: or := and (OR and)*; and := unary+; unary := NOT unary |
    '(' or ')' | phrase | word."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Node | None:
        node = self.any_()
        while self.peek() is not None:  # a stray ")" : skip it and go on
            self.take()
            more = self.any_()
            node = _join(AllOf, [n for n in (node, more) if n is not None])
        return node

    def any_(self) -> Node | None:
        parts = [self.all_()]
        while _OPERATORS.get(self.peek() or "") == "OR":
            self.take()
            parts.append(self.all_())
        return _join(AnyOf, [p for p in parts if p is not None])

    def all_(self) -> Node | None:
        parts: list[Node] = []
        while (piece := self.peek()) is not None and piece != ")" and _OPERATORS.get(piece) != "OR":
            if _OPERATORS.get(piece) == "AND":
                self.take()
                continue
            node = self.unary()
            if node is not None:
                parts.append(node)
        return _join(AllOf, parts)

    def unary(self) -> Node | None:
        piece = self.take()
        if _OPERATORS.get(piece) == "NOT":
            if self.peek() is None or self.peek() == ")" or _OPERATORS.get(self.peek() or "") == "OR":
                return None
            inner = self.unary()
            return Not(inner) if inner is not None else None
        if piece == "(":
            node = self.any_()
            if self.peek() == ")":
                self.take()
            return node
        if piece == '"':
            collected: list[str] = []
            while (quoted := self.peek()) is not None and quoted != '"':
                collected.append(self.take())
            if self.peek() == '"':
                self.take()
            return _phrase_node(" ".join(collected))
        if piece.startswith("-") and len(piece) > 1 and not _SYMBOL.match(piece):
            inner_node = _word_node(piece[1:])
            return Not(inner_node) if inner_node is not None else None
        return _word_node(piece)


def _join(kind: type[AllOf] | type[AnyOf], nodes: list[Node]) -> Node | None:
    if not nodes:
        return None
    if len(nodes) == 1:
        return nodes[0]
    flat: list[Node] = []
    for node in nodes:
        flat.extend(node.nodes if isinstance(node, kind) else [node])
    return kind(tuple(flat))


def _collect(node: Node, terms: list[Term], symbols: list[Symbol], *, negated: bool = False) -> None:
    if isinstance(node, Term):
        if not negated:
            terms.append(node)
    elif isinstance(node, Phrase):
        if not negated:
            terms.extend(node.terms)
    elif isinstance(node, Symbol):
        if not negated:
            symbols.append(node)
    elif isinstance(node, Not):
        _collect(node.node, terms, symbols, negated=not negated)
    else:
        for child in node.nodes:
            _collect(child, terms, symbols, negated=negated)


def _only_negative(node: Node) -> bool:
    """True when nothing in the query says what to find (``NOT x``, ``-a -b``): refused, since it
    would list every document."""
    if isinstance(node, Not):
        return True
    if isinstance(node, AllOf):
        return all(_only_negative(child) for child in node.nodes)
    if isinstance(node, AnyOf):
        return any(_only_negative(child) for child in node.nodes)
    return False


def parse(text: str) -> Query:
    """The query ``text`` as a tree; ``EmptyQueryError`` when there is nothing to search for."""
    text = unicodedata.normalize("NFC", text or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise EmptyQueryError(
            _("The search is too long: at most %(count)d characters.") % {"count": MAX_QUERY_LENGTH},
            code="query_too_long",
        )
    root = _Parser(_TOKEN.findall(text)).parse()
    if root is None:
        raise EmptyQueryError(_("Type a few words, a phrase or a number and symbol to search for."), code="empty_query")
    if _only_negative(root):
        raise EmptyQueryError(
            _("Say what to find as well as what to leave out (NOT alone finds everything)."), code="only_negative"
        )
    terms: list[Term] = []
    symbols: list[Symbol] = []
    _collect(root, terms, symbols)
    if len(terms) + len(symbols) > MAX_TERMS:
        raise EmptyQueryError(
            _("The search has too many words: at most %(count)d.") % {"count": MAX_TERMS}, code="too_many_terms"
        )
    return Query(text=text, root=root, terms=tuple(terms), symbols=tuple(symbols))
