"""Where the editable resources live (policies, flowcharts, samples, translations)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from .domain.policy import Policy


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)  # a PyInstaller build unpacks data beside the code
    base = Path(frozen) if frozen else Path(__file__).resolve().parents[1]
    return base / "resources"


def sample_package_dir() -> Path:
    return resources_dir() / "sample" / "room-01"


def load_policy(policy_id: str) -> Policy:
    path = resources_dir() / "policies" / f"{policy_id}.toml"
    with path.open("rb") as f:
        data = tomllib.load(f)
    try:
        return Policy.from_mapping(data)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{path.name}: {exc}") from exc
