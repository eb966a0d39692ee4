"""Extra time from the command line: `proctor do` reaches the grant through the same table and
prints a refusal with its rule in both languages; `proctor authcode` refuses bad input in words."""

from proctor.package import load_package
from tests.test_cli_commands import PKG, proctor, served  # noqa: F401  (the fixture)


def test_a_grant_before_the_start_is_refused_with_its_rule(served):  # noqa: F811
    ticket = load_package(PKG).candidates[0].ticket

    def do(*args: str, by: tuple[str, ...] = ("--by", "林𠮷祥,王芳")):
        return proctor("do", "--connect", served, "--package", PKG, *by, *args)

    assert do("sign-in-proctors", "--names", "林𠮷祥", "王芳", by=()).returncode == 0
    out = do("grant-extra-time", "--tickets", ticket, "--minutes", "5", "--reason", "power")
    assert out.returncode == 1
    assert "[R19]" in out.stderr and "不在作答中" in out.stderr and "补时仅适用于" in out.stderr
    out = do("grant-extra-time", "--tickets", ticket, "--minutes", "5", "--reason", "bored")
    assert out.returncode != 0 and "reason" in out.stderr
    # The shipped sample predates codes: a request says what is missing.
    out = do("request-authorization", "--tickets", ticket, "--minutes", "25")
    assert out.returncode == 1 and "授权码密钥" in out.stderr


def test_the_offices_tool_refuses_a_bad_key_file_or_fields_in_words(tmp_path):
    bad = tmp_path / "short.key"
    bad.write_text("abcd", encoding="ascii")
    args = [
        "authcode",
        "issue",
        "--room",
        "考点|第01考场",
        "--request",
        "376894541",
        "--minutes",
        "25",
        "--tickets",
        "1",
    ]
    out = proctor(*args, "--key-file", str(bad))
    assert out.returncode != 0 and "64 hex digits" in out.stderr and "Traceback" not in out.stderr
    good = tmp_path / "province.key"
    good.write_text("00" * 32, encoding="ascii")
    out = proctor(*args[:-1], "1,1", "--key-file", str(good))
    assert out.returncode != 0 and "each once" in out.stderr
    out = proctor(*args[:7], "0", *args[8:], "--key-file", str(good))
    assert out.returncode != 0 and "1 to 600" in out.stderr
    out = proctor(*args, "--key-file", str(tmp_path / "missing.key"))
    assert out.returncode != 0 and "Traceback" not in out.stderr
