"""Command line: rank a JSONL corpus for JSONL queries into a TREC run file.

Runs the very engine and defaults the app uses (no per-dataset tuning flags), so the
benchmark measures what users get. Errors are one line on stderr with exit status 2.
"""
from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import sys
from collections import defaultdict


class CliError(Exception):
    """A user-facing error: printed as one line, exit status 2."""


def _read_jsonl(path: str, required: tuple[str, ...]) -> list[dict]:
    try:
        f = open(path, encoding="utf-8")
    except FileNotFoundError:
        raise CliError(f"file not found: {path}") from None
    except OSError as e:
        raise CliError(f"cannot read {path}: {e.strerror}") from None
    with f:
        try:
            text = f.read()
        except UnicodeDecodeError:
            raise CliError(f"{path}: not UTF-8 text") from None
    lines = text.split("\n")  # not splitlines(): JSON strings may hold U+2028 and friends
    body = [ln for ln in lines if ln.strip()]
    try:  # fast path: the whole file as one JSON array, parsed in C
        rows = json.loads("[" + ",".join(body) + "]")
        if len(rows) == len(body) and all(
                type(r) is dict and all(k in r for k in required) for r in rows):
            return rows
    except json.JSONDecodeError:
        pass
    return _read_lines(path, lines, required)  # slow path, only to point at the bad line


def _read_lines(path: str, lines: list[str], required: tuple[str, ...]) -> list[dict]:
    rows = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise CliError(f"{path}:{n}: malformed JSON ({e.msg})") from None
        if not isinstance(obj, dict):
            raise CliError(f"{path}:{n}: expected a JSON object")
        missing = [k for k in required if k not in obj]
        if missing:
            raise CliError(f"{path}:{n}: missing field {missing[0]!r}")
        rows.append(obj)
    return rows


# numpy submodules that scipy's bundled array-API layer (array_api_compat) pulls in only
# because it copies numpy's whole namespace ("from numpy import *" plus every name dir()
# lists); nothing the engine runs uses them. f2py alone costs ~35 ms (it compiles hundreds
# of regexes), testing ~14 ms, ma ~8 ms, random ~7 ms.
_UNUSED_NUMPY_SUBMODULES = ("f2py", "testing", "ma", "random", "polynomial", "ctypeslib")


def _import_scipy_sparse() -> None:
    """Import scipy.sparse without the numpy submodules it never uses (~70 ms of a run).

    While scipy.sparse imports, those not-yet-loaded submodules are left out of
    ``numpy.__all__`` and ``dir(numpy)``, so copying numpy's namespace skips them; anything
    that asks for one by name still gets it (numpy's lazy ``__getattr__`` is untouched).
    Both are restored right after. With a numpy whose namespace looks different (no list
    ``__all__`` or module ``__dir__``) this is a plain import.
    """
    if "scipy.sparse" in sys.modules:
        return
    import numpy as np
    ns = vars(np)
    all_, dir_ = ns.get("__all__"), ns.get("__dir__")
    hide = {n for n in _UNUSED_NUMPY_SUBMODULES if f"numpy.{n}" not in sys.modules}
    if not hide or type(all_) is not list or not callable(dir_):
        import scipy.sparse  # noqa: F401
        return
    np.__all__ = [n for n in all_ if n not in hide]
    np.__dir__ = lambda: [n for n in dir_() if n not in hide]
    try:
        import scipy.sparse  # noqa: F401,F811
    finally:
        np.__all__ = all_
        np.__dir__ = dir_


PARALLEL_MIN_DOCS = 2000
PARALLEL_MIN_QUERIES = 500
PARALLEL_MIN_CHARS = 300_000
"""Below these sizes a second process costs more than it saves (forking and copying pages
cost about 0.05 s of CPU): documents and queries for ranking (300 queries rank in about
0.07 s), characters of corpus text for tokenizing (100,000 characters take 0.05 s)."""


def _reuse_freed_memory() -> None:
    """Let glibc keep freed memory for the next allocation instead of unmapping it.

    Each chunk of queries allocates score arrays of tens of MB; above glibc's mmap threshold
    every one of them is a fresh mapping, paid again in page faults (about 4 % of a run).
    Harmless where it does not apply: other C libraries have no ``mallopt``.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        mallopt = ctypes.CDLL(None).mallopt
    except (ImportError, OSError, AttributeError):
        return
    mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD: glibc's maximum (32 MB on 64-bit)
    mallopt(-1, 1 << 30)   # M_TRIM_THRESHOLD: do not give the heap's top back mid-run


def _cmd_rank(args) -> int:
    _reuse_freed_memory()
    # A short batch process that creates millions of small objects and frees them at exit:
    # the cyclic garbage collector would only rescan them (5-7 % of the run on the bench).
    gc.disable()
    corpus = _read_jsonl(args.corpus, ("id",))
    if not corpus:
        raise CliError(f"{args.corpus}: empty corpus")
    queries = _read_jsonl(args.queries, ("id", "text"))
    from .fields import decode_terms, doc_terms, encode_terms
    from .model import Document, Query
    from .parallel import Forked, spare_core
    parallel = spare_core()
    from .weights import DEFAULT_WEIGHTS
    docs = [_document(args.corpus, d) if len(d) > 3 or "title" not in d or "text" not in d
            else Document(id=str(d["id"]), title=str(d["title"] or ""), text=str(d["text"] or ""))
            for d in corpus]
    del corpus
    # Same engine and results as one process: the second core tokenizes the last three
    # quarters of the corpus while this one imports numpy/scipy (about 0.2 s, as long as
    # tokenizing a few thousand documents) and tokenizes the first quarter...
    tail = None
    if (parallel and len(docs) >= PARALLEL_MIN_DOCS
            and sum(len(d.title) + len(d.text) for d in docs) >= PARALLEL_MIN_CHARS):
        split = len(docs) // 4
        fw = DEFAULT_WEIGHTS.field_weights()

        def tokenize_tail() -> bytes:
            vocab = defaultdict(itertools.count().__next__)
            t = doc_terms(docs[split:], fw, vocab.__getitem__)
            return encode_terms(list(vocab), t)

        helper = Forked(tokenize_tail)

        def fetch():
            data = helper.result()
            return decode_terms(data) if data is not None else None

        tail = (split, fetch)
    _import_scipy_sparse()
    from .build import build_index
    from .rank import rank_many
    try:
        index = build_index(docs, tail=tail)
    except ValueError as e:
        raise CliError(f"{args.corpus}: {e}") from None
    try:
        out = open(args.out, "w", encoding="utf-8") if args.out != "-" else sys.stdout
    except OSError as e:
        raise CliError(f"cannot write {args.out}: {e.strerror}") from None
    qs = [Query(text=str(q["text"]), attributes=_attributes(args.queries, q))
          if q.get("attributes") else Query(text=str(q["text"])) for q in queries]
    qids = [str(q["id"]) for q in queries]

    def run_lines(lo: int, hi: int) -> str:
        results = rank_many(index, qs[lo:hi], top=args.top, raw=True)
        return _trec_lines(qids[lo:hi], results, args.tag)

    # ... and ranks the second half of the queries while this one ranks the first.
    half = len(qs) // 2 if (parallel and len(qs) >= PARALLEL_MIN_QUERIES
                            and len(docs) >= PARALLEL_MIN_DOCS) else len(qs)
    if half < len(qs):
        # Derived matrices both processes need, computed once before the fork.
        index.weighted_segments()
        if len(index.ids) <= index.weights.prf_max_docs:
            index.csr()
        helper = Forked(lambda: run_lines(half, len(qs)).encode("utf-8"))
    with out if out is not sys.stdout else _nullctx(out):
        out.write(run_lines(0, half))
        if half < len(qs):
            data = helper.result()
            out.write(data.decode("utf-8") if data is not None else run_lines(half, len(qs)))
    return 0


FACETS = ("industry", "scenario", "technology", "region")


def _strings(path: str, row: dict, name: str) -> tuple[str, ...]:
    value = row.get(name) or ()
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise CliError(f"{path}: id {row.get('id')!r}: {name!r} must be a string or a list of strings")
    return tuple(value)


def _attributes(path: str, row: dict) -> dict[str, tuple[str, ...]]:
    """The row's {"industry": [...], "scenario": [...], ...} facets, checked."""
    attrs = row.get("attributes") or {}
    if not isinstance(attrs, dict):
        raise CliError(f"{path}: id {row.get('id')!r}: 'attributes' must be an object")
    return {k: _strings(path, attrs, k) for k in attrs if k in FACETS}


def _document(path: str, row: dict):
    """A corpus line with the fields a listing has in the app (all optional but the id):
    title, summary, text, tags, attributes {industry, scenario, technology, region}, owner,
    kind."""
    from .model import Document
    get = row.get
    for name in ("title", "summary", "text", "owner", "kind"):
        if get(name) is not None and not isinstance(get(name), (str, int, float)):
            raise CliError(f"{path}: id {get('id')!r}: {name!r} must be a string")
    owner, kind = get("owner"), get("kind")
    return Document(id=str(row["id"]), title=str(get("title") or ""), text=str(get("text") or ""),
                    summary=str(get("summary") or ""), tags=_strings(path, row, "tags"),
                    attributes=_attributes(path, row), owner=None if owner is None else str(owner),
                    kind=None if kind is None else str(kind))


def _trec_lines(qids: list[str], results: list, tag: str) -> str:
    """TREC run lines "qid Q0 docid rank score tag" for (ids, scores) results.

    One %-formatting call per query over a repeated line template, with the rank numbers
    formatted once: per-line formatting calls were a tenth of a bench run.
    """
    out = []
    tag = tag.replace("%", "%%")
    ranks = [str(i) for i in range(1, max((len(ids) for ids, _ in results), default=0) + 1)]
    for qid, (ids, scores) in zip(qids, results):
        line = qid.replace("%", "%%") + " Q0 %s %s %.9f " + tag + "\n"
        out.append((line * len(ids)) % tuple(itertools.chain.from_iterable(zip(ids, ranks, scores))))
    return "".join(out)


class _nullctx:
    def __init__(self, f):
        self.f = f

    def __enter__(self):
        return self.f

    def __exit__(self, *a):
        self.f.flush()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and --help).

    :returns: parser with the "rank" subcommand.
    """
    p = argparse.ArgumentParser(prog="python -m matching",
                                description="Scenario Catalog matching engine (BM25F + re-ranking).")
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("rank", help="rank a corpus for queries, write a TREC run")
    r.add_argument("--corpus", required=True, help='JSONL, one {"id","title","text"} per line; optional '
                   '"summary","tags":[...],"attributes":{"industry":[...],"scenario":[...],'
                   '"technology":[...]},"owner","kind"')
    r.add_argument("--queries", required=True, help='JSONL, one {"id","text"} per line; optional "attributes" '
                   '(e.g. {"industry":[...]})')
    r.add_argument("--top", type=int, default=100, help="results per query (default 100)")
    r.add_argument("--out", default="-", help="run file (default: stdout)")
    r.add_argument("--tag", default="matching", help="run tag column (default: matching)")
    sub.add_parser("config", help="print the default ranking weights as JSON "
                                  "(strong_match_confidence among them)")
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m matching``.

    :param argv: arguments (default sys.argv[1:]).
    :returns: exit status (0 ok, 2 usage or input error).
    """
    args = build_parser().parse_args(argv)
    try:
        if args.cmd == "config":
            from .weights import DEFAULT_WEIGHTS
            print(json.dumps(DEFAULT_WEIGHTS.to_dict(), ensure_ascii=False, indent=2))
            return 0
        if args.top <= 0:
            raise CliError("--top must be positive")
        return _cmd_rank(args)
    except CliError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. piped into head: the reader left, nothing to report
        # Point stdout at /dev/null so the final flush does not raise again (Python docs,
        # "Note on SIGPIPE").
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
