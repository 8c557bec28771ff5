"""A FastAPI inference service for the iris MLP saved by save_models.save_torch. See README.md.

    app = create_app("/path/to/mlp.pt")     # the model is loaded here, once
    GET  /health  -> {"status": "ok"}
    POST /predict -> {"classes": [...], "species": [...], "probabilities": [[...], ...]}

Declare the request body as a pydantic model, e.g.

    class PredictRequest(BaseModel):
        features: ...   # a list of at least 1 row, each row exactly 4 floats

so that FastAPI answers 422 to anything malformed before your code runs.
"""

from __future__ import annotations

from typing import Annotated

import torch
from fastapi import FastAPI
from pydantic import BaseModel, Field

SPECIES = ["setosa", "versicolor", "virginica"]


def create_app(model_path):
    """Build and return the FastAPI app serving the MLP weights stored at `model_path`.

    Load the model inside this function (not when the module is imported), in eval mode.
    """
    raise NotImplementedError("create_app: see README.md")
