from ..models import Delivery
from .base import Channel
from .registry import register


@register
class PortalChannel(Channel):
    """The inbox in "my page": the message itself is the delivery."""

    key = "portal"
    immediate = True

    def deliver(self, delivery: Delivery) -> None:
        return None
