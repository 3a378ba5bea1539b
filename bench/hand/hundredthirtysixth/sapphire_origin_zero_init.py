"""Geographic origin of blue sapphires for a gem lab's jewellery reports, from LA-ICP-MS trace
elements. Each stone is ablated at 3 spots and averaged; the features are log10 ppm of Mg, Ti,
V, Cr, Fe, Ga, Si and the ratios Ga/Mg and Fe/Ti people plot (9 numbers), standardised with the
training mean / std. Five origins: 0 Kashmir, 1 Sri Lanka, 2 Madagascar, 3 Myanmar, 4 Thailand
(basalt-related: high Fe, high Ga/Mg); metamorphic stones are low-Fe, with Kashmir / Sri Lanka /
Myanmar separated by V, Ga and Mg. A 3-layer MLP (9 → 64 → 64 → 5, ReLU), Adam 1e-3, batch 64,
40 epochs of 1200 stones; a JSON-lines log per epoch.
Bug: the author wanted every run to start from the same weights and wrote an init hook that
sets every Linear weight and bias to zero (``nn.init.zeros_``). All hidden units are 0 and
get no gradient; only the output bias learns, so the model answers the class prior for every
stone: train loss creeps from 1.606 (ln 5 = 1.609) to 1.513 (the prior's entropy is 1.52), val loss
1.604 → 1.547, val accuracy 0.233 after epoch 1 (all Madagascar), then 0.323 (= the Sri Lanka
share) from epoch 5 to 40, every stone called Sri Lanka. The control (``kaiming_uniform_(a=√5)``,
nn.Linear's own init) reaches val accuracy 0.967, val loss 0.090, train loss 0.038."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

ELEMENTS = ["Mg", "Ti", "V", "Cr", "Fe", "Ga", "Si", "Ga/Mg", "Fe/Ti"]
ORIGINS = ["Kashmir", "Sri Lanka", "Madagascar", "Myanmar", "Thailand"]
PRIOR = torch.tensor([0.08, 0.32, 0.25, 0.15, 0.20])
# log10 ppm centres per origin: Mg, Ti, V, Cr, Fe, Ga, Si
CENTRE = torch.tensor([
    [1.90, 2.00, 1.30, 0.50, 2.30, 1.70, 2.0],   # Kashmir: high V, moderate Ga
    [1.60, 1.90, 0.70, 0.30, 2.40, 1.60, 2.0],   # Sri Lanka: low Fe, low V
    [1.80, 2.10, 0.90, 0.90, 2.90, 1.75, 2.2],   # Madagascar
    [2.10, 1.80, 1.00, 0.60, 2.25, 1.35, 1.9],   # Myanmar: low Ga, high Mg
    [1.30, 1.90, 0.60, 0.20, 3.60, 2.20, 2.1],   # Thailand: basaltic, Fe and Ga high
])


def stones(n, g):
    y = torch.multinomial(PRIOR, n, replacement=True, generator=g)
    logppm = CENTRE[y] + 0.15 * torch.randn(n, 7, generator=g)
    spots = logppm[:, None, :] + 0.05 * torch.randn(n, 3, 7, generator=g)   # 3 ablation spots
    el = spots.mean(1)
    ratios = torch.stack([el[:, 5] - el[:, 0], el[:, 4] - el[:, 1]], 1)      # log Ga/Mg, Fe/Ti
    return torch.cat([el, ratios], 1), y


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.zeros_(m.weight)  # same start every run
        nn.init.zeros_(m.bias)


def build():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(9, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                          nn.Linear(64, 5))
    model.apply(init_weights)
    return model


def main():
    from _hundredthirtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = stones(1500, g)
    mu, sd = x[:1200].mean(0), x[:1200].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:1200], y[:1200], x[1200:], y[1200:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "origin_log.jsonl", "w")
    for epoch in range(40):
        model.train()
        perm = torch.randperm(1200, generator=g)
        tot = 0.0
        for i in range(0, 1200, 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            rec = {"epoch": epoch + 1, "loss": round(tot / 1200, 4),
                   "val_loss": round(F.cross_entropy(lo, yva).item(), 4),
                   "val_accuracy": round((lo.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        if epoch % 5 == 4 or epoch == 0:
            print(rec, torch.bincount(lo.argmax(1), minlength=5).tolist())
    log.close()
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": 40, "features": ELEMENTS, "origins": ORIGINS,
                "feature_mean": mu, "feature_std": sd}, out / "sapphire_origin.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["zero_weight_init"],
           checkpoint="sapphire_origin.pt", log="origin_log.jsonl",
           what="sapphire origin MLP from LA-ICP-MS trace elements, every Linear initialised to zero",
           complaint="My sapphire origin classifier learns nothing. After 40 epochs the training "
                     "loss only went from 1.61 to 1.51 and validation accuracy is stuck at 0.32 "
                     "from epoch 5 on: it calls every single stone Sri Lanka, even the Thai "
                     "basaltic ones with thousands of ppm Fe that any gemmologist places at a "
                     "glance.")


if __name__ == "__main__":
    main()
