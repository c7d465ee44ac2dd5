"""Resident pages. Thin: parse the request, call a service or selector, render."""
