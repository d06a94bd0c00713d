"""Where ucwidgets keeps its files, shared by the client and the service.

Examples
--------
>>> import os
>>> os.environ["UCWIDGETS_DATA_DIR"] = "/tmp/ucw-example"
>>> str(data_dir())
'/tmp/ucw-example'
>>> del os.environ["UCWIDGETS_DATA_DIR"]
"""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The per-user data directory; ``UCWIDGETS_DATA_DIR`` overrides it."""
    override = os.environ.get("UCWIDGETS_DATA_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("ucwidgets", appauthor=False))


def config_dir() -> Path:
    """The per-user configuration directory (holds ``config.json``)."""
    import platformdirs

    return Path(platformdirs.user_config_dir("ucwidgets", appauthor=False))
