"""Guangdong administrative divisions: 21 prefecture-level cities and their
county-level divisions (districts, counties, county-level cities).

Codes are the 6-digit codes of GB/T 2260 as published by the Ministry of Civil
Affairs (state as of 2024). Dongguan (441900) and Zhongshan (442000) are
prefecture-level cities without county-level divisions, so they have no
children here. Functional areas without an official code (e.g. Shenzhen's
Dapeng New Area) are not listed.

Each entry: {"code", "name_zh", "name_en", "parent": code-or-None,
"level": "city" | "district"}. "district" is used for every county-level
division, whatever its actual type.
"""

from typing import Dict, Optional, Tuple


def _city(code: str, name_zh: str, name_en: str) -> Dict[str, Optional[str]]:
    return {"code": code, "name_zh": name_zh, "name_en": name_en,
            "parent": None, "level": "city"}


def _dist(code: str, name_zh: str, name_en: str, parent: str) -> Dict[str, Optional[str]]:
    return {"code": code, "name_zh": name_zh, "name_en": name_en,
            "parent": parent, "level": "district"}


REGIONS: Tuple[Dict[str, Optional[str]], ...] = (
    # Guangzhou
    _city("440100", "广州市", "Guangzhou"),
    _dist("440103", "荔湾区", "Liwan District", "440100"),
    _dist("440104", "越秀区", "Yuexiu District", "440100"),
    _dist("440105", "海珠区", "Haizhu District", "440100"),
    _dist("440106", "天河区", "Tianhe District", "440100"),
    _dist("440111", "白云区", "Baiyun District", "440100"),
    _dist("440112", "黄埔区", "Huangpu District", "440100"),
    _dist("440113", "番禺区", "Panyu District", "440100"),
    _dist("440114", "花都区", "Huadu District", "440100"),
    _dist("440115", "南沙区", "Nansha District", "440100"),
    _dist("440117", "从化区", "Conghua District", "440100"),
    _dist("440118", "增城区", "Zengcheng District", "440100"),
    # Shaoguan
    _city("440200", "韶关市", "Shaoguan"),
    _dist("440203", "武江区", "Wujiang District", "440200"),
    _dist("440204", "浈江区", "Zhenjiang District", "440200"),
    _dist("440205", "曲江区", "Qujiang District", "440200"),
    _dist("440222", "始兴县", "Shixing County", "440200"),
    _dist("440224", "仁化县", "Renhua County", "440200"),
    _dist("440229", "翁源县", "Wengyuan County", "440200"),
    _dist("440232", "乳源瑶族自治县", "Ruyuan Yao Autonomous County", "440200"),
    _dist("440233", "新丰县", "Xinfeng County", "440200"),
    _dist("440281", "乐昌市", "Lechang City", "440200"),
    _dist("440282", "南雄市", "Nanxiong City", "440200"),
    # Shenzhen
    _city("440300", "深圳市", "Shenzhen"),
    _dist("440303", "罗湖区", "Luohu District", "440300"),
    _dist("440304", "福田区", "Futian District", "440300"),
    _dist("440305", "南山区", "Nanshan District", "440300"),
    _dist("440306", "宝安区", "Bao'an District", "440300"),
    _dist("440307", "龙岗区", "Longgang District", "440300"),
    _dist("440308", "盐田区", "Yantian District", "440300"),
    _dist("440309", "龙华区", "Longhua District", "440300"),
    _dist("440310", "坪山区", "Pingshan District", "440300"),
    _dist("440311", "光明区", "Guangming District", "440300"),
    # Zhuhai
    _city("440400", "珠海市", "Zhuhai"),
    _dist("440402", "香洲区", "Xiangzhou District", "440400"),
    _dist("440403", "斗门区", "Doumen District", "440400"),
    _dist("440404", "金湾区", "Jinwan District", "440400"),
    # Shantou
    _city("440500", "汕头市", "Shantou"),
    _dist("440507", "龙湖区", "Longhu District", "440500"),
    _dist("440511", "金平区", "Jinping District", "440500"),
    _dist("440512", "濠江区", "Haojiang District", "440500"),
    _dist("440513", "潮阳区", "Chaoyang District", "440500"),
    _dist("440514", "潮南区", "Chaonan District", "440500"),
    _dist("440515", "澄海区", "Chenghai District", "440500"),
    _dist("440523", "南澳县", "Nan'ao County", "440500"),
    # Foshan
    _city("440600", "佛山市", "Foshan"),
    _dist("440604", "禅城区", "Chancheng District", "440600"),
    _dist("440605", "南海区", "Nanhai District", "440600"),
    _dist("440606", "顺德区", "Shunde District", "440600"),
    _dist("440607", "三水区", "Sanshui District", "440600"),
    _dist("440608", "高明区", "Gaoming District", "440600"),
    # Jiangmen
    _city("440700", "江门市", "Jiangmen"),
    _dist("440703", "蓬江区", "Pengjiang District", "440700"),
    _dist("440704", "江海区", "Jianghai District", "440700"),
    _dist("440705", "新会区", "Xinhui District", "440700"),
    _dist("440781", "台山市", "Taishan City", "440700"),
    _dist("440783", "开平市", "Kaiping City", "440700"),
    _dist("440784", "鹤山市", "Heshan City", "440700"),
    _dist("440785", "恩平市", "Enping City", "440700"),
    # Zhanjiang
    _city("440800", "湛江市", "Zhanjiang"),
    _dist("440802", "赤坎区", "Chikan District", "440800"),
    _dist("440803", "霞山区", "Xiashan District", "440800"),
    _dist("440804", "坡头区", "Potou District", "440800"),
    _dist("440811", "麻章区", "Mazhang District", "440800"),
    _dist("440823", "遂溪县", "Suixi County", "440800"),
    _dist("440825", "徐闻县", "Xuwen County", "440800"),
    _dist("440881", "廉江市", "Lianjiang City", "440800"),
    _dist("440882", "雷州市", "Leizhou City", "440800"),
    _dist("440883", "吴川市", "Wuchuan City", "440800"),
    # Maoming
    _city("440900", "茂名市", "Maoming"),
    _dist("440902", "茂南区", "Maonan District", "440900"),
    _dist("440904", "电白区", "Dianbai District", "440900"),
    _dist("440981", "高州市", "Gaozhou City", "440900"),
    _dist("440982", "化州市", "Huazhou City", "440900"),
    _dist("440983", "信宜市", "Xinyi City", "440900"),
    # Zhaoqing
    _city("441200", "肇庆市", "Zhaoqing"),
    _dist("441202", "端州区", "Duanzhou District", "441200"),
    _dist("441203", "鼎湖区", "Dinghu District", "441200"),
    _dist("441204", "高要区", "Gaoyao District", "441200"),
    _dist("441223", "广宁县", "Guangning County", "441200"),
    _dist("441224", "怀集县", "Huaiji County", "441200"),
    _dist("441225", "封开县", "Fengkai County", "441200"),
    _dist("441226", "德庆县", "Deqing County", "441200"),
    _dist("441284", "四会市", "Sihui City", "441200"),
    # Huizhou
    _city("441300", "惠州市", "Huizhou"),
    _dist("441302", "惠城区", "Huicheng District", "441300"),
    _dist("441303", "惠阳区", "Huiyang District", "441300"),
    _dist("441322", "博罗县", "Boluo County", "441300"),
    _dist("441323", "惠东县", "Huidong County", "441300"),
    _dist("441324", "龙门县", "Longmen County", "441300"),
    # Meizhou
    _city("441400", "梅州市", "Meizhou"),
    _dist("441402", "梅江区", "Meijiang District", "441400"),
    _dist("441403", "梅县区", "Meixian District", "441400"),
    _dist("441422", "大埔县", "Dabu County", "441400"),
    _dist("441423", "丰顺县", "Fengshun County", "441400"),
    _dist("441424", "五华县", "Wuhua County", "441400"),
    _dist("441426", "平远县", "Pingyuan County", "441400"),
    _dist("441427", "蕉岭县", "Jiaoling County", "441400"),
    _dist("441481", "兴宁市", "Xingning City", "441400"),
    # Shanwei
    _city("441500", "汕尾市", "Shanwei"),
    _dist("441502", "城区", "Chengqu District", "441500"),
    _dist("441521", "海丰县", "Haifeng County", "441500"),
    _dist("441523", "陆河县", "Luhe County", "441500"),
    _dist("441581", "陆丰市", "Lufeng City", "441500"),
    # Heyuan
    _city("441600", "河源市", "Heyuan"),
    _dist("441602", "源城区", "Yuancheng District", "441600"),
    _dist("441621", "紫金县", "Zijin County", "441600"),
    _dist("441622", "龙川县", "Longchuan County", "441600"),
    _dist("441623", "连平县", "Lianping County", "441600"),
    _dist("441624", "和平县", "Heping County", "441600"),
    _dist("441625", "东源县", "Dongyuan County", "441600"),
    # Yangjiang
    _city("441700", "阳江市", "Yangjiang"),
    _dist("441702", "江城区", "Jiangcheng District", "441700"),
    _dist("441704", "阳东区", "Yangdong District", "441700"),
    _dist("441721", "阳西县", "Yangxi County", "441700"),
    _dist("441781", "阳春市", "Yangchun City", "441700"),
    # Qingyuan
    _city("441800", "清远市", "Qingyuan"),
    _dist("441802", "清城区", "Qingcheng District", "441800"),
    _dist("441803", "清新区", "Qingxin District", "441800"),
    _dist("441821", "佛冈县", "Fogang County", "441800"),
    _dist("441823", "阳山县", "Yangshan County", "441800"),
    _dist("441825", "连山壮族瑶族自治县", "Lianshan Zhuang and Yao Autonomous County", "441800"),
    _dist("441826", "连南瑶族自治县", "Liannan Yao Autonomous County", "441800"),
    _dist("441881", "英德市", "Yingde City", "441800"),
    _dist("441882", "连州市", "Lianzhou City", "441800"),
    # Dongguan and Zhongshan: no county-level divisions
    _city("441900", "东莞市", "Dongguan"),
    _city("442000", "中山市", "Zhongshan"),
    # Chaozhou
    _city("445100", "潮州市", "Chaozhou"),
    _dist("445102", "湘桥区", "Xiangqiao District", "445100"),
    _dist("445103", "潮安区", "Chao'an District", "445100"),
    _dist("445122", "饶平县", "Raoping County", "445100"),
    # Jieyang
    _city("445200", "揭阳市", "Jieyang"),
    _dist("445202", "榕城区", "Rongcheng District", "445200"),
    _dist("445203", "揭东区", "Jiedong District", "445200"),
    _dist("445222", "揭西县", "Jiexi County", "445200"),
    _dist("445224", "惠来县", "Huilai County", "445200"),
    _dist("445281", "普宁市", "Puning City", "445200"),
    # Yunfu
    _city("445300", "云浮市", "Yunfu"),
    _dist("445302", "云城区", "Yuncheng District", "445300"),
    _dist("445303", "云安区", "Yun'an District", "445300"),
    _dist("445321", "新兴县", "Xinxing County", "445300"),
    _dist("445322", "郁南县", "Yunan County", "445300"),
    _dist("445381", "罗定市", "Luoding City", "445300"),
)
