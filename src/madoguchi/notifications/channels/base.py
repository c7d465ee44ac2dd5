from ..models import Delivery, Message


class Channel:
    key: str
    # Channels that deliver in the same transaction (the portal inbox) need no background task.
    immediate: bool = False

    def applies_to(self, message: Message) -> bool:
        """Whether this recipient can be reached through the channel at all."""
        return True

    def deliver(self, delivery: Delivery) -> None:
        """Send it; raise on failure so that the delivery is retried."""
        raise NotImplementedError
