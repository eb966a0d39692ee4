"""The demo's script: the same room story every run, with something for every part of the screen."""

from __future__ import annotations

from ui import demo


def test_the_demo_script_stages_outages_a_duplicate_login_and_a_wrong_seat():
    package = demo.load_demo_package()
    script = demo.make_script(package)
    assert len(script.seats) == len(package.machines) >= 40
    assert len(script.outages) == len(demo.OUTAGES)
    spare, victim = script.duplicate
    assert any(m.id == spare and m.spare for m in package.machines)
    assert victim is not None and victim.seat != spare
    wrong = [(mid, c) for mid, c in script.seats if c is not None and c.seat and c.seat != mid]
    assert len(wrong) == 1
    # Late arrivals come after the start and before sign-in closes (30 exam minutes later).
    late = [p.login_after_s for p in script.plans if p.login_after_s is not None and p.login_after_s > 3]
    assert late and all(demo.LEAD_S < t < demo.LEAD_S + 30 * 60 / demo.SCALE for t in late)
    assert demo.make_script(package) == script


def test_a_drill_takes_the_place_of_the_scripts_outages_on_the_exam_clock():
    room = demo.DemoRoom(drill="power-failure")
    script = demo.make_script(room.package)
    outages = demo.drill_outages(room.drill, script)
    seated = [mid for mid, c in script.seats if c is not None]
    assert len(outages) == (len(seated) + 1) // 2 and set(outages) <= set(seated)
    # Minute 20 of the exam to minute 45, at ×SCALE after the lead.
    assert set(outages.values()) == {(demo.LEAD_S + 20 * 60 / demo.SCALE, 25 * 60 / demo.SCALE)}
    assert "power at +68 s until +143 s" in demo.timeline_text(room.package, room.drill)
