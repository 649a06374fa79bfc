import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run(*args):
    return subprocess.run([sys.executable, "-m", "matching", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=60)


def write(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path):
    rows = [{"id": f"d{i}", "title": t, "text": x} for i, (t, x) in enumerate([
        ("机器视觉缺陷检测", "汽车零部件外观检测"), ("智能排程 APS", "排产优化"),
        ("能源管理系统", "能耗监测"), ("AGV 移动机器人", "仓储搬运")])]
    return write(tmp_path / "corpus.jsonl", rows)


def test_help():
    r = run("--help")
    assert r.returncode == 0 and "rank" in r.stdout


def test_success_run(tmp_path, corpus):
    q = write(tmp_path / "q.jsonl", [{"id": "q1", "text": "视觉检测"}, {"id": "q2", "text": "排产"}])
    out = tmp_path / "run.trec"
    r = run("rank", "--corpus", str(corpus), "--queries", str(q), "--top", "3", "--out", str(out))
    assert r.returncode == 0, r.stderr
    lines = [ln.split() for ln in out.read_text().splitlines()]
    assert lines[0][:4] == ["q1", "Q0", "d0", "1"] and len(lines[0]) == 6
    assert any(ln[0] == "q2" and ln[2] == "d1" for ln in lines)


def test_missing_file(tmp_path, corpus):
    r = run("rank", "--corpus", str(tmp_path / "nope.jsonl"), "--queries", str(corpus))
    assert r.returncode == 2 and "not found" in r.stderr and "Traceback" not in r.stderr


def test_malformed_line_reports_line_number(tmp_path, corpus):
    q = tmp_path / "q.jsonl"
    q.write_text('{"id": "q1", "text": "a"}\n{"id": "q2", "text": \n', encoding="utf-8")
    r = run("rank", "--corpus", str(corpus), "--queries", str(q))
    assert r.returncode == 2 and f"{q}:2:" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_empty_corpus(tmp_path):
    c = tmp_path / "c.jsonl"
    c.write_text("\n", encoding="utf-8")
    q = write(tmp_path / "q.jsonl", [{"id": "q1", "text": "x"}])
    r = run("rank", "--corpus", str(c), "--queries", str(q))
    assert r.returncode == 2 and "empty corpus" in r.stderr and "Traceback" not in r.stderr


def test_no_web_framework_imported():
    code = "import matching, sys; assert 'flask' not in sys.modules; assert 'sqlalchemy' not in sys.modules"
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_two_objects_on_one_line_is_malformed(tmp_path, corpus):
    q = tmp_path / "q.jsonl"
    q.write_text('{"id": "q1", "text": "a"}, {"id": "q2", "text": "b"}\n', encoding="utf-8")
    r = run("rank", "--corpus", str(corpus), "--queries", str(q))
    assert r.returncode == 2 and f"{q}:1:" in r.stderr


def test_missing_field_reports_line(tmp_path, corpus):
    q = write(tmp_path / "q.jsonl", [{"id": "q1", "text": "a"}, {"id": "q2"}])
    r = run("rank", "--corpus", str(corpus), "--queries", str(q))
    assert r.returncode == 2 and f"{q}:2: missing field 'text'" in r.stderr


def test_run_lines_keep_percent_signs_and_number_ranks(tmp_path, corpus):
    q = write(tmp_path / "q.jsonl", [{"id": "q%d1", "text": "视觉检测 排产 能源 机器人"}])
    out = tmp_path / "run.trec"
    r = run("rank", "--corpus", str(corpus), "--queries", str(q), "--out", str(out), "--tag", "t%s")
    assert r.returncode == 0, r.stderr
    lines = [ln.split() for ln in out.read_text().splitlines()]
    assert [ln[3] for ln in lines] == [str(i) for i in range(1, len(lines) + 1)] and len(lines) == 4
    assert all(ln[0] == "q%d1" and ln[5] == "t%s" and len(ln[4].split(".")[1]) == 9 for ln in lines)
    assert sorted({ln[2] for ln in lines}) == ["d0", "d1", "d2", "d3"]


def test_lean_scipy_import_skips_unused_numpy_parts_and_restores_numpy():
    code = (
        "import sys, numpy\n"
        "all_, dir_ = numpy.__all__, numpy.__dir__\n"
        "from matching.cli import _import_scipy_sparse\n"
        "_import_scipy_sparse()\n"
        "import scipy.sparse as sp\n"
        "assert numpy.__all__ is all_ and numpy.__dir__ is dir_\n"
        "assert 'f2py' in numpy.__all__ and 'f2py' in dir(numpy)\n"
        "print('numpy.f2py' in sys.modules, 'numpy.testing' in sys.modules)\n"
        "assert numpy.ma.is_masked(numpy.ma.masked_array([1], mask=[True]))\n"
        "m = sp.csr_matrix(([1.0, 2.0], [0, 1], [0, 1, 2]), shape=(2, 2))\n"
        "assert (m @ m.T).toarray().tolist() == [[1.0, 0.0], [0.0, 4.0]]\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["False", "False"]


def test_config_prints_the_defaults_with_the_strong_match_threshold():
    from matching import DEFAULT_WEIGHTS
    r = run("config")
    assert r.returncode == 0, r.stderr
    printed = json.loads(r.stdout)
    assert printed["strong_match_confidence"] == DEFAULT_WEIGHTS.strong_match_confidence
    assert 0.0 < printed["strong_match_confidence"] < 1.0


def test_listing_fields_and_query_attributes(tmp_path):
    rows = [{"id": f"L{i}", "kind": k, "title": t, "summary": s, "text": x, "tags": tags,
             "attributes": {"industry": [ind], "scenario": [sc], "technology": ["机器视觉"]}, "owner": f"D{i}"}
            for i, (k, t, s, x, tags, ind, sc) in enumerate([
                ("solution", "玻璃盖板外观检测", "划伤崩边自动检测", "替代人工目检", ["外观检测"], "电子信息", "在线智能检测"),
                ("solution", "饮料瓶身外观检测", "瓶身缺陷自动检测", "替代人工目检", ["外观检测"], "食品饮料", "在线智能检测"),
                ("product", "能耗管理系统", "分项计量", "空压机能耗分析", ["能耗"], "通用", "能源智能管控")])]
    rows.append({"id": "plain", "title": "外观检测服务", "text": "只有标题和正文的旧格式"})
    corpus = write(tmp_path / "corpus.jsonl", rows)
    q = write(tmp_path / "q.jsonl", [{"id": "q1", "text": "外观检测替代目检", "attributes": {"industry": ["食品饮料"]}},
                                     {"id": "q2", "text": "外观检测"}])
    out = tmp_path / "run.trec"
    r = run("rank", "--corpus", str(corpus), "--queries", str(q), "--out", str(out))
    assert r.returncode == 0, r.stderr
    lines = [ln.split() for ln in out.read_text().splitlines()]
    q1 = [ln for ln in lines if ln[0] == "q1"]
    assert q1[0][2] == "L1"  # the stated industry decides between two equal texts
    scores = [float(ln[4]) for ln in q1]
    assert all(0.0 <= x <= 1.0 for x in scores) and scores == sorted(scores, reverse=True)
    assert len(set(scores)) == len(scores)  # no ties: sorting by score gives back the ranking
    assert any(ln[0] == "q2" and ln[2] == "plain" for ln in lines)


@pytest.mark.parametrize("row, message", [
    ({"id": "x", "title": "t", "tags": "ok", "attributes": {"industry": [1]}}, "'industry' must be"),
    ({"id": "x", "title": "t", "tags": [{"a": 1}]}, "'tags' must be"),
    ({"id": "x", "title": "t", "attributes": ["电子信息"]}, "'attributes' must be an object"),
    ({"id": "x", "title": ["t"]}, "'title' must be a string"),
])
def test_bad_listing_fields_are_reported(tmp_path, row, message):
    corpus = write(tmp_path / "corpus.jsonl", [row])
    q = write(tmp_path / "q.jsonl", [{"id": "q1", "text": "检测"}])
    r = run("rank", "--corpus", str(corpus), "--queries", str(q))
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr


def test_bad_query_attributes_are_reported(tmp_path, corpus):
    q = write(tmp_path / "q.jsonl", [{"id": "q1", "text": "检测", "attributes": "电子信息"}])
    r = run("rank", "--corpus", str(corpus), "--queries", str(q))
    assert r.returncode == 2 and "'attributes' must be an object" in r.stderr
