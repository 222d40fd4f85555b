"""What leaves the window: the worksheet (printed or PDF) and the clipboard's text and HTML.
Imports widgets/ and the engine's render, never a page."""
