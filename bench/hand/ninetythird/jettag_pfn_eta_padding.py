"""Quark/gluon jet tagging with a Particle Flow Network (Deep-Sets style: a per-particle MLP Φ
3 → 32 → 32, a masked sum over the particles, an MLP F 32 → 32 → 2) on synthetic jets of up to
32 particles padded with zeros. Gluon jets have more particles (Poisson 18 vs 11), a softer
pT spectrum and a wider angular spread than quark jets. Per particle the features are log pT,
η relative to the jet axis and φ relative to it; η is computed from the momenta as
``asinh(pz / pt)``. Adam 1e-3, batch 64, 6 epochs of 2048 jets; a JSON-lines log per epoch with
train/val cross-entropy, val accuracy and val AUC.
Bug: the features are computed for the whole padded array; for the padding slots pt = pz = 0,
so ``pz / pt`` is 0/0 = NaN and η is NaN there. The mask multiplies Φ's output by 0 after the MLP,
but NaN·0 is NaN, so the very first loss is NaN, Adam writes NaN into every weight, and the log
is NaN from epoch 1. The control (``torch.where(pt > 0, asinh(pz / pt), 0)``) reaches val
accuracy 0.918, val AUC 0.983, train CE 0.22 after 6 epochs."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

MAXP = 32


def jets(n, g):
    y = torch.randint(0, 2, (n,), generator=g)  # 1 = gluon
    mult = torch.poisson(torch.where(y == 1, 18.0, 11.0), generator=g).clamp(2, MAXP).long()
    px, py, pz = torch.zeros(n, MAXP), torch.zeros(n, MAXP), torch.zeros(n, MAXP)
    for i in range(n):
        k = int(mult[i])
        frac = torch.distributions.Dirichlet(torch.full((k,), 0.6 if y[i] else 0.9)).sample()
        pt = 300 * frac
        width = 0.25 if y[i] else 0.12
        eta = width * torch.randn(k, generator=g)
        phi = width * torch.randn(k, generator=g)
        px[i, :k], py[i, :k], pz[i, :k] = pt * torch.cos(phi), pt * torch.sin(phi), pt * torch.sinh(eta)
    return px, py, pz, (torch.arange(MAXP)[None] < mult[:, None]).float(), y


def features(px, py, pz):
    pt = torch.sqrt(px ** 2 + py ** 2)
    eta = torch.asinh(pz / pt)
    phi = torch.atan2(py, px)
    return torch.stack([torch.log1p(pt), eta, phi], -1)


class PFN(nn.Module):
    def __init__(self):
        super().__init__()
        self.phi = nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU())
        self.F = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 2))

    def forward(self, x, mask):
        return self.F((self.phi(x) * mask[..., None]).sum(1) / 10)


def build():
    torch.manual_seed(0)
    return PFN()


def auc(score, y):
    order = score.argsort()
    ranks = torch.empty_like(order, dtype=torch.float)
    ranks[order] = torch.arange(1, len(score) + 1).float()
    npos = y.sum().item()
    nneg = len(y) - npos
    return (ranks[y == 1].sum().item() - npos * (npos + 1) / 2) / max(npos * nneg, 1)


def main():
    from _ninetythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(1)
    px, py, pz, mask, y = jets(2560, g)
    x = features(px, py, pz)
    xtr, mtr, ytr = x[:2048], mask[:2048], y[:2048]
    xva, mva, yva = x[2048:], mask[2048:], y[2048:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "pfn_metrics.jsonl", "w")
    for epoch in range(6):
        model.train()
        tot = 0.0
        for idx in torch.randperm(2048, generator=g).split(64):
            loss = F.cross_entropy(model(xtr[idx], mtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva, mva)
            vl = F.cross_entropy(lo, yva).item()
            rec = {"ep": epoch + 1, "train_ce": tot / 2048, "val_ce": vl,
                   "val_acc": (lo.argmax(1) == yva).float().mean().item(),
                   "val_auc": auc(lo[:, 1] - lo[:, 0], yva)}
        rec = {k: (v if isinstance(v, int) or math.isfinite(v) else float("nan"))
               for k, v in rec.items()}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"pfn_weights": model.state_dict(), "adam_state": opt.state_dict(),
                "epoch": 6, "max_particles": MAXP}, out / "pfn_qg.pt")
    finish(out, __file__, {"inputs": xva[:64], "mask": mva[:64], "targets": yva[:64]},
           causes=["nan_in_inputs"], checkpoint="pfn_qg.pt", log="pfn_metrics.jsonl",
           what="Particle Flow Network quark/gluon tagger, η = asinh(pz/pt) NaN on padding",
           complaint="PFN jet tagger: loss is nan from the very first epoch, val accuracy "
                     "0.5, AUC meaningless. Tried lowering the learning rate, still nan.")


if __name__ == "__main__":
    main()
