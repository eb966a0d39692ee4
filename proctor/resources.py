"""Where the editable resources live (policies, flowcharts, drills, samples, translations)."""

from __future__ import annotations

import logging
import sys
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from .domain.drill import Drill, DrillError
from .domain.drill import parse as parse_drill
from .domain.flows import Flow, FlowError, parse
from .domain.policy import Policy

T = TypeVar("T", Flow, Drill)

log = logging.getLogger("proctor.resources")


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)  # a PyInstaller build unpacks data beside the code
    base = Path(frozen) if frozen else Path(__file__).resolve().parents[1]
    return base / "resources"


def sample_package_dir() -> Path:
    return resources_dir() / "sample" / "room-01"


class PolicyMissing(ValueError):
    """No profile file of that id."""


def load_policy(policy_id: str, policies_dir: Path | None = None) -> Policy:
    """The one reader of policy profiles (适用规则): resources/policies/<id>.toml, or `policies_dir`."""
    path = (policies_dir or resources_dir() / "policies") / f"{policy_id}.toml"
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise PolicyMissing(f"no policy profile {path}") from None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path.name}: {exc}") from exc
    try:
        return Policy.from_mapping(data)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{path.name}: {exc}") from exc


def flow_files(flows_dir: Path | None = None) -> list[Path]:
    """The shipped incident flowcharts (resources/flows/*.toml), or those of `flows_dir`."""
    return sorted((flows_dir or resources_dir() / "flows").glob("*.toml"))


def load_flow(path: Path) -> Flow:
    try:
        with path.open("rb") as f:
            return parse(tomllib.load(f), path.name)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise FlowError(f"{path.name}: {exc}") from exc


def drill_files() -> list[Path]:
    """The shipped drills (resources/drills/*.toml)."""
    return sorted((resources_dir() / "drills").glob("*.toml"))


def load_drill(path: Path) -> Drill:
    try:
        with path.open("rb") as f:
            return parse_drill(tomllib.load(f), path.name)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DrillError(f"{path.name}: {exc}") from exc


def all_policies() -> dict[str, Policy]:
    return {p.stem: load_policy(p.stem) for p in sorted((resources_dir() / "policies").glob("*.toml"))}


def shipped_flows() -> dict[str, Flow]:
    """The incident flowcharts shipped, by id; one that cannot be read is left out, said in the
    log (`proctor flows check` names what is wrong with it)."""
    return _shipped(flow_files(), load_flow, FlowError, "flowchart")


def shipped_drills() -> dict[str, Drill]:
    """The drills shipped, by id; one that cannot be read is left out, said in the log."""
    return _shipped(drill_files(), load_drill, DrillError, "drill")


def _shipped(paths: Iterable[Path], load: Callable[[Path], T], error: type[Exception], what: str) -> dict[str, T]:
    out: dict[str, T] = {}
    for path in paths:
        try:
            item = load(path)
        except error as exc:
            log.error("%s left out: %s", what, exc)
            continue
        out[item.id] = item
    return out
