"""'Check this claim': the Calculate page's order carried onto the Check page.

Why: a coder who has just worked out an order wants to check the claim someone else built
for it without typing the facts again. The first day of service is carried (each day is its
own claim): the date, payer, product, route, KX, the amount given and the vials opened,
exactly as the engine worked them out; the billed lines are left for the coder to paste.
"""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtCore import QDate

from ivigcalc import text
from ivigcalc.gui.check.page import CheckPage
from ivigcalc.result import Day, Result


def exact_mg(amount: Fraction) -> str:
    """The amount in mg, exact when it is a finite decimal ("27941.289992 mg"), else to
    0.001 mg (a third of a gram has no exact decimal; 0.001 mg never moves a billing unit
    of 100 mg or more except at a boundary the order itself would have to sit on)."""
    digits = text.plain(amount, 9)
    return f"{digits if Fraction(digits) == amount else text.plain(amount, 3)} mg"


def opened_text(day: Day) -> str:
    """'3 x 10 g + 1 x 5 g', the form the Check page reads."""
    return " + ".join(f"{n} x {text.grams(size)}" for size, n in day.plan.vials)


def carry(result: Result, page: CheckPage, *, kx: bool) -> None:
    """Fill the Check page with the first day of the order (the page re-checks)."""
    day = result.days[0]
    date = day.date_of_service
    page.dateInput.setDate(QDate(date.year, date.month, date.day))
    page.payerInput.setCurrentIndex(max(0, page.payerInput.findData(result.payer_key)))
    page.productInput.setCurrentIndex(max(0, page.productInput.findData(result.product_key)))
    page.reload_shelf()  # the page may be older than the stock just ticked for this order
    page.routeInput.setCurrentIndex(max(0, page.routeInput.findData(result.route)))
    page.kxInput.setChecked(kx)
    page.administeredInput.setText(exact_mg(day.administered_mg))
    page.vialsInput.setText(opened_text(day))
    page.linesInput.setFocus()
    if result.day_count > 1:
        page.statusLabel.setText(f"{page.statusLabel.text()} Day 1 of "
                                 f"{result.day_count} is carried: each date of service is its "
                                 "own claim.")
