"""Business communities' records; each part keeps its models in its own module."""

from .ledgers import *  # noqa: F403
from .planning import *  # noqa: F403
from .policies import *  # noqa: F403
from .risk import *  # noqa: F403
from .visits import *  # noqa: F403
