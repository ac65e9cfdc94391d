from tabkit.encoders import OrdinalEncoder

__all__ = ["OrdinalEncoder"]
