"""Modeling: what the service trains, how models are scored, and the engine that trains them.

- ``blueprints``: the blueprints, their preprocessing and the partition, defined once.
- ``metrics``: the metrics of each target type, their direction and how they are computed.
- ``jobs``: the records that pass between the store, the engine and a worker.
- ``training``: the work of one job (data, partition, fitting, scoring) and predicting.
- ``worker``: the process that runs jobs one at a time, and the engine's handle on it.
- ``engine``: the pool of workers fed from the store's queue, and predictions of stored models.

Imports run one way: ``engine -> worker -> training -> blueprints, metrics, jobs``. The store
and the wire read only ``blueprints``, ``metrics`` and ``jobs``; the handlers parse requests
and call the store and the engine with typed values. Nothing here imports the store, the
handlers or the wire.
"""
