"""The iris service, with a lifespan handler and conlist."""

from contextlib import asynccontextmanager

import numpy as np
import torch
from fastapi import FastAPI
from pydantic import BaseModel, conlist

import save_models

SPECIES = ("setosa", "versicolor", "virginica")


class Flowers(BaseModel):
    features: conlist(conlist(float, min_length=4, max_length=4), min_length=1)


def create_app(model_path):
    state = {}

    @asynccontextmanager
    async def lifespan(app):
        state["model"] = save_models.load_torch(model_path)
        yield
        state.clear()

    app = FastAPI(lifespan=lifespan)

    @app.get("/health")
    async def health():
        return {"status": "ok", "model_loaded": "model" in state}

    @app.post("/predict")
    async def predict(flowers: Flowers):
        with torch.inference_mode():
            logits = state["model"](torch.tensor(flowers.features)).numpy().astype(np.float64)
        z = logits - logits.max(axis=1, keepdims=True)
        probs = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        classes = [int(c) for c in probs.argmax(axis=1)]
        return {"classes": classes, "species": [SPECIES[c] for c in classes],
                "probabilities": probs.tolist()}

    return app
