from .base import Channel

_channels: dict[str, Channel] = {}


def register(channel_class: type[Channel]) -> type[Channel]:
    channel = channel_class()
    _channels[channel.key] = channel
    return channel_class


def get(key: str) -> Channel:
    return _channels[key]


def all_channels() -> list[Channel]:
    return list(_channels.values())
