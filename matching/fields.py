"""Documents to term columns, without numpy: the part of index building that is pure Python.

Kept free of numpy and scipy so that the CLI can run it in a forked process while the
parent is still importing them (see matching/parallel.py and cli.py).
"""
from __future__ import annotations

from array import array
from functools import partial
from typing import Callable, Iterable

from .model import Document
from .tokenizer import TermColumns, tokenize


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
        out.append((tokenize(_tag_text(doc)), fw["tags"]))
    return out


def _tag_text(doc: Document) -> str:
    """Tags and taxonomy values as one text field (values sorted: sets have no order)."""
    return " ".join(list(doc.tags) + [v for vs in doc.attributes.values() for v in sorted(vs)])


class DocTerms:
    """Term columns of a run of documents, flat: each document has `nfields[i]` fields, each
    field `lens[j]` columns in `cols` and one weight `wts[j]`.

    Plain lists while tokenizing (list.extend is several times faster than array.extend),
    array.array after a trip through :func:`encode_terms`; numpy reads either.
    """

    __slots__ = ("cols", "lens", "wts", "nfields")

    def __init__(self):
        self.cols: list[int] | array = []
        self.lens: list[int] | array = []
        self.wts: list[float] | array = []
        self.nfields: list[int] | array = []


def doc_terms(docs: Iterable[Document], fw: dict[str, float],
              column: Callable[[str], int], columns: TermColumns | None = None,
              runs: list | None = None) -> DocTerms:
    """Tokenize documents into term columns.

    :param docs: the documents.
    :param fw: field weights.
    :param column: term -> column, typically a defaultdict's __getitem__ that numbers new terms.
    :param columns: a TermColumns over that same `column` to reuse (its per-word caches
        carry over between chunks of one build); by default a new one.
    :param runs: if given, CJK runs are not looked up here but appended to this list, each
        standing as one negative marker in the columns (:meth:`TermColumns.extend_deferred`).
    :returns: the flat columns, field lengths, field weights and field counts.
    """
    out = DocTerms()
    cols, lens, wts, nfields = out.cols, out.lens, out.wts, out.nfields
    columns = columns or TermColumns(column)
    ext = columns.extend if runs is None else partial(columns.extend_deferred, runs)
    title_w, summary_w, text_w, tags_w = fw["title"], fw["summary"], fw["text"], fw["tags"]
    for doc in docs:  # the fields and order of doc_fields(), without its token lists
        k = 0
        for text, w in ((doc.title, title_w), (doc.summary, summary_w), (doc.text, text_w)):
            if text:
                lens.append(ext(cols, text))
                wts.append(w)
                k += 1
        if doc.tags or doc.attributes:
            lens.append(ext(cols, _tag_text(doc)))
            wts.append(tags_w)
            k += 1
        nfields.append(k)
    return out


def encode_terms(terms: list[str], t: DocTerms) -> bytes:
    """Serialise a vocabulary (column order) and DocTerms for another process.

    :returns: bytes for :func:`decode_terms`.
    """
    head = "\n".join(terms).encode("utf-8")  # terms never contain a newline (see tokenizer)
    parts = [head] + [array(code, values).tobytes() for code, values in
                      (("i", t.cols), ("i", t.lens), ("d", t.wts), ("i", t.nfields))]
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
    t.cols, t.lens, t.wts, t.nfields = (array(code, raw) for code, raw in zip("iidi", parts[1:]))
    return terms, t
