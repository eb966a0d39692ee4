"""A simulated exam machine in a standalone exam (单机考试, docs/standalone.md): it opens the
package with its own key, goes on answering offline from the exported answers, and seals the
result for the console to recover."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Literal

from ..link.auth import Credential
from ..standalone import (
    PACKAGE,
    RESULT,
    PackageContents,
    ResultSave,
    SealError,
    digest,
    file_name,
    login_check,
    open_package,
    read_header,
    seal_result,
)


@dataclass(frozen=True)
class OfflineRun:
    package: PackageContents
    saves: list[ResultSave]
    result: bytes
    file_name: str

    @property
    def last_answers(self) -> Any:
        return self.saves[-1].answers if self.saves else self.package.answers


def run_offline(
    credential: Credential,
    package_file: bytes,
    *,
    saves: int = 3,
    id_number: str | None = None,
    finished: Literal["submitted", "time_over"] = "submitted",
) -> OfflineRun:
    """Open the package as `credential`'s machine, make `saves` saves (seq going on by one from
    the package's), and seal the result. `id_number`: the candidate's login, checked if given."""
    header = read_header(package_file, PACKAGE)
    if credential.role != "machine" or header.machine != credential.name:
        raise SealError(
            "another_machine",
            f"the package is for machine {header.machine}, this is {credential.name}",
            f"该作答包是为考试机 {header.machine} 导出的，不能在 {credential.name} 上导入",
        )
    pkg = open_package(credential.key, package_file)
    if id_number is not None and login_check(header.package_id, id_number) != pkg.login:
        raise SealError("bad_login", "the ID number does not match the candidate", "证件号与该作答包的考生不符")
    answers: dict[str, Any] = dict(pkg.answers or {})
    made: list[ResultSave] = []
    for i in range(saves):
        seq = pkg.last_seq + 1 + i
        answers = {**answers, f"offline-{i + 1:04d}": f"单机作答 {seq}"}
        made.append(ResultSave(seq=seq, answers=answers, answered=len(answers), at=time.time()))
    result = seal_result(credential.key, pkg, digest(package_file), made, finished)
    return OfflineRun(pkg, made, result, file_name(RESULT, header))
