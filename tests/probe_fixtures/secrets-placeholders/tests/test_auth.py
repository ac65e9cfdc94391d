"""Fixtures marked fake, and literals in tests that only look like secrets."""
# fake credentials for the client tests
TOKEN = "ghp_ivAvOSvJ0WpbMryiKrkGZ5qn45JiSBVImi0i"  # mlaudit-ok: secrets.committed
FAKE_OPENAI_KEY = "sk-JlISuahrbldgO2NRNUnLnPmDlEurUDOC1TZ0nzL3C3AMSi4n"  # mlaudit-ok: secrets.committed
TEST_KEY = """-----BEGIN RSA PRIVATE KEY-----
ku7AzD80k1XIsFUzt9cqJ0E3ZuXW4pIHsPpUkS/pyqr6nZ704+POEwC0d6UfNuJD
C37Sl6MRcz8AK42ks91MIRltyke/BuukGZtPNPR+x4EX5kfe1KvAfnrAkxpnRcnD
-----END RSA PRIVATE KEY-----"""  # mlaudit-ok: secrets.committed


def test_password_is_checked():
    password = "Zx81kLm0qPwR4t"  # mlaudit-ok: secrets.committed
    assert len(password) > 8
