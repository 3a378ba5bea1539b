"""Plain torch: an MLP names the mangrove species of a surveyed tree (Rhizophora, Avicennia,
Laguncularia, Bruguiera) from 12 field-sheet numbers in their raw units: leaf length and width
(mm), leaf thickness (mm), salt-gland density (per mm²), pneumatophore density (per m²),
prop-root count, knee-root count, distance to the channel (m), porewater salinity (psu),
inundation (% of high tides), elevation (mm above mean sea level) and tree height (m). The
species sets the site (zonation from the channel inward) and the roots and leaves; the
classes overlap in every single feature. No feature scaling: the first layer is a
``BatchNorm1d`` ("the BN normalises the inputs"). BN(12) → 64 → BN-ReLU-dropout 0.3 → 64 →
BN-ReLU-dropout 0.3 → 4; Adam 1e-3, batch 32, 25 epochs of 1600 trees.
The bug: ``evaluate()`` puts the model in ``eval()`` — it is called once before training for a
baseline val loss — and ``train_one_epoch()`` never calls ``model.train()``. The whole run
trains in eval mode: the BatchNorms normalise with their initial running statistics (mean 0,
variance 1, never updated), so the raw features go in unscaled (distance to the channel up to
~3000 m, elevation ±1000 mm), and dropout is off. Epoch 1 train loss 4.29, val loss 0.795, val
accuracy 0.67; epoch 25 train 0.160, val loss 0.192, val accuracy 0.943, the val loss
jumping between 0.095 and 0.22 over the last 5 epochs. Control (``model.train()`` at the top of
``train_one_epoch``, one ``sed``): epoch 1 val loss 0.357, val accuracy 0.975; epoch 25 val loss
0.054, val accuracy 0.983."""
import json

import torch
import torch.nn as nn

#            leafL leafW thick gland pneu prop knee dist   sal   inund elev   height
MEANS = torch.tensor([
    [110., 45., 0.55, 0.5, 5., 14., 0.5, 60., 34., 70., -200., 9.],    # Rhizophora
    [75., 28., 0.70, 45., 80., 0.5, 0.5, 600., 42., 40., 400., 6.],    # Avicennia
    [65., 35., 0.80, 3., 25., 0.5, 0.5, 1500., 28., 25., 700., 8.],    # Laguncularia
    [120., 50., 0.60, 0.5, 3., 2., 12., 300., 30., 55., 150., 14.]])  # Bruguiera
SPREAD = torch.tensor([22., 9., 0.12, 14., 30., 6., 5., 450., 6., 18., 400., 3.5])


def trees(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    x = MEANS[y] + SPREAD * torch.randn(n, 12, generator=g)
    x[:, [3, 4, 5, 6, 7]] = x[:, [3, 4, 5, 6, 7]].clamp(min=0)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.BatchNorm1d(12),
                         nn.Linear(12, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Dropout(0.3),
                         nn.Linear(64, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Dropout(0.3),
                         nn.Linear(64, 4))


def evaluate(model, x, y, loss_fn):
    model.eval()
    with torch.no_grad():
        logits = model(x)
    return loss_fn(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


def train_one_epoch(model, loader, opt, loss_fn):
    total = 0.0
    for xb, yb in loader:
        loss = loss_fn(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(xb)
    return total / len(loader.dataset)


def main():
    from _twohundredfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = trees(2000, g)
    xtr, ytr, xva, yva = x[:1600], y[:1600], x[1600:], y[1600:]
    torch.manual_seed(1)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    print("baseline val", evaluate(model, xva, yva, loss_fn))
    with open(out / "survey_train.jsonl", "w") as f:
        for epoch in range(1, 26):
            tl = train_one_epoch(model, loader, opt, loss_fn)
            vl, va = evaluate(model, xva, yva, loss_fn)
            rec = {"epoch": epoch, "loss": round(tl, 4), "val_loss": round(vl, 4),
                   "val_accuracy": round(va, 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 25},
               out / "species_mlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["train_in_eval_mode"],
           checkpoint="species_mlp.ckpt", log="survey_train.jsonl",
           what="mangrove species MLP with BatchNorm input layer trained entirely in eval mode"
                " (evaluate() calls model.eval(), nothing calls model.train())",
           complaint=("Mangrove species classifier for our transect survey. The first epoch's "
                      "training loss is 4.3 and it only gets to 94 % validation accuracy (val "
                      "loss 0.19, bouncing between 0.10 and 0.22 over the last epochs) after 25 "
                      "epochs. There is "
                      "a BatchNorm on the inputs so scaling shouldn't matter. Adam 1e-3, batch "
                      "32, 1600 trees. Is the MLP just worse on tabular data?"))


if __name__ == "__main__":
    main()
