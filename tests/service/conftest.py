from datetime import datetime

import pytest

from proctor.package import load_package
from proctor.package.demo import write_demo


@pytest.fixture
def package_dir(tmp_path):
    """A 16-candidate package whose first sitting starts in a minute."""
    out = tmp_path / "pkg"
    write_demo(out, candidates=16, machines=18, start=datetime.now().astimezone(), seed=7)
    return out


@pytest.fixture
def package(package_dir):
    return load_package(package_dir)
