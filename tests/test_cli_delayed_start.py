"""Delayed start from the command line: `proctor do delay-start` reaches the rule through the same
table, answers with the new start, and prints a refusal with its rule in both languages."""

import json

from proctor.package import load_package
from tests.test_cli_commands import PKG, proctor, served  # noqa: F401  (the fixture)


def test_a_delayed_start_from_the_command_line(served):  # noqa: F811
    scheduled = load_package(PKG).sittings[0].start

    def do(*args: str, by: tuple[str, ...] = ("--by", "林𠮷祥,王芳")):
        return proctor("do", "--connect", served, "--package", PKG, *by, *args)

    assert do("sign-in-proctors", "--names", "林𠮷祥", "王芳", by=()).returncode == 0
    out = do("delay-start", "--minutes", "20", "--reason", "power", "--consent", "张主任（市考试院）")
    assert out.returncode == 0, out.stderr
    done = json.loads(out.stdout)
    assert (done["start"], done["scheduled_start"]) == (scheduled + 1200, scheduled)
    out = do("delay-start", "--minutes", "45", "--reason", "network")
    assert out.returncode == 1
    assert "[R17]" in out.stderr and "须向省级考试机构申请授权码" in out.stderr and "申请码" in out.stderr
    out = do("delay-start", "--minutes", "61", "--reason", "network", "--consent", "张主任")
    assert out.returncode == 1 and "[R18]" in out.stderr and "部中心" in out.stderr
    out = do("delay-start", "--minutes", "5.5", "--reason", "power", "--consent", "张主任")
    assert out.returncode != 0 and "minutes" in out.stderr
    out = do("delay-start", "--minutes", "20", "--reason", "power", "--consent", "张主任", by=())
    assert out.returncode == 1 and "签到" in out.stderr
    # The shipped sample predates codes: a request says what is missing.
    out = do("request-authorization", "--op", "delayed_start", "--minutes", "45")
    assert out.returncode == 1 and "授权码密钥" in out.stderr
    page = json.loads(do("history", "--limit", "10").stdout)["events"]
    [delayed] = [e for e in page if e["kind"] == "StartDelayed"]
    assert delayed["by"] == ["林𠮷祥", "王芳"] and delayed["consent"] == "张主任（市考试院）"
