from pydantic import BaseModel


class Row(BaseModel):
    user_id: int
    amount: float


class TrainConfig(BaseModel):
    lr: float = 0.1


def clean(records):
    rows = [Row.model_validate(r) for r in records]  # mlaudit-expect: data.validation
    return rows


def config(raw):
    return TrainConfig(**raw)  # mlaudit-ok: data.validation
