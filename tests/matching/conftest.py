"""Small synthetic catalog shared by the matching tests (never the shared bench data)."""
import pytest

from matching import Document


def make_docs():
    return [
        Document(id="s1", title="机器视觉缺陷检测系统", summary="深度学习表面缺陷检测",
                 text="适用于汽车零部件、3C 电子外观检测，支持 YP2-71M2 电机外壳",
                 tags=("机器视觉", "缺陷检测"), owner="A", verified=True, kind="solution",
                 attributes={"scenario": {"质量检测"}, "industry": {"汽车"}, "region": {"广州"}}),
        Document(id="s2", title="AOI 外观检测设备", text="PCB 线路板 AOI 外观检测", owner="B",
                 kind="product", attributes={"scenario": {"质量检测"}, "industry": {"电子"}}),
        Document(id="s3", title="智能排程 APS 系统", text="生产计划与排产优化，缩短交期", owner="C",
                 kind="solution", attributes={"scenario": {"生产计划"}}),
        Document(id="s4", title="设备预测性维护平台", text="振动分析与故障预测，减少停机", owner="D",
                 kind="solution", attributes={"scenario": {"设备运维"}}),
        Document(id="c1", title="案例：汽车零部件视觉质检", text="机器视觉 缺陷检测 项目交付", owner="B",
                 kind="case", attributes={"scenario": {"质量检测"}}),
        Document(id="s5", title="能源管理系统", text="工厂能耗监测与节能降耗", owner="E", kind="solution"),
    ]


@pytest.fixture
def docs():
    return make_docs()
