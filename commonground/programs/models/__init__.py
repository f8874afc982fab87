"""Programmes' records; each part keeps its models in its own module."""

from .activities import *  # noqa: F403
from .attendance import *  # noqa: F403
from .facilities import *  # noqa: F403
from .groups import *  # noqa: F403
from .jobs import *  # noqa: F403
