"""A C2C connector for Managed integrations for AWS IoT Device Management.

How it works: :mod:`connector.handler` is the Lambda entry point the service invokes with one of four
operations (ActivateUser, DiscoverDevices, SendCommand, DeactivateUser). It parses the envelope, builds an
:class:`~connector.context.Invocation` (credentials from :mod:`connector.auth`, a time budget, the vendor
client of :mod:`connector.vendor`) and runs the operation's module in :mod:`connector.operations`.
Results the service waits for go out as ``SendConnectorEvent`` calls (:mod:`connector.events`).
:mod:`connector.matter_map` is the one table between vendor device kinds and Matter (its vocabulary in
:mod:`connector.matter_types`), and :mod:`connector.translate` applies it. :mod:`connector.webhook` is a
second entry point (a Lambda Function URL) that turns the vendor's signed state-change webhooks into
``DEVICE_EVENT`` events.
"""
