# %% [markdown]
# # 17 · Deployment: your saved models and your API next to the originals
# Your MLP and your scikit-learn pipeline before saving and after reloading, your FastAPI
# app's answers next to the model it serves, and what it answers to malformed requests.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

X, y = load_iris(return_X_y=True)
perm = np.random.default_rng(0).permutation(len(y))          # the checks' 120 / 30 split
X_tr, y_tr, X_te, y_te = X[perm[:120]], y[perm[:120]], X[perm[120:]], y[perm[120:]]
X_tr32, X_te32 = X_tr.astype(np.float32), X_te.astype(np.float32)
SPECIES = ["setosa", "versicolor", "virginica"]

# %% [markdown]
# ## The MLP: trained, saved as a state_dict, reloaded

# %%
lib = learner.save_models
mlp = lib.train_mlp(X_tr32, y_tr, epochs=150, seed=0)
weights = os.path.join(learner.workdir, "mlp.pt")
lib.save_torch(mlp, weights)
mlp_reloaded = lib.load_torch(weights)


def probabilities(model, X):
    model.eval()
    logits = model(torch.as_tensor(X, dtype=torch.float32)).detach().numpy()
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


p_before = probabilities(mlp, X_te32)
p_after = probabilities(mlp_reloaded, X_te32)
side_by_side("MLP: P(class of the true label) on the first 8 test flowers", {
    "before saving": p_before[np.arange(8), y_te[:8]],
    "after reloading": p_after[np.arange(8), y_te[:8]],
}, index=[SPECIES[c] for c in y_te[:8]])
print("max |before − after| over all 30 × 3 probabilities:", np.abs(p_before - p_after).max())

# %% [markdown]
# ## The scikit-learn pipeline through joblib, and what the scaler is worth

# %%
pipe = lib.train_sklearn(X_tr, y_tr)
pipe_path = os.path.join(learner.workdir, "pipeline.joblib")
lib.save_sklearn(pipe, pipe_path)
pipe_reloaded = lib.load_sklearn(pipe_path)
library = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X_tr, y_tr)
side_by_side("pipeline: predict_proba on the first 6 test flowers (class 1)", {
    "yours": pipe.predict_proba(X_te[:6])[:, 1],
    "yours, reloaded": pipe_reloaded.predict_proba(X_te[:6])[:, 1],
    "sklearn": library.predict_proba(X_te[:6])[:, 1],
})
# the classic skew: the classifier alone, fed raw measurements it was never trained on
skewed = library[-1].predict(X_te)

# %% [markdown]
# ## Your API, driven in-process with FastAPI's TestClient


# %%
# A helper that runs inside the sandbox next to your app (the checks do the same).
def drive(app, calls):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    out = []
    with TestClient(app, raise_server_exceptions=False) as client:
        for method, url, body, raw in calls:
            if raw is not None:
                r = client.request(method, url, content=raw.encode(),
                                   headers={"content-type": "application/json"})
            else:
                r = client.request(method, url, json=body)
            try:
                data = r.json()
            except Exception:
                data = None
            out.append({"status": r.status_code, "json": data})
    return out


app = learner.app.create_app(weights)
malformed = {
    "no features": ({"rows": [[5.1, 3.5, 1.4, 0.2]]}, None),
    "3 values": ({"features": [[5.1, 3.5, 1.4]]}, None),
    "5 values": ({"features": [[5.1, 3.5, 1.4, 0.2, 1.0]]}, None),
    "not a number": ({"features": [[5.1, "wide", 1.4, 0.2]]}, None),
    "empty batch": ({"features": []}, None),
    "not JSON": (None, "features=5.1"),
}
calls = [["GET", "/health", None, None],
         ["POST", "/predict", {"features": X_te.round(6).tolist()}, None]]
calls += [["POST", "/predict", body, raw] for body, raw in malformed.values()]
answers = learner.probe(drive, app, calls)
health, batch = answers[0], answers[1]
print("GET /health ->", health["status"], health["json"])
api_probs = np.asarray(batch["json"]["probabilities"]) if batch["status"] == 200 else None
side_by_side("HTTP status of malformed requests (422 expected)", {
    "status": [a["status"] for a in answers[2:]],
    "expected": [422] * len(malformed),
}, index=list(malformed))

# %%
fig, ax = plt.subplots(figsize=(4.5, 4.5))
if api_probs is not None:
    ax.scatter(p_after.ravel(), api_probs.ravel(), s=14, alpha=0.7)
ax.plot([0, 1], [0, 1], "k--", lw=1, label="identical")
ax.set(xlabel="reloaded model, in the notebook", ylabel="POST /predict",
       title="Class probabilities on 30 test flowers")
ax.legend()
save(fig, "api_vs_model")

# %%
accuracy = {
    "MLP before saving": np.mean(p_before.argmax(1) == y_te),
    "MLP reloaded": np.mean(p_after.argmax(1) == y_te),
    "MLP via the API": (np.mean(np.asarray(batch["json"]["classes"]) == y_te)
                        if api_probs is not None else 0.0),
    "pipeline reloaded": np.mean(pipe_reloaded.predict(X_te) == y_te),
    "classifier without\nits scaler": np.mean(skewed == y_te),
}
fig, ax = plt.subplots(figsize=(7, 3.5))
bars = ax.bar(range(len(accuracy)), list(accuracy.values()),
              color=["C0", "C0", "C0", "C1", "C3"])
ax.bar_label(bars, fmt="%.2f")
ax.set_xticks(range(len(accuracy)), list(accuracy), fontsize=8)
ax.set(ylim=(0, 1.1), ylabel="accuracy on 30 test flowers",
       title="Saving must not change predictions; losing the scaler does")
save(fig, "accuracy")
