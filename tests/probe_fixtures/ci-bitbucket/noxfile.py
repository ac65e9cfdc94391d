import nox

nox.options.sessions = ["tests"]


@nox.session(name="tests")
def run_tests(session):
    _install(session)
    _pytest(session)


def _install(session):
    session.install("-r", "requirements.txt")


def _pytest(session):
    session.run("python", "-m", "pytest", "tests")
