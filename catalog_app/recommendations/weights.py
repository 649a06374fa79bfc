"""Where the app reads its ranking weights: the JSON `flask matching tune` writes, else the defaults.

The file holds `RankingWeights.to_dict()`. It is read whenever an index is built or a
snapshot loaded (a snapshot built with other weights is rebuilt), so new weights apply at
the next start or `flask matching rebuild`. A missing file means the engine's defaults; an
unreadable one is logged and ignored rather than stopping the site.
"""
from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path

from matching import DEFAULT_WEIGHTS, RankingWeights

log = logging.getLogger(__name__)


class WeightsFileError(ValueError):
    """The weights file exists but cannot be used."""


def read_weights(path: str | os.PathLike) -> RankingWeights:
    """The weights stored at `path`.

    :raises FileNotFoundError: when there is no file.
    :raises WeightsFileError: when it is not a JSON object of valid weights.
    """
    text = Path(path).read_text(encoding="utf-8")
    try:
        stored = json.loads(text)
        if not isinstance(stored, dict):
            raise TypeError("not a JSON object")
        weights = RankingWeights.from_dict(stored)
    except (TypeError, ValueError) as error:
        raise WeightsFileError(f"{path}: {error}") from error
    for name, default in DEFAULT_WEIGHTS.to_dict().items():
        value = getattr(weights, name)
        number = isinstance(default, (int, float)) and not isinstance(default, bool)
        if (number and (isinstance(value, bool) or not isinstance(value, (int, float)) or value != value)) or \
                (isinstance(default, str) and not isinstance(value, str)):
            raise WeightsFileError(f"{path}: {name} must be a {'number' if number else 'string'}, got {value!r}")
    return weights


def configured_weights(config: Mapping) -> RankingWeights:
    """The weights the app ranks with: MATCHING_WEIGHTS_PATH when it holds any, else the defaults."""
    path = config["MATCHING_WEIGHTS_PATH"]
    if not path:
        return DEFAULT_WEIGHTS
    try:
        return read_weights(path)
    except FileNotFoundError:
        return DEFAULT_WEIGHTS
    except (OSError, WeightsFileError) as error:
        log.warning("ranking weights unreadable (%s); using the defaults", error)
        return DEFAULT_WEIGHTS


def save_weights(path: str | os.PathLike, weights: RankingWeights) -> None:
    """Write the weights atomically: a worker starting meanwhile reads the old file or the new one."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.tmp{os.getpid()}")
    tmp.write_text(json.dumps(weights.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, target)
