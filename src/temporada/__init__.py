"""Temporada: regional information system for temporary migrant worker programmes."""

__version__ = "0.1.0"
