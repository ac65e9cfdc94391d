# Routes in a module that loads no model are not model serving.
from fastapi import APIRouter

router = APIRouter()


@router.get("/version")  # mlaudit-ok: serving.present
def version():
    return {"version": "1.0"}
