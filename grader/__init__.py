"""mlgrade: an automated grader and exercise kit for machine learning, the hard way."""

from __future__ import annotations

__version__ = "0.1.0"
