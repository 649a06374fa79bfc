"""The CLI's second process must change nothing but the time: same index, same run file."""
import subprocess
import sys

from matching import Document, build_index, rank
from matching.fields import DocTerms, decode_terms, doc_terms, encode_terms
from matching.parallel import Forked
from matching.weights import DEFAULT_WEIGHTS

from .conftest import make_docs


def test_terms_survive_the_trip_between_processes():
    vocab = {}
    t = doc_terms(make_docs(), DEFAULT_WEIGHTS.field_weights(), lambda s: vocab.setdefault(s, len(vocab)))
    terms, back = decode_terms(encode_terms(list(vocab), t))
    assert terms == list(vocab) and len(t.cols) > 50
    for name in DocTerms.__slots__:
        assert list(getattr(back, name)) == list(getattr(t, name))


def _tokenized_elsewhere(docs, start):
    def fetch():
        vocab = {}
        t = doc_terms(docs[start:], DEFAULT_WEIGHTS.field_weights(), lambda s: vocab.setdefault(s, len(vocab)))
        return decode_terms(encode_terms(list(vocab), t))
    return fetch


def test_build_with_a_pretokenized_tail_is_the_same_index():
    docs = make_docs()
    whole = build_index(docs)
    for fetch in (_tokenized_elsewhere(docs, 3), lambda: None):  # None: the helper failed
        split = build_index(docs, tail=(3, fetch))
        assert split.ids == whole.ids and set(split.vocab) == set(whole.vocab)
        assert abs(split.dl - whole.dl).max() == 0
        for q in ("机器视觉缺陷检测", "APS 排产", "YP2-71M2"):
            assert [(m.doc_id, round(m.score, 6)) for m in rank(split, q)] == \
                   [(m.doc_id, round(m.score, 6)) for m in rank(whole, q)]


def test_forked_returns_the_childs_bytes_or_none_on_failure():
    assert Forked(lambda: b"abc" * 100_000).result() in (b"abc" * 100_000, None)  # None: one CPU
    assert Forked(lambda: 1 / 0).result() is None


def test_cli_output_does_not_depend_on_the_second_process(tmp_path, monkeypatch):
    from matching import cli
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(
        f'{{"id": "d{i}", "title": "{d.title}", "text": "{d.text} {i}"}}\n'
        for i, d in enumerate(make_docs() * 5)), encoding="utf-8")
    queries = tmp_path / "q.jsonl"
    texts = ["机器视觉", "排产", "能耗监测", "汽车零部件外观检测方案", "振动 故障预测"]
    queries.write_text("".join(f'{{"id": "q{i}", "text": "{texts[i % 5]}"}}\n' for i in range(40)),
                       encoding="utf-8")
    runs = []
    for min_docs, min_queries in ((10**9, 10**9), (1, 2)):
        monkeypatch.setattr(cli, "PARALLEL_MIN_DOCS", min_docs)
        monkeypatch.setattr(cli, "PARALLEL_MIN_QUERIES", min_queries)
        monkeypatch.setattr(cli, "PARALLEL_MIN_CHARS", min_docs)
        monkeypatch.setattr("matching.parallel.spare_core", lambda: True)  # whatever the load
        out = tmp_path / f"run{min_docs}.trec"
        assert cli.main(["rank", "--corpus", str(corpus), "--queries", str(queries), "--out", str(out)]) == 0
        runs.append(out.read_text())
    assert runs[0] == runs[1] and runs[0].count("\n") > 40


def test_importing_the_package_does_not_import_numpy():
    code = ("import sys, matching; assert 'numpy' not in sys.modules\n"
            "from matching.explain import render\n"
            "from matching import explain, rank, build_index, Index\n"
            "import matching.rank as r\n"
            "assert callable(explain) and callable(rank) and r is rank and 'numpy' in sys.modules")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_doc_terms_match_doc_fields():
    """Bulk builds (doc_terms) and single adds (doc_fields) must index the same terms."""
    from matching.fields import doc_fields
    fw = DEFAULT_WEIGHTS.field_weights()
    vocab = {}
    col = lambda s: vocab.setdefault(s, len(vocab))  # noqa: E731
    docs = make_docs() + [Document(id="t", tags=("AOI",), attributes={"region": {"广州", "佛山"}})]
    t = doc_terms(docs, fw, col)
    fields = [f for d in docs for f in doc_fields(d, fw)]
    assert list(t.nfields) == [len(doc_fields(d, fw)) for d in docs]
    assert list(t.lens) == [len(toks) for toks, _ in fields] and list(t.wts) == [w for _, w in fields]
    assert list(t.cols) == [col(x) for toks, _ in fields for x in toks]


def test_spare_core_follows_the_load_average(monkeypatch):
    from matching import parallel
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (1.0, 0.0, 0.0))
    assert parallel.spare_core()
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (1.6, 0.0, 0.0))
    assert not parallel.spare_core()
    monkeypatch.setattr(parallel, "cores", lambda: 1)
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert not parallel.spare_core()
