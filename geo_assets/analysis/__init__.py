"""Planners' analyses: coverage, gap fill, energy, SPM report, cemeteries, budget proposal.

Each analysis is one module; none imports the web or map stack, all measure in metres.
"""
