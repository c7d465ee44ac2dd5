"""Madoguchi (窓口): an open-source digital city hall for Japanese municipalities."""
