"""The inventory pipeline: normalise → estimate (pure model) → levers and REEN/AGEC indicators."""

from greenit.inventory.estimate import estimate_inventory
from greenit.inventory.normalise import normalise_inventory

__all__ = ["estimate_inventory", "normalise_inventory"]
