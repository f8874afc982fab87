"""Three-party coordination's records; each part keeps its models in its own module."""

from .evaluation import *  # noqa: F403
from .fund import *  # noqa: F403
from .network import *  # noqa: F403
from .profile import *  # noqa: F403
