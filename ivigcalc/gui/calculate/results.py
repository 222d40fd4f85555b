"""The results side: key figures, vial plan, claim lines, the waste bar, warnings, summary.

It renders a Result and nothing else. Text comes from the engine's own formatters
(ivigcalc.text, ivigcalc.render) so every figure reads exactly as in the CLI summary.
When there is no result, every part says so and the status line says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QFontDatabase, QPalette, QResizeEvent, QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ivigcalc import text
from ivigcalc.gui import theme
from ivigcalc.gui.calculate.infusion_panel import InfusionModel, InfusionPanel
from ivigcalc.gui.calculate.wastebar import WasteBar
from ivigcalc.gui.qt_numbers import (
    ALIGN_LEFT,
    ALIGN_TOP,
    PLAIN_TEXT,
    RICH_TEXT,
    TEXT_SELECTABLE_BY_MOUSE,
    set_property,
)
from ivigcalc.gui.widgets import whole
from ivigcalc.gui.widgets.result_tables import ClaimLinesModel, ResultTable, VialPlanModel

if TYPE_CHECKING:  # the engine's types load after the first paint
    from ivigcalc.result import Result

NO_VALUE = "—"


def _caption(label: str, parent: QWidget) -> QLabel:
    caption = QLabel(label, parent)
    caption.setFont(theme.scaled_font(parent, 1.0, bold=True))
    return caption


def _value(name: str, accessible: str, parent: QWidget, *, big: bool = False) -> QLabel:
    label = QLabel(NO_VALUE, parent)
    label.setObjectName(name)
    label.setAccessibleName(accessible)
    label.setWordWrap(True)
    set_property(label, "textInteractionFlags", TEXT_SELECTABLE_BY_MOUSE)
    if big:
        label.setFont(theme.scaled_font(parent, 1.35, bold=True))
    return label


def _table(name: str, accessible: str, model: ResultTable, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setModel(model)
    view.setTabKeyNavigation(False)  # Tab leaves the table, as everywhere else
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    whole.no_scroll_bars(view)  # shown whole: the page scrolls (see _fit_tables)
    return view


class ResultsPanel(QWidget):
    """Everything computed for the order, or why nothing could be."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._day_count = 0
        self._table_widths: list[int] = []
        self.vial_model = VialPlanModel()
        self.claim_model = ClaimLinesModel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)

        self.status = QLabel(self)
        self.status.setObjectName("resultStatus")
        self.status.setAccessibleName("Result status")
        self.status.setWordWrap(True)
        set_property(self.status, "textInteractionFlags", TEXT_SELECTABLE_BY_MOUSE)
        layout.addWidget(self.status)

        figures = QGridLayout()
        figures.setHorizontalSpacing(16)
        figures.setVerticalSpacing(2)
        self.dosingWeightView = _value("dosingWeightView", "Dosing weight", self, big=True)
        self.dosingWorkingView = _value("dosingWorkingView", "Dosing weight working", self)
        self.doseView = _value("doseView", "Dose per day and per course", self, big=True)
        self.doseWorkingView = _value("doseWorkingView", "Dose working", self)
        self.volumeView = _value("volumeView", "Volume per day", self, big=True)
        self.volumeWorkingView = _value("volumeWorkingView", "Volume working", self)
        for column, (label, value, working) in enumerate((
                ("Dosing weight", self.dosingWeightView, self.dosingWorkingView),
                ("Dose", self.doseView, self.doseWorkingView),
                ("Volume per day", self.volumeView, self.volumeWorkingView))):
            figures.addWidget(_caption(label, self), 0, column)
            for row, cell in ((1, value), (2, working)):  # text at the top of its cell
                set_property(cell, "alignment", ALIGN_LEFT | ALIGN_TOP)
                figures.addWidget(cell, row, column)
            figures.setColumnStretch(column, 1 if value is self.volumeView else 2)
        for working in (self.dosingWorkingView, self.doseWorkingView, self.volumeWorkingView):
            working.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addLayout(figures)

        tables = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        tables.setSpacing(12)
        self._tables = tables
        self.vialPlanView = _table("vialPlanView", "Vial plan", self.vial_model, self)
        self.claimLinesView = _table("claimLinesView", "Claim lines", self.claim_model, self)
        for label, view in (("Vials to open", self.vialPlanView),
                            ("Claim lines", self.claimLinesView)):
            stack = QVBoxLayout()
            stack.setSpacing(4)
            stack.addWidget(_caption(label, self))
            beside = QHBoxLayout()  # the table takes the width, up to its own (see below)
            beside.addWidget(view, 1)
            beside.addStretch(0)
            stack.addLayout(beside)
            stack.addStretch(1)  # side by side, the shorter table keeps its own height
            tables.addLayout(stack, 1)
        layout.addLayout(tables)

        waste_row = QHBoxLayout()
        waste_row.setSpacing(10)
        self.wasteBar = WasteBar(self)
        self.wasteBar.setObjectName("wasteBar")
        self.wasteBar.setAccessibleName("Administered versus discarded")
        self.wasteView = _value("wasteView", "Administered and discarded amounts", self)
        self.wasteView.setWordWrap(False)
        waste_row.addWidget(self.wasteView)
        waste_row.addWidget(self.wasteBar, 1)
        layout.addLayout(waste_row)
        # The plan not chosen and what it would discard (the site's vial preference).
        self.vialOtherView = QLabel(self)
        self.vialOtherView.setObjectName("vialOtherView")
        self.vialOtherView.setAccessibleName("The other vial plan")
        self.vialOtherView.setWordWrap(True)
        self.vialOtherView.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.vialOtherView.hide()
        layout.addWidget(self.vialOtherView)

        self.infusion_model = InfusionModel()
        self.infusionView = _table("infusionView", "Infusion rate steps", self.infusion_model,
                                   self)
        self.infusionPanel = InfusionPanel(self.infusionView, self.infusion_model, self)
        layout.addWidget(self.infusionPanel)

        self.warningsFrame = QFrame(self)
        self.warningsFrame.setObjectName("warningsFrame")
        frame_layout = QVBoxLayout(self.warningsFrame)
        frame_layout.setContentsMargins(10, 6, 10, 6)
        self.warningsView = QLabel(self.warningsFrame)
        self.warningsView.setObjectName("warningsView")
        self.warningsView.setAccessibleName("Warnings and notes")
        self.warningsView.setWordWrap(True)
        set_property(self.warningsView, "textInteractionFlags", TEXT_SELECTABLE_BY_MOUSE)
        frame_layout.addWidget(self.warningsView)
        layout.addWidget(self.warningsFrame)

        self.summary_caption = _caption("Billing summary", self)
        # Every line shown, wrapped at the page's width: the page scrolls, not the summary.
        self.summaryView = whole.WholeText(self)
        self.summaryView.setObjectName("summaryView")
        self.summaryView.setAccessibleName("Billing summary")
        self.summaryView.setReadOnly(True)
        self.summaryView.setTabChangesFocus(True)
        self.summaryView.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.summaryView.fit()  # in its own font
        # The page adds the Copy and Print buttons here, above the summary: a course's
        # summary runs to a hundred lines, and the buttons (and why they wait) stay in view.
        self.summary_bar = QHBoxLayout()
        self.summary_bar.addStretch(1)
        layout.addLayout(self.summary_bar)
        layout.addWidget(self.summary_caption)
        layout.addWidget(self.summaryView)
        layout.addStretch(1)
        self._level = "none"
        self._warnings_html = ""
        self.show_result(None, "")

    # --- showing --------------------------------------------------------------------------

    def show_result(self, result: Result | None, reason: str, *, blocked: bool = False) -> None:
        """A result, or no result with the reason (blocked: a hard limit or a refusal)."""
        self.vial_model.set_result(result)
        self.claim_model.set_result(result)
        self.infusionPanel.set_result(result)
        self._day_count = result.day_count if result is not None else 0
        self._fit_tables()
        if result is None:
            self.vialOtherView.hide()
            self._show_nothing(reason, blocked=blocked)
            return
        from ivigcalc import render  # with the first result, not before the first paint

        other = render.other_plan_text(result)
        self.vialOtherView.setText(other)
        self.vialOtherView.setVisible(bool(other))

        self.status.hide()
        self.status.setText("")
        weight = result.dosing
        # ISMP: a weight to 0.1 kg, a dose to 0.1 g, a volume to the mL (exact in the working).
        self.dosingWeightView.setText(text.weight(weight.kg))
        working = [weight.reason]
        if weight.ibw_kg is not None:
            working.append(f"actual {text.weight(weight.actual_kg)} · IBW "
                           f"{text.weight(weight.ibw_kg)}"
                           + (f" · adjusted {text.weight(weight.adjusted_kg)}"
                              if weight.adjusted_kg is not None else "")
                           + (f" · BMI {text.plain(weight.bmi, 1)}"
                              if weight.bmi is not None else ""))
        self.dosingWorkingView.setText("\n".join(working))
        span = "week" if result.per == "week" else "course"
        course = (f", {text.dose_g(result.course_mg)} per {span}" if result.day_count > 1
                  else "")
        self.doseView.setText(f"{text.dose_g(result.per_day_mg)} per day{course}")
        self.doseWorkingView.setText(render.dose_line(result))
        first = result.days[0]
        if first.volume_ml is not None:
            self.volumeView.setText(text.volume(first.volume_ml))
            strength = text.decimal(result.concentration_mg_per_ml or 0)
            self.volumeWorkingView.setText(f"at {strength}\u00a0mg/mL")
        else:
            self.volumeView.setText("see label")
            self.volumeWorkingView.setText("a powder: the volume depends on reconstitution")
        self.wasteBar.set_amounts(first.administered_mg, first.plan.drawn_mg)
        self.wasteBar.show()
        each = " each day" if result.day_count > 1 else ""
        self.wasteView.setText(f"Administered {text.dose_g(first.administered_mg)} · "
                               f"discarded {text.dose_g(first.plan.wasted_mg)} of "
                               f"{text.grams(first.plan.drawn_mg)} opened{each}")
        self.wasteBar.setAccessibleDescription(self.wasteView.text())
        self._show_notices(result)
        self.summaryView.setPlainText(render.summary_text(result))

    def _show_nothing(self, reason: str, *, blocked: bool) -> None:
        """Empty figures and tables; the reason once, where it belongs.

        Unfinished or unreadable input: the status line says what is needed. A refusal
        (hard limit, wrong code): the warnings box says it is blocked and why, and the
        summary carries the same reason in place of the summary.
        """
        self.status.setText("" if blocked else reason)
        self.status.setVisible(not blocked)
        for view in (self.dosingWeightView, self.doseView, self.volumeView):
            view.setText(NO_VALUE)
        for view in (self.dosingWorkingView, self.doseWorkingView, self.volumeWorkingView,
                     self.wasteView):
            view.setText("")
        self.wasteBar.clear()
        self.wasteBar.hide()
        self.wasteBar.setAccessibleDescription("")
        if blocked:
            import html  # not before the first paint (see fields.show_message)

            self._level = "error"
            self._warnings_html = (f"<b>Blocked:</b> {html.escape(reason)}<br>No vial plan, "
                                   "claim lines or summary until this is fixed.")
            self.summaryView.setPlainText("")  # the reason is said once, above
            self.summaryView.setPlaceholderText("No billing summary while the order is "
                                                "blocked.")
        else:
            self._level = "none"
            self._warnings_html = ""
            self.summaryView.setPlainText("")
            self.summaryView.setPlaceholderText("The billing summary appears here.")
        self._apply_warnings()

    def _show_notices(self, result: Result) -> None:
        import html

        from ivigcalc.result import STALE_CMS  # loaded with the engine, after the paint

        # Stale CMS data is said once, in the window's banner, not on every order.
        warnings = [n for n in result.notices if n.level == "warning" and n.topic != STALE_CMS]
        notes = [n for n in result.notices if n.level == "note"]
        parts = []
        if warnings:
            parts.append("<b>Check before preparing:</b>")
            parts += [f"⚠ {html.escape(n.message)}" for n in warnings]
        parts += [f"Note: {html.escape(n.message)}" for n in notes]
        self._level = "warning" if warnings else "note"
        self._warnings_html = "<br>".join(parts) if parts else "No warnings."
        self._apply_warnings()

    def _apply_warnings(self) -> None:
        """Warnings stand out in the warning accent, refusals in the error accent."""
        palette = self.palette()
        if self._level in ("warning", "error"):
            colour = theme.accent(self._level, palette).name()
            self.warningsFrame.setStyleSheet(
                f"QFrame#warningsFrame {{ border: 2px solid {colour}; border-radius: 4px; "
                f"background: {theme.tint(self._level, palette)}; }}")
            self.warningsView.setText(f'<span style="color:{colour}">'
                                      f"{self._warnings_html}</span>")
        else:
            self.warningsFrame.setStyleSheet(
                "QFrame#warningsFrame { border: 1px solid palette(mid); border-radius: 4px; }")
            self.warningsView.setText(self._warnings_html or "No warnings.")
        # Plain "No warnings." as plain text: rich text needs a whole text document laid out
        # (2% of the start-up's instructions, before the first paint).
        rich = bool(self._warnings_html)
        set_property(self.warningsView, "textFormat", RICH_TEXT if rich else PLAIN_TEXT)
        self.warningsFrame.setVisible(True)
        shown = self.warningsView.text()
        self.warningsView.setAccessibleDescription(_strip_tags(shown) if rich else shown)

    def _fit_tables(self) -> None:
        """Tables tall enough for every row and wide enough for every column (issue 24:
        no table scrolls inside the page).

        The day column only matters for a course of several days. A table never scrolls
        sideways: if the two do not fit side by side, they stack (see resizeEvent).
        """
        single_day = self.vial_model.rowCount() == 0 or self._day_count == 1
        self._table_widths = []
        for view in (self.vialPlanView, self.claimLinesView):
            view.setColumnHidden(0, single_day)
            view.resizeColumnsToContents()
            self._table_widths.append(whole.columns_width(view) + 4)
            whole.fit_rows(view)
        self._arrange_tables()

    def _arrange_tables(self) -> None:
        """Side by side when both fit whole, else one above the other."""
        if not self._table_widths:
            return
        needed = sum(self._table_widths) + self._tables.spacing()
        direction = (QBoxLayout.Direction.LeftToRight if self.width() >= needed
                     else QBoxLayout.Direction.TopToBottom)
        if self._tables.direction() != direction:
            self._tables.setDirection(direction)
        stacked = direction == QBoxLayout.Direction.TopToBottom
        for index, (view, width) in enumerate(zip((self.vialPlanView, self.claimLinesView),
                                                  self._table_widths, strict=True)):
            # Stacked: each at its own width (the page scrolls if the window is narrower).
            # Side by side: each gets its share of the width, at least what it needs.
            view.setMinimumWidth(width if stacked else 0)
            view.setMaximumWidth(width)  # no blank space after the last column
            self._tables.setStretch(index, width)

    def narrowest(self) -> int:
        """The least width that shows everything whole: the tables one above the other.
        Whatever way they are arranged now, so that the page's choice (beside the form or
        below it) does not flip with the tables' (see CalculatePage.fit_width)."""
        return max(self.minimumSizeHint().width(), max(self._table_widths, default=0))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange_tables()

    def restyle(self) -> None:
        self._apply_warnings()

    def warnings_text(self) -> str:
        """The warnings as plain text (what a screen reader hears)."""
        return self.warningsView.accessibleDescription()


def _strip_tags(markup: str) -> str:
    return QTextDocumentFragment.fromHtml(markup).toPlainText()
