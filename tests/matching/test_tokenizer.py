from matching.synonyms import Synonyms, default_synonyms
from matching.tokenizer import normalize, tokenize


def test_mixed_chinese_english_text():
    toks = tokenize("机器视觉 Inspection systems")
    assert {"机", "器", "机器", "器视", "视觉"} <= set(toks)
    assert "inspect" in toks and "system" in toks  # Snowball stems


def test_model_number_split_into_letter_and_digit_runs():
    toks = tokenize("电机 YP2-71M2")
    assert toks[-6:] == ["yp2-71m2", "yp", "2", "71", "m", "2"]


def test_full_width_is_normalised():
    assert normalize("ＹＰ２－７１") == "yp2-71"
    assert tokenize("ＡＯＩ检测") == tokenize("AOI检测")


def test_stop_tokens_removed():
    toks = tokenize("the quality of 检测的设备")
    assert "the" not in toks and "of" not in toks
    assert "的" not in toks          # CJK particle unigram dropped
    assert "测的" in toks            # bigrams keep it: BM25's IDF handles them


def test_whole_chinese_sentence_is_not_one_token():
    toks = tokenize("工业互联网平台解决方案")
    assert "工业互联网平台解决方案" not in toks
    assert "平台" in toks


def test_synonym_groups_loaded_from_data_file():
    syn = default_synonyms()
    assert len(syn.groups) >= 40
    found = dict(syn.find("需要机器视觉检测方案"))
    assert "aoi" in found["机器视觉"]


def test_ascii_synonym_needs_word_boundary():
    syn = Synonyms([("APS", "智能排程")])
    assert syn.find("caps lock") == []
    assert syn.find("APS 系统")[0][1] == ("智能排程",)


def test_english_fast_path_matches_general_path():
    from matching.tokenizer import _TOKEN_RE, _ascii_tokens
    text = "Naïve café α-helix ...end. 3.5-fold IL-6, the COVID-19 cases; x.y."
    general = [t for _, w in _TOKEN_RE.findall(normalize(text)) for t in _ascii_tokens(w)]
    assert tokenize(text) == general
    assert "3.5-fold" in general and "helix" in general and "the" not in general


def test_english_fast_path_full_stops_before_separators():
    from matching.tokenizer import _TOKEN_RE, _ascii_tokens
    for text in ("Cells. Cells.. e.g. v1.2. 1.5. . .. x. y.", "end.", "a.b. c.d-e.\tf.\ng. ."):
        general = [t for _, w in _TOKEN_RE.findall(normalize(text)) for t in _ascii_tokens(w)]
        assert tokenize(text) == general


def test_term_columns_are_the_tokens_columns():
    """The index builder's fused path must see exactly the terms queries are matched with."""
    from collections import defaultdict
    from itertools import count

    from matching.tokenizer import TermColumns
    texts = ["机器视觉的缺陷检测 YP2-71M2 电机", "Inspecting the inspections, COVID-19 v1.2 caps!",
             "ＡＯＩ 外观检测（全角）", "", "了的吗", "x y zz", "PCB 线路板 AOI 外观检测 PCB PCB",
             "Ünïcode café naïve 数据", "a.b-c_d+e 123abc456"]
    vocab = defaultdict(count().__next__)
    tc = TermColumns(vocab.__getitem__)
    for _ in range(2):  # the second round is served from the caches
        for text in texts:
            cols = [7]
            n = tc.extend(cols, text)
            assert cols[1:] == [vocab[t] for t in tokenize(text)] and n == len(cols) - 1


def test_synonym_prefilter_keeps_every_match():
    s = Synonyms([("机器视觉", "视觉检测", "AOI"), ("排产", "APS"), ("x", "y")])
    assert s.find("PCB 的 aoi 检查")[0][0] == "aoi"
    assert [m for m, _ in s.find("需要排产和机器视觉")] == ["排产", "机器视觉"]
    assert s.find("caps 与视觉") == [] and s.find("视") == []
    assert s.find("x") == [("x", ("y",))]  # one-character members still match
