import nox


@nox.session
def lint(session):
    session.install("flake8", "pytest")
    session.run("flake8", "src")


@nox.session(python=["3.10", "3.11"])
def tests(session):
    session.install("-e", ".", "pytest")
    session.run("pytest", *session.posargs)
