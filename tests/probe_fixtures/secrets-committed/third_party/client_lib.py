# Vendored code is skipped unless include_vendored is set.
TOKEN = "ghp_ivAvOSvJ0WpbMryiKrkGZ5qn45JiSBVImi0i"  # mlaudit-ok: secrets.committed
