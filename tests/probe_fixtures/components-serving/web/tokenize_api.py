# A tokenizer is not a model: this endpoint serves none.
from fastapi import FastAPI
from transformers import AutoTokenizer

app = FastAPI()
tok = AutoTokenizer.from_pretrained("bert-base-uncased")


@app.post("/tokens")  # mlaudit-ok: serving.present
def tokens(text: str):
    return tok(text)
