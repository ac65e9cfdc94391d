"""A test may hold a real token too; one marked fake is a fixture."""
FAKE_GITHUB_TOKEN = "ghp_ivAvOSvJ0WpbMryiKrkGZ5qn45JiSBVImi0i"  # mlaudit-ok: secrets.committed
DEPLOY_TOKEN = "glpat-DGdo21e8tJU7SL95eKxX"  # mlaudit-expect: secrets.committed


def test_login():
    password = "Zx81kLm0qPwR4t"  # mlaudit-ok: secrets.committed
    assert password
