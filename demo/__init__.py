"""The demo (development only, like ``bench``): synthetic dasawisma data, the demo units and accounts, and the
``seed_demo*`` commands that build them. Installed only when ``DEBUG`` or ``PKK_DEV_TOOLS=1``
(``pkk.settings``); nothing in the product imports it (import-linter)."""
