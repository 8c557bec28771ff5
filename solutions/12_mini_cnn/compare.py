# %% [markdown]
# # 12 · A mini CNN: your classifier next to a reference one
# Your `MiniCNN`, trained by your `train` with the default arguments (5 epochs of Adam,
# lr 1e-2, batches of 64, seed 0), next to the same architecture written directly with
# `nn.Sequential` and trained with the same recipe, and a logistic-regression baseline on the
# raw pixels. Data: scikit-learn's 8×8 digits, split as in the README (1077 / 270 / 450).

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import train_test_split
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)        # an 8×8 model: one thread is fastest (and fair on a busy CPU)
digits = load_digits()
X_all = (digits.data / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
y_all = digits.target.astype(np.int64)
X_rest, X_test, y_rest, y_test = train_test_split(X_all, y_all, test_size=0.25, stratify=y_all,
                                                  random_state=0)
X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.2,
                                                  stratify=y_rest, random_state=0)
Xtr, ytr, Xva, yva, Xte = (torch.from_numpy(a) for a in (X_train, y_train, X_val, y_val, X_test))

# %% [markdown]
# ## Train yours

# %%
lib = learner.mini_cnn_torch
model = lib.build_model(0)
history = lib.train(model, Xtr, ytr, Xva, yva)
pred = np.asarray(lib.predict(model, Xte))
your_acc = float(np.mean(pred == y_test))

# %% [markdown]
# ## The same network with `nn.Sequential`, the same recipe

# %%
def reference_run(seed=0, epochs=5, lr=1e-2, batch_size=64):
    torch.manual_seed(seed)
    net = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Flatten(), nn.Dropout(0.25), nn.Linear(256, 10))
    loader = DataLoader(TensorDataset(Xtr, ytr), batch_size=batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(seed))
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    curves = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
    for _ in range(epochs):
        net.train()
        total, correct = 0.0, 0
        for xb, yb in loader:
            opt.zero_grad()
            logits = net(xb)
            loss = nn.functional.cross_entropy(logits, yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(yb)
            correct += (logits.argmax(1) == yb).sum().item()
        net.eval()
        with torch.no_grad():
            val_logits = net(Xva)
        curves["train_loss"].append(total / len(ytr))
        curves["train_acc"].append(correct / len(ytr))
        curves["val_loss"].append(nn.functional.cross_entropy(val_logits, yva).item())
        curves["val_acc"].append((val_logits.argmax(1) == yva).double().mean().item())
    with torch.no_grad():
        return net, curves, net(Xte).argmax(1).numpy()


ref_net, ref_curves, ref_pred = reference_run()
logreg = LogisticRegression(max_iter=2000).fit(X_train.reshape(len(X_train), -1), y_train)
side_by_side("accuracy on the 450 test digits", {
    "accuracy": [your_acc, float(np.mean(ref_pred == y_test)),
                 logreg.score(X_test.reshape(len(X_test), -1), y_test)],
}, index=["your MiniCNN", "nn.Sequential, same recipe", "logistic regression (pixels)"])
side_by_side("per-epoch curves", {
    "your train_loss": history["train_loss"], "reference train_loss": ref_curves["train_loss"],
    "your val_loss": history["val_loss"], "reference val_loss": ref_curves["val_loss"],
    "your val_acc": history["val_acc"], "reference val_acc": ref_curves["val_acc"],
}, index=[f"epoch {e + 1}" for e in range(len(history["train_loss"]))])

# %% [markdown]
# ## Loss and accuracy per epoch
# Different seeds and shuffles give different curves: what should match is the shape (a
# falling loss, a rising accuracy), not the exact numbers.

# %%
fig, (ax_l, ax_a) = plt.subplots(1, 2, figsize=(10, 3.5))
ep = np.arange(1, len(history["train_loss"]) + 1)
for curves, style, who in ((history, "-", "yours"), (ref_curves, ":", "reference")):
    ax_l.plot(ep, curves["train_loss"], "o" + style, color="C0", label=f"{who}: train")
    ax_l.plot(ep, curves["val_loss"], "s" + style, color="C1", label=f"{who}: validation")
    ax_a.plot(ep, curves["train_acc"], "o" + style, color="C0", label=f"{who}: train")
    ax_a.plot(ep, curves["val_acc"], "s" + style, color="C1", label=f"{who}: validation")
ax_l.set(xlabel="epoch", ylabel="cross-entropy", title="loss")
ax_a.set(xlabel="epoch", ylabel="accuracy", title="accuracy", ylim=(0, 1))
for ax in (ax_l, ax_a):
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
fig.tight_layout()
save(fig, "curves")

# %% [markdown]
# ## Where your model is wrong: the confusion matrix (rows = true digit)

# %%
cm = confusion_matrix(y_test, pred, labels=list(range(10)))
fig, ax = plt.subplots(figsize=(5.2, 4.6))
im = ax.imshow(cm, cmap="Blues")
for i in range(10):
    for j in range(10):
        if cm[i, j]:
            ax.text(j, i, str(cm[i, j]), ha="center", va="center", fontsize=8,
                    color="white" if cm[i, j] > cm.max() / 2 else "black")
ax.set(xticks=range(10), yticks=range(10), xlabel="predicted", ylabel="true",
       title=f"your MiniCNN on the test digits (accuracy {your_acc:.3f})")
fig.colorbar(im, ax=ax, shrink=0.8)
save(fig, "confusion_matrix")
side_by_side("recall per digit (diagonal / row sum)", {
    "yours": np.diag(cm) / cm.sum(axis=1),
    "reference": np.diag(confusion_matrix(y_test, ref_pred, labels=list(range(10))))
    / cm.sum(axis=1),
}, index=[f"digit {d}" for d in range(10)])

# %% [markdown]
# ## The digits it gets wrong

# %%
wrong = np.flatnonzero(pred != y_test)[:12]
fig, axes = plt.subplots(1, max(len(wrong), 1), figsize=(1.2 * max(len(wrong), 1), 1.8),
                         squeeze=False)
for ax, i in zip(axes[0], wrong):
    ax.imshow(X_test[i, 0], cmap="gray_r")
    ax.set_title(f"{y_test[i]} → {pred[i]}", fontsize=9)
for ax in axes[0]:
    ax.set_axis_off()
fig.suptitle(f"your {len(np.flatnonzero(pred != y_test))} mistakes (first {len(wrong)}): "
             "true → predicted", fontsize=10)
save(fig, "mistakes")

# %% [markdown]
# ## What the convolution learnt: your 16 filters (3×3)

# %%
filters = np.asarray(model.conv.weight.detach().numpy())[:, 0]
fig, axes = plt.subplots(2, 8, figsize=(8, 2.3))
lim = float(np.abs(filters).max())
for ax, f in zip(axes.ravel(), filters):
    ax.imshow(f, cmap="RdBu_r", vmin=-lim, vmax=lim)
    ax.set_axis_off()
fig.suptitle("your trained conv.weight (red > 0, blue < 0)", fontsize=10)
save(fig, "filters")
