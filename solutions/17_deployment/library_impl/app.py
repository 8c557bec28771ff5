"""A FastAPI inference service for the iris MLP saved by save_models.save_torch.

    app = create_app("/path/to/mlp.pt")     # the model is loaded here, once
    GET  /health  -> {"status": "ok"}
    POST /predict -> {"classes": [...], "species": [...], "probabilities": [[...], ...]}

Run it for real with:  uvicorn --factory app:make_default_app   (see README.md)
"""

from __future__ import annotations

from typing import Annotated

import torch
from fastapi import FastAPI
from pydantic import BaseModel, Field

from save_models import load_torch

SPECIES = ["setosa", "versicolor", "virginica"]

# One flower: exactly 4 measurements in cm (sepal length, sepal width, petal length, petal width).
Row = Annotated[list[float], Field(min_length=4, max_length=4)]


class PredictRequest(BaseModel):
    """A batch of flowers: at least one row of 4 floats."""
    features: Annotated[list[Row], Field(min_length=1)]


class PredictResponse(BaseModel):
    classes: list[int]
    species: list[str]
    probabilities: list[list[float]]


def create_app(model_path: str) -> FastAPI:
    """Build the service around the MLP weights stored at `model_path`."""
    model = load_torch(model_path)          # eval mode: Dropout off
    app = FastAPI(title="iris classifier")

    @app.get("/health")
    def health() -> dict:
        return {"status": "ok"}

    @app.post("/predict", response_model=PredictResponse)
    def predict(request: PredictRequest) -> PredictResponse:
        x = torch.tensor(request.features, dtype=torch.float32)
        with torch.no_grad():
            probs = torch.softmax(model(x), dim=1)
        classes = probs.argmax(dim=1).tolist()
        return PredictResponse(classes=classes, species=[SPECIES[c] for c in classes],
                               probabilities=probs.tolist())

    return app


def make_default_app() -> FastAPI:
    """For `uvicorn --factory app:make_default_app`: serves ./mlp.pt."""
    return create_app("mlp.pt")
