"""Importers that write scenario data from external datasets (Geo-PKO)."""
