"""JupyterHub with the Use Case service as a Hub-managed service.

The Hub starts ``ucwidgets serve --hub``, which reads the settings JupyterHub gives a managed
service from its environment, and serves the API at ``/services/ucwidgets/api/v2/``. In every
user's notebook, ``import ucwidgets as uc; uc.Client()`` then signs in as that Hub user, with the
token the Hub put in the kernel's environment (``JUPYTERHUB_API_TOKEN``). A browser signs in at
``/services/ucwidgets/`` (Hub OAuth). Hub admins are the service's admins.

Start it with ``jupyterhub -f docs/jupyterhub_config.py`` (configurable-http-proxy on PATH:
``npm install -g configurable-http-proxy``). The test ``tests/hub/test_jupyterhub.py`` runs this
file, with its own ports, folders and a test-only spawner.
"""

# ruff: noqa: F821 (JupyterHub defines get_config when it loads this file)
c = get_config()

#: Where the service listens. The Hub's proxy routes /services/ucwidgets/ to it, and
#: single-user servers reach it there directly.
SERVICE_URL = "http://127.0.0.1:10101"

c.JupyterHub.services = [
    {
        "name": "ucwidgets",
        "url": SERVICE_URL,
        # Add --database-url postgresql+psycopg://... for a team's PostgreSQL.
        "command": ["ucwidgets", "serve", "--hub", "--data-dir", "/srv/ucwidgets"],
        "oauth_no_confirm": True,  # signing in to the service asks no second question
        "display": True,  # listed in the Hub's Services menu
    }
]

# Users may use the service (a Hub user's token carries this scope only if its owner has it) ...
c.JupyterHub.load_roles = [
    {"name": "user", "scopes": ["self", "access:services!service=ucwidgets"]},
]
# ... and the token of each single-user server carries it too, for its kernels.
c.Spawner.server_token_scopes = [
    "users:activity!user",
    "access:servers!server",
    "access:services!service=ucwidgets",
]
# The kernel's uc.Client() finds the service here, and signs in with JUPYTERHUB_API_TOKEN.
c.Spawner.environment = {"UCWIDGETS_ENDPOINT": f"{SERVICE_URL}/services/ucwidgets/api/v2"}

# Hub admins administer the service too (its admin routes, under api/v2/admin/).
c.Authenticator.admin_users = {"admin"}
