"""Phase identification from powder X-ray diffraction patterns (materials): a 1-D CNN reads a
synthetic Cu Kα pattern, 2θ 10–74° at 0.25° (256 points), and names one of 6 reference phases
(rock salt, fluorite, perovskite, rutile, wurtzite, spinel stand-ins: each a fixed list of
reflections with relative intensities). Each sample: the reference peaks shifted by a lattice
strain of ± 0.6 % (a 2θ shift growing with angle) and a zero-offset of ± 0.3°, pseudo-Voigt
peaks of width 0.3–0.6°, intensities scaled by ± 30 % (preferred orientation), an amorphous
background hump, Poisson-like noise; each pattern scaled to a max of 1. Three conv blocks
(k 9/7/5, 16/32/32 channels, max-pool 2), global max pool, a linear head for 6 phases.
Adam 2e-3, batch 32, 8 epochs of 1200 patterns; JSON lines per epoch.
Bug: the classifier ``nn.Sequential`` ends in ``nn.Softmax(dim=1)`` (kept from an inference
snippet that printed probabilities), and training uses ``nn.CrossEntropyLoss`` on those
probabilities. Train loss 1.79 → 1.38 (epoch 4) → 1.238 at epoch 8, flattening out well above
the control; val accuracy 0.77–0.82 from epoch 4 on (0.81 at the end), val loss 1.236. The
control (no Softmax) reaches train loss 0.235, val loss 0.168, val accuracy 0.983 and is still
falling."""
import json

import torch
import torch.nn as nn

TT = torch.arange(256).float() * 0.25 + 10.0
PHASES = {  # reflections (2θ in degrees, relative intensity)
    "rocksalt": [(31.7, 1.0), (45.5, 0.6), (56.5, 0.2), (66.2, 0.1)],
    "fluorite": [(28.5, 1.0), (33.1, 0.3), (47.5, 0.55), (56.3, 0.4), (69.2, 0.1)],
    "perovskite": [(22.2, 0.3), (31.6, 1.0), (38.9, 0.25), (45.3, 0.5), (56.2, 0.35), (65.8, 0.2)],
    "rutile": [(27.4, 1.0), (36.1, 0.5), (41.2, 0.2), (54.3, 0.6), (56.6, 0.2), (69.0, 0.1)],
    "wurtzite": [(31.8, 0.6), (34.4, 0.45), (36.3, 1.0), (47.5, 0.25), (56.6, 0.35), (62.9, 0.3)],
    "spinel": [(18.3, 0.3), (30.1, 0.35), (35.5, 1.0), (43.1, 0.25), (57.0, 0.3), (62.6, 0.4)],
}
NAMES = list(PHASES)


def pattern(k, g):
    r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
    strain, zero, w = (r() - 0.5) * 0.012, (r() - 0.5) * 0.6, 0.3 + 0.3 * r()
    y = 0.15 * torch.exp(-((TT - 25 - 5 * r()) / 8) ** 2)  # amorphous hump
    for pos, inten in PHASES[NAMES[k]]:
        c = pos * (1 - strain) + zero
        a = inten * (0.7 + 0.6 * r())
        lor = 1 / (1 + ((TT - c) / w) ** 2)
        gau = torch.exp(-0.693 * ((TT - c) / w) ** 2)
        y = y + a * (0.5 * lor + 0.5 * gau)
    y = y + 0.03 * torch.sqrt(y + 0.01) * torch.randn(256, generator=g)
    return y / y.max()


def dataset(n, g):
    ys = torch.randint(0, 6, (n,), generator=g)
    return torch.stack([pattern(int(k), g) for k in ys])[:, None], ys


def build():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv1d(1, 16, 9, padding=4), nn.ReLU(), nn.MaxPool1d(2),
        nn.Conv1d(16, 32, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
        nn.Conv1d(32, 32, 5, padding=2), nn.ReLU(),
        nn.AdaptiveMaxPool1d(1), nn.Flatten(),
        nn.Linear(32, 6),
        nn.Softmax(dim=1),
    )


def main():
    from _hundredfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = dataset(1200, g)
    xva, yva = dataset(300, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    crit = nn.CrossEntropyLoss()
    torch.manual_seed(1)
    with open(out / "xrd_train.jsonl", "w") as f:
        for epoch in range(8):
            model.train()
            perm = torch.randperm(1200)
            tot = 0.0
            for i in range(0, 1200, 32):
                idx = perm[i:i + 32]
                loss = crit(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                out_va = model(xva)
                rec = {"epoch": epoch, "loss": round(tot / 1200, 4),
                       "val_loss": round(crit(out_va, yva).item(), 4),
                       "val_accuracy": round((out_va.argmax(1) == yva).float().mean().item(), 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": 8, "phases": NAMES, "two_theta": [10.0, 73.75, 0.25]},
               out / "xrd_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["activation_before_softmax"],
           checkpoint="xrd_cnn.pt", log="xrd_train.jsonl",
           what="XRD phase-ID CNN, nn.Softmax at the end of the model fed to CrossEntropyLoss",
           complaint="My XRD phase-identification CNN stops improving: the training loss went "
                     "from 1.79 to about 1.24 and then barely moves (1.247, 1.238 in the last two "
                     "epochs), and validation accuracy is stuck around 0.81 on synthetic patterns "
                     "that should be easy to tell apart.")


if __name__ == "__main__":
    main()
