from setuptools import find_packages, setup

# mlaudit-expect: deps.pinned
setup(
    name="mypkg",
    packages=find_packages(),
    install_requires=["click", "rich==13.7.0"],
)
