"""Paste realistic demands into the matching engine over the scale-1 demo catalog and print
the top confidence for each: industrial demands should find demo listings with a real
confidence, out-of-domain ones (a hospital, a law firm) must stay below the strong-match bar.

    .venv/bin/python bench/demo_match_check.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from catalog_app.demo.services import load_demo_data  # noqa: E402
from catalog_app.recommendations.confidence import strong_match_confidence  # noqa: E402
from catalog_app.recommendations.services import preview_listings  # noqa: E402
from tests.conftest import fresh_app  # noqa: E402

DEMANDS = {
    "手机玻璃盖板划痕检测": (
        "我司为东莞一家手机玻璃盖板加工厂，主要做3D曲面玻璃盖板和摄像头镜片。目前CNC精雕、抛光后的划痕、崩边、"
        "麻点、脏污全靠人工在强光灯下目检，每班40名质检员，漏检率约1.5%，客户投诉多。希望引入机器视觉外观缺陷检测设备，"
        "检测节拍不超过3秒/片，漏检率低于0.3%，可对接现有MES。"),
    "注塑件外观缺陷": (
        "我们是佛山的注塑厂，有60台注塑机，生产家电外壳和汽车内饰注塑件。缩痕、飞边、银纹、黑点、缺料等外观缺陷"
        "靠人工全检，夜班漏检严重，每月客诉退货3到5批。需要一套AI视觉检测方案，在注塑机出料后在线检测并自动剔除不良品，"
        "支持快速切换产品型号。"),
    "真皮手袋缝线检测": (
        "花都皮具厂，主要生产真皮手袋、钱包，出口欧美品牌。车缝工序的针距不齐、跳针、断线、油边溢胶和皮面划痕"
        "目前由老师傅逐个检查，效率低、标准不一。希望用机器视觉自动检测缝线质量和皮面瑕疵，小样本也能训练，"
        "检测结果可追溯到车缝工位。"),
    "医院（领域外）": (
        "我院是一家三甲医院，希望建设门诊智能导诊和病历结构化系统，帮助医生减少文书工作，提升患者就诊体验，"
        "需对接HIS和电子病历系统，符合医疗数据安全要求。"),
    "律所（领域外）": (
        "我们是一家律师事务所，希望引入合同审查和法律检索工具，自动识别合同风险条款，检索相关判例和法规，"
        "提升律师助理的工作效率，数据需本地部署保密。"),
}


def main() -> None:
    app = fresh_app()
    with app.app_context():
        load_demo_data(scale=1, seed=2025)
        bar = strong_match_confidence()
        print(f"STRONG_MATCH_CONFIDENCE = {bar:.2f}")
        for name, text in DEMANDS.items():
            top = preview_listings(text, top=3)
            best = top[0] if top else None
            print(f"{name} ({len(text)} chars): top confidence "
                  f"{best.confidence if best else 0:.2f}{' STRONG' if best and best.is_strong else ''}"
                  f" -> {best.item.title if best else '-'}")
            for rec in top[1:]:
                print(f"    {rec.confidence:.2f} {rec.item.title}")


if __name__ == "__main__":
    main()
