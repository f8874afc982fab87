"""What the fieldwork adds to the permissions: a field worker takes down, on the spot and on the household's
behalf, a concern that needs another department (the case engine's staff channel asks "case.add_on_behalf")."""

from __future__ import annotations

from commonground.core.models import RoleKind
from commonground.core.rules import grant

grant(RoleKind.RENEWAL_WORKER, {"case.add_on_behalf"})
