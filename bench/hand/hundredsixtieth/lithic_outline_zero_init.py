"""Lithic artefact typing from a digitised outline: each stone tool photographed flat, its
outline traced and resampled to 64 radii r(θ) from the centroid (θ from the striking platform
round the edge), scaled by the mean radius. Four types with their textbook shapes: points
(one long pointed tip opposite the platform), blades (long and narrow, two long ends), end
scrapers (a broad rounded working edge and a straight, steep retouched end) and plain flakes
(roundish, irregular); ±0.04 of bumpy retouch noise, a random tilt of the axis by up to 2 radii
and a per-find elongation factor. Type shares as in a surface collection (flakes most common).
A 1-D CNN with circular padding (two conv layers, 16/32 channels), global average + max pool, a
32-unit hidden layer and a 4-way head. Adam 2e-3, batch 32, 10 epochs of 1200 outlines; a JSON
line per epoch with the training loss, validation loss and accuracy.
Bug: ``init_weights`` (copied from the author's logistic-regression notebook, where starting
from zero is fine) sets every Conv1d and Linear weight and bias to 0 before training. All
hidden units of each layer get the same (zero) value and the same (zero) gradient, so only the
head's bias moves: the net predicts "flake" for every outline. Train loss 1.378 → 1.322 (the
entropy of the type shares is 1.320), val loss 1.341, val accuracy 0.397 (the flake share of the
validation set) every epoch; the control (PyTorch's default init) reaches val accuracy 1.0, val
loss 0.0005."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

TYPES = ["point", "blade", "end_scraper", "flake"]
SHARES = torch.tensor([0.15, 0.2, 0.25, 0.4])
K = 64


def outlines(n, g):
    y = torch.multinomial(SHARES, n, replacement=True, generator=g)
    th = torch.arange(K).float() / K * 6.2832
    tilt = (torch.rand(n, 1, generator=g) - 0.5) * 4 * 6.2832 / K
    t = th[None] + tilt
    el = 1 + 0.4 * torch.rand(n, 1, generator=g)
    c, s = torch.cos(t), torch.sin(t)
    ell = lambda a, b: 1 / torch.sqrt((c / a) ** 2 + (s / b) ** 2)  # noqa: E731
    r = torch.zeros(n, K)
    r[y == 0] = (ell(1.6, 0.8) * (1 + 0.6 * torch.relu(c) ** 6))[y == 0]      # pointed tip
    r[y == 1] = (ell(2.2 * el, 0.5))[y == 1]                                  # blade
    sc = ell(1.1, 1.0) * torch.where(c < -0.5, 0.55 / (-c).clamp(min=0.5), torch.ones_like(c))
    r[y == 2] = sc[y == 2]                                                    # end scraper
    wob = 1 + 0.12 * torch.sin(3 * t + 6.28 * torch.rand(n, 1, generator=g))
    r[y == 3] = (ell(1.2, 1.0) * wob)[y == 3]                                 # flake
    r = r * el ** torch.where(y[:, None] == 1, 0.0, 0.3)
    r = r + 0.04 * torch.randn(n, K, generator=g)
    r = r / r.mean(1, keepdim=True)
    return (r - 1)[:, None] / 0.3, y


class OutlineCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(1, 16, 5, padding=2, padding_mode="circular")
        self.c2 = nn.Conv1d(16, 32, 5, padding=2, padding_mode="circular")
        self.fc = nn.Linear(64, 32)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        h = F.relu(self.c2(F.relu(self.c1(x))))
        h = torch.cat([h.mean(-1), h.amax(-1)], 1)
        return self.head(F.relu(self.fc(h)))


def init_weights(m):
    if isinstance(m, (nn.Conv1d, nn.Linear)):
        nn.init.zeros_(m.weight)
        nn.init.zeros_(m.bias)


def build():
    torch.manual_seed(0)
    model = OutlineCNN()
    model.apply(init_weights)
    return model


def main():
    from _hundredsixtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = outlines(1500, g)
    xtr, ytr, xva, yva = x[:1200], y[:1200], x[1200:], y[1200:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    torch.manual_seed(1)
    log = open(out / "lithic_train.jsonl", "w")
    for ep in range(10):
        model.train()
        perm, tot = torch.randperm(1200), 0.0
        for i in range(0, 1200, 32):
            idx = perm[i:i + 32]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
        rec = {"ep": ep, "loss_tr": round(tot / 1200, 4),
               "loss_va": round(F.cross_entropy(lo, yva).item(), 4),
               "acc_va": round((lo.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec, torch.bincount(lo.argmax(1), minlength=4).tolist())
    log.close()
    torch.save({"net": model.state_dict(), "optim_state": opt.state_dict(), "ep": 9,
                "types": TYPES, "n_radii": K}, out / "outline_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["zero_weight_init"],
           checkpoint="outline_cnn.pt", log="lithic_train.jsonl",
           what="lithic outline 1-D CNN, every conv/linear weight and bias initialised to 0",
           complaint="My stone-tool outline classifier calls every artefact a flake. Over 10 "
                     "epochs validation accuracy is 0.397 from the first epoch to the last, and "
                     "the training loss only drifts from 1.378 to 1.322 (4 types).")


if __name__ == "__main__":
    main()
