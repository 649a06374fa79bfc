"""On-disk format of an Index: a directory with

* ``arrays.npz`` - the main CSC matrix (data, indices, indptr), document lengths, verified
  flags; read with ``allow_pickle=False``;
* one JSON list per metadata field (terms, ids, titles, labels, tags, attrs, owners, kinds),
* ``bodies.bin`` and ``bodies.npy`` - the texts explanations quote, mapped on load
  (see matching/bodies.py),
  parsed one at a time so loading never holds two copies of everything;
* ``manifest.json`` - format version, matrix shape, ranking weights; written last, so its
  presence marks a complete save.

Several gunicorn workers can load the same directory instead of each building the index.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .bodies import Bodies
from .weights import RankingWeights

FORMAT_VERSION = 2


def save_index(index, path: str | os.PathLike) -> None:
    """Compact an Index and write it as a directory in the format above.

    :param index: the Index.

    No pickle anywhere, so loading an index file cannot execute code.

    :param path: directory to create or overwrite.
    """
    index.compact()
    p = Path(path)
    p.mkdir(parents=True, exist_ok=True)
    terms = [None] * len(index.vocab)
    for t, c in index.vocab.items():
        terms[c] = t
    # Every file is written under a temporary name and renamed into place, the manifest last:
    # a reader never sees a half-written file (to switch workers over without any mixing of
    # old and new files, save to a fresh directory).
    with open(p / "arrays.npz.tmp", "wb") as f:
        np.savez(f, data=index.main.data, indices=index.main.indices,
                 indptr=index.main.indptr, dl=index.dl, verified=index.verified)
    os.replace(p / "arrays.npz.tmp", p / "arrays.npz")
    # One JSON list per field, so loading parses (and frees) one field at a time.
    fields = {"terms": terms, "ids": index.ids, "titles": index.titles,
              # a label equal to the title is stored as "" and shared again on load
              "labels": [lab if lab != t else "" for lab, t in zip(index.labels, index.titles)],
              "tags": [list(t) for t in index.tags], "attrs": [sorted(a) for a in index.attrs],
              "owners": index.owners, "kinds": index.kinds}
    for name, values in fields.items():
        tmp = p / f"{name}.json.tmp"
        tmp.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, p / f"{name}.json")
    index.bodies.save(p)
    manifest = {"format": FORMAT_VERSION, "shape": list(index.main.shape),
                "weights": index.weights.to_dict(), "fields": sorted(fields)}
    tmp = p / "manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, p / "manifest.json")  # written last: its presence marks a complete save


def load_index(cls, path: str | os.PathLike):
    """Read a directory written by :func:`save_index` into a new `cls` (the Index class).

    :param cls: the Index class (passed in to avoid a circular import).
    :param path: directory given to save().
    :returns: the index, ready to rank and to update.
    :raises ValueError: on an unknown format version.
    """
    p = Path(path)
    man = json.loads((p / "manifest.json").read_text(encoding="utf-8"))
    if man.get("format") != FORMAT_VERSION:
        raise ValueError(f"unsupported index format {man.get('format')!r}")
    idx = cls(RankingWeights.from_dict(man["weights"]))
    def field(name):
        return json.loads((p / f"{name}.json").read_text(encoding="utf-8"))

    idx.vocab = {t: i for i, t in enumerate(field("terms"))}
    idx.ids = [str(x) for x in field("ids")]
    idx.row_of = {d: i for i, d in enumerate(idx.ids)}
    # Interning: tags, facets, owners and kinds repeat across listings; sharing one string
    # object per distinct value keeps a 100k-listing worker tens of MB smaller.
    intern = idx._intern
    idx.titles = field("titles")
    idx.labels = [lab or t for lab, t in zip(field("labels"), idx.titles)]
    idx.tags = [tuple(intern(x, x) for x in t) for t in field("tags")]
    cache = idx._attr_cache
    idx.attrs = []
    for a in field("attrs"):
        fs = frozenset(intern(x, x) for x in a)
        idx.attrs.append(cache.setdefault(fs, fs))
    idx.owners = [o if o is None else intern(o, o) for o in field("owners")]
    idx.kinds = [k if k is None else intern(k, k) for k in field("kinds")]
    idx.bodies = Bodies.load(p, len(idx.ids))  # a directory saved before bodies: empty texts
    # Arrays last: the JSON parsing above has freed its temporaries by now, which keeps
    # the load's peak memory close to the steady state.
    with np.load(p / "arrays.npz", allow_pickle=False) as z:
        idx.main = sp.csc_matrix((z["data"], z["indices"], z["indptr"]), shape=tuple(man["shape"]))
        idx.dl = z["dl"].astype(np.float64)
        idx.verified = z["verified"].astype(bool)
    idx.df = np.diff(idx.main.indptr).astype(np.float64)
    idx.alive = np.ones(len(idx.ids), dtype=bool)
    return idx
