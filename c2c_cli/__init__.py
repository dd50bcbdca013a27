"""c2c: the toolkit for C2C connectors of Managed integrations for AWS IoT Device Management."""

__version__ = "0.1.0"
