"""Periodontal staging from bitewing radiographs: an MLP reads a 96-sample intensity profile
traced along one root, from the crown's enamel down past the apex (the profile a dental
imaging plug-in exports per tooth surface), and assigns the radiographic bone-loss stage —
healthy (crest within 2 mm of the CEJ), stage I (< 15 % of the root), stage II (15–33 %),
stage III (> 33 %). Synthetic profiles: bright enamel, the cemento-enamel junction (CEJ) at
sample 14–18, root dentin, and alveolar bone adding density from the crest downwards, with a
soft (2–4 sample) crest edge, trabecular texture, exposure gain 0.8–1.2, a blur and sensor
noise. MLP 96→512→512→4 with ReLU, a ``_init_weights`` hook, Adam 1e-3, batch 64, 12 epochs of
1600 profiles; a CSV log per epoch (``ep``, ``trn_loss``, ``val_loss``, ``val_acc``,
``val_stage3_recall``).
Bug: ``_init_weights`` draws every Linear weight from ``nn.init.normal_(w, 0.0, 1.0)`` (the
author wanted "a normal init"), 22× the default scale of a 512-wide layer, so the first logits
are in the hundreds. Train loss 316 in epoch 0, then 61, 35, 29, 23 … 6.3 at epoch 11; val loss
94.7 → 26–34 from epoch 4 on (28.2 at the end, ln 4 = 1.39); val accuracy 0.75 → 0.90, stage III
recall 0.92. The control (``self.apply(self._init_weights)`` removed, PyTorch's default init):
train loss 0.69 → 0.111, val loss 0.134, val accuracy 0.9475, stage III recall 1.0."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

L_PROF = 96
STAGES = ["healthy", "stage I", "stage II", "stage III"]


def profiles(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    pos = torch.arange(L_PROF).float()[None]
    cej = 14 + 4 * r(n, 1)
    apex = cej + 62 + 8 * r(n, 1)
    y = torch.randint(0, 4, (n,), generator=g)
    lo = torch.tensor([0.0, 0.05, 0.15, 0.33])[y]
    hi = torch.tensor([0.03, 0.15, 0.33, 0.6])[y]
    loss_frac = lo + (hi - lo) * r(n)
    crest = cej[:, 0] + 2 + loss_frac * (apex[:, 0] - cej[:, 0])
    edge = 2 + 2 * r(n, 1)
    enamel = 0.9 * torch.sigmoid((cej - pos) / 1.0)
    root = 0.45 * torch.sigmoid((pos - cej) / 1.0) * torch.sigmoid((apex - pos) / 2.0)
    bone = 0.35 * torch.sigmoid((pos - crest[:, None]) / edge)
    trab = F.avg_pool1d(torch.randn(n, 1, L_PROF + 4, generator=g), 5, 1)[:, 0] * 0.08
    img = (enamel + root + bone + trab * (pos > crest[:, None])) * (0.8 + 0.4 * r(n, 1))
    img = F.avg_pool1d(img[:, None], 3, 1, 1)[:, 0] + 0.03 * torch.randn(n, L_PROF, generator=g)
    return (img - 0.6) / 0.3, y


class BoneLossMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(L_PROF, 512), nn.ReLU(), nn.Linear(512, 512),
                                 nn.ReLU(), nn.Linear(512, 4))
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(m):
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0.0, 1.0)
            nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.mlp(x)


def build():
    torch.manual_seed(0)
    return BoneLossMLP()


def main():
    from _hundredsixtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = profiles(2000, g)
    xtr, ytr, xva, yva = x[:1600], y[:1600], x[1600:], y[1600:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "perio_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["ep", "trn_loss", "val_loss", "val_acc", "val_stage3_recall"])
    for ep in range(12):
        model.train()
        perm = torch.randperm(1600, generator=g)
        tot = 0.0
        for i in range(0, 1600, 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            pred = lo.argmax(1)
            row = [ep, round(tot / 1600, 4), round(F.cross_entropy(lo, yva).item(), 4),
                   round((pred == yva).float().mean().item(), 4),
                   round((pred[yva == 3] == 3).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "ep": 12, "stages": STAGES}, out / "bone_loss_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bad_weight_init"],
           checkpoint="bone_loss_mlp.pt", log="perio_log.csv",
           what="periodontal bone-loss staging MLP, Linear weights initialised N(0, 1)",
           complaint="The cross-entropy of my periodontal bone-loss stager is absurd: 316 in the first "
                     "epoch, and after 12 epochs the training loss is still 6.3 and the validation "
                     "loss sits at 26-30 for 4 classes. Validation accuracy creeps up to 0.90 but "
                     "the loss numbers make no sense to me. Adam 1e-3, batch 64.")


if __name__ == "__main__":
    main()
