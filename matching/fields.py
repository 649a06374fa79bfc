"""Documents to term columns, without numpy: the part of index building that is pure Python.

Kept free of numpy and scipy so that the CLI can run it in a forked process while the
parent is still importing them (see matching/parallel.py and cli.py).
"""
from __future__ import annotations

from array import array
from typing import Callable, Iterable

from .model import Document
from .tokenizer import tokenize


def doc_fields(doc: Document, fw: dict[str, float]) -> list[tuple[list[str], float]]:
    """(tokens, field weight) of the document's non-empty fields.

    :param doc: the document.
    :param fw: field name -> weight, as RankingWeights.field_weights() gives.
    :returns: one pair per non-empty field, in a fixed field order.
    """
    out = []
    if doc.title:
        out.append((tokenize(doc.title), fw["title"]))
    if doc.summary:
        out.append((tokenize(doc.summary), fw["summary"]))
    if doc.text:
        out.append((tokenize(doc.text), fw["text"]))
    if doc.tags or doc.attributes:
        tag_text = " ".join(list(doc.tags) + [v for vs in doc.attributes.values() for v in sorted(vs)])
        out.append((tokenize(tag_text), fw["tags"]))
    return out


class DocTerms:
    """Term columns of a run of documents, flat: each document has `nfields[i]` fields, each
    field `lens[j]` columns in `cols` and one weight `wts[j]` (array.array, so no numpy)."""

    __slots__ = ("cols", "lens", "wts", "nfields")

    def __init__(self):
        self.cols = array("i")
        self.lens = array("i")
        self.wts = array("d")
        self.nfields = array("i")


def doc_terms(docs: Iterable[Document], fw: dict[str, float],
              column: Callable[[str], int]) -> DocTerms:
    """Tokenize documents into term columns.

    :param docs: the documents.
    :param fw: field weights.
    :param column: term -> column, typically a defaultdict's __getitem__ that numbers new terms.
    :returns: the flat columns, field lengths, field weights and field counts.
    """
    out = DocTerms()
    cols, lens, wts, nfields = out.cols, out.lens, out.wts, out.nfields
    for doc in docs:
        fields = doc_fields(doc, fw)
        nfields.append(len(fields))
        for toks, w in fields:
            cols.extend(map(column, toks))
            lens.append(len(toks))
            wts.append(w)
    return out


def encode_terms(terms: list[str], t: DocTerms) -> bytes:
    """Serialise a vocabulary (column order) and DocTerms for another process.

    :returns: bytes for :func:`decode_terms`.
    """
    head = "\n".join(terms).encode("utf-8")  # terms never contain a newline (see tokenizer)
    parts = [head, t.cols.tobytes(), t.lens.tobytes(), t.wts.tobytes(), t.nfields.tobytes()]
    sizes = array("q", [len(p) for p in parts])
    return sizes.tobytes() + b"".join(parts)


def decode_terms(data: bytes) -> tuple[list[str], DocTerms]:
    """Inverse of :func:`encode_terms`.

    :returns: (terms in column order, DocTerms).
    """
    sizes = array("q")
    sizes.frombytes(data[:40])
    pos, parts = 40, []
    for n in sizes:
        parts.append(data[pos:pos + n])
        pos += n
    terms = parts[0].decode("utf-8").split("\n") if parts[0] else []
    t = DocTerms()
    for arr, raw in zip((t.cols, t.lens, t.wts, t.nfields), parts[1:]):
        arr.frombytes(raw)
    return terms, t
