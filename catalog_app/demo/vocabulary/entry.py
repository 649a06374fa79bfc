"""The shape of one scenario vocabulary, written compactly as "|"-separated strings."""
from __future__ import annotations


def scenario_words(*, terms: str, pains: str, actions: str, features: str, data: str,
                   products: str, kpis: str, techs: str, industries: str, asks: str) -> dict:
    """Split the compact strings into lists.

    :param terms: synonyms for the capability (视觉检测|机器视觉|AOI ...); titles and
        texts pick different ones so related listings and demands share meaning, not strings.
    :param pains: problems as an enterprise states them.
    :param actions: what the AI does, as verb phrases without a subject.
    :param features: short capability names for bullet lists.
    :param data: data sources the models learn from.
    :param products: "noun:PREFIX,PREFIX|..." hardware or software a supplier sells.
    :param kpis: space-separated keys of ``kpis.KPIS``.
    :param techs: space-separated technology slugs.
    :param industries: space-separated industry codes where the scenario is common.
    :param asks: requirements an enterprise writes into a demand.
    """
    def items(text: str) -> list[str]:
        return [part.strip() for part in text.split("|") if part.strip()]

    return {
        "terms": items(terms), "pains": items(pains), "actions": items(actions),
        "features": items(features), "data": items(data),
        "products": [(noun, prefixes.split(",")) for noun, prefixes in
                     (item.split(":") for item in items(products))],
        "kpis": kpis.split(), "techs": techs.split(), "industries": industries.split(),
        "asks": items(asks),
    }
