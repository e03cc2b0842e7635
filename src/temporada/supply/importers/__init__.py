"""Bulk uploads of worker profiles come through the web page (an official of the workers' country is the
author, and the file never leaves the request), so there is no `temporada import` kind for them."""

IMPORTERS: dict = {}
