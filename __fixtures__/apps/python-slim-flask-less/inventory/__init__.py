"""Tiny inventory service, standard library only."""
