"""`ivigcalc --self-test`: one order through the real window, and the soak of random typing.
Sits above the whole window (it builds one), so nothing in gui/ imports it."""
