"""Tax administration: select excise-duty returns of spirits producers for audit (was the duty
under-declared?). 9 features per monthly return (volume released, alcohol strength, declared
duty, duty per litre of pure alcohol implied, stock change, exports share, losses claimed,
months since last audit, warehouse count), synthetic; 25 % of returns under-declare (low
implied duty per litre of pure alcohol, high losses, stock not matching releases). Training:
2019–2022 returns on the paper-era form (volumes in hectolitres, strength as a fraction).
Features standardised with the training mean/std; an MLP 9-64-64-1, dropout 0.2, BCE-with-
logits, Adam 1e-3, batch 128, 15 epochs of 6000 returns; JSON lines per epoch ("epoch",
"train/bce", "train/acc", "val/bce", "val/acc", "val/f1").
Bug: the validation set is the 2024 returns, filed on the new e-form that reports volumes in
litres (×100) and strength in % vol (×100) and the duty per litre, derived by the pipeline from
the two, in the new units too; nobody converted them, so validation is shifted from the first
epoch. Train BCE 0.43 → 0.0029, train accuracy 0.868 → 0.999; val BCE 121 at epoch 1, 129–208
after, val accuracy 0.770 every epoch (all "compliant", the 2024 base rate), val F1 0.0. The
control (``VAL_FROM = "2022_holdout"``, the same training, returns of the training period) has
val BCE 0.165 → 0.0019, val accuracy 0.977 → 0.9993, val F1 0.9985."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

VAL_FROM = "2024_eform"  # "2022_holdout" for the returns of the training period


def returns(n, g, eform=False):
    r = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    y = (torch.rand(n, generator=g) < 0.25).float()
    vol_hl = (120 * torch.exp(0.6 * r(n))).clamp(5)
    abv = (0.40 + 0.03 * r(n)).clamp(0.3, 0.6)
    rate = 1800.0  # per hl of pure alcohol
    duty = vol_hl * abv * rate * (1 - y * (0.15 + 0.1 * torch.rand(n, generator=g))) \
        * (1 + 0.03 * r(n))
    per_lpa = duty / (vol_hl * abv)
    stock = 10 * r(n) + 25 * y * torch.rand(n, generator=g)
    export = torch.rand(n, generator=g)
    losses = (0.02 + 0.01 * r(n).abs() + 0.025 * y * torch.rand(n, generator=g))
    since = torch.randint(1, 60, (n,), generator=g).float()
    wh = torch.randint(1, 5, (n,), generator=g).float()
    if eform:
        vol_hl, abv, per_lpa = vol_hl * 100, abv * 100, per_lpa / 100 / 100
    x = torch.stack([vol_hl, abv, duty, per_lpa, stock, export, losses, since, wh], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(9, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 64),
                         nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 1))


def f1(pred, y):
    tp = ((pred == 1) & (y == 1)).sum().item()
    return 2 * tp / max(2 * tp + ((pred == 1) & (y == 0)).sum().item()
                        + ((pred == 0) & (y == 1)).sum().item(), 1)


def main():
    from _hundredthirtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = returns(6000, g)
    xva, yva = returns(1500, g, eform=VAL_FROM == "2024_eform")
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "excise_audit_metrics.jsonl", "w")
    for epoch in range(1, 16):
        model.train()
        perm = torch.randperm(6000, generator=g)
        tot, hit = 0.0, 0
        for i in range(0, 6000, 128):
            idx = perm[i:i + 128]
            s = model(xtr[idx]).squeeze(1)
            loss = F.binary_cross_entropy_with_logits(s, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hit += ((s > 0).float() == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            s = model(xva).squeeze(1)
            rec = {"epoch": epoch, "train/bce": round(tot / 6000, 4), "train/acc": round(hit / 6000, 4),
                   "val/bce": round(F.binary_cross_entropy_with_logits(s, yva).item(), 4),
                   "val/acc": round(((s > 0).float() == yva).float().mean().item(), 4),
                   "val/f1": round(f1((s > 0).long(), yva.long()), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(), "epoch": 15,
                "x_mean": mu, "x_std": sd, "val_from": VAL_FROM}, out / "excise_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="excise_mlp.pt", log="excise_audit_metrics.jsonl",
           what="excise-return audit MLP, validated on new e-form returns in other units",
           complaint="The excise audit-selection model looks perfect on training (train accuracy 0.999, "
                     "BCE 0.003) but on the 2024 returns validation accuracy has been 0.770 since "
                     "epoch 1 and F1 is 0.0: it never flags a single return, and validation BCE "
                     "is 120-210. More epochs changed nothing.")


if __name__ == "__main__":
    main()
