"""CMS's quarterly data in the window: the one banner that says the data is out of date, and
File → Update CMS data…. Imports the engine's data layer and gui's leaves, never the pages."""
