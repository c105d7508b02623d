"""Which devices sit in a town's server room: the categories its PUE applies to.

Servers, storage and rack network gear draw their electricity in a cooled room whose facility
energy is their IT energy × the room's PUE; office devices do not (their building's heating and
cooling are not the digital footprint's). The default PUE of a town's own room is the row
:data:`ONSITE_PUE_ROW` of ``pue.csv``. Read by the inventory model and by the methodology.
"""

from __future__ import annotations

#: Categories that sit in a server room: the room's PUE applies to their electricity.
SERVER_ROOM_CATEGORIES = (
    "server",
    "rack_server",
    "tower_server",
    "storage",
    "san_array",
    "network_switch",
    "router",
    "firewall",
    "ipbx",
)
#: The row of ``pue.csv`` that gives the default PUE of a town's own room.
ONSITE_PUE_ROW = "onsite"
