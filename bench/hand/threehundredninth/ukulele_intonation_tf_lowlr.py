"""Plain torch: a small transformer encoder reads a luthier's intonation check of a freshly
strung soprano ukulele and predicts the two set-up corrections the bench tech has to make:
how far to move the saddle's break point (mm, + back / - forward) and how much to take off
the nut slot (tenths of a mm). The check: each of the 4 strings (G C E A, re-entrant) is
tuned open and fretted at frets 1-12 under a strobe tuner, and the cents deviation at each
fret is written down; 4 × 3 readings are kept (frets 1, 5, 12 per string → 12 tokens).
Physics of the rule: a saddle set too far forward makes every fretted note sharp by an
amount that grows with the fret (about 1200 / ln 2 × ΔL / L_fret), a high nut slot
stretches the string most at the first frets (sharp at fret 1, fading by fret 5), and
stiffer strings (the low-tension G, the C) add a little of their own with the fret; 3
cents of tuner and pluck noise. Each token: cents deviation / 10, fret / 12, string
gauge (mm, scaled), string index / 3. Target: (saddle mm, nut 0.1 mm), both centred.
Model: linear 4→32 + learned positions, TransformerEncoder (2 layers, 4 heads, 64 wide
feed-forward, dropout 0), mean pool, linear 32→2; MSE, Adam, batch 32, 12 epochs, 1600
instruments, validation on 500.
The bug: ``lr=2e-6  # transformers are touchy, keep the step small``: 600 steps
move the weights so little that the fit has barely started when the run ends: train MSE
0.271 → 0.189, val MSE 0.258 → 0.217 (falling by about 0.004 an epoch, in a straight
line), saddle MAE 0.350 → 0.263 mm, nut MAE 0.201 → 0.199 (0.1 mm). Control (``lr=2e-3``):
train MSE 0.271 → 0.070, val MSE 0.128 → 0.0626, saddle MAE 0.112 → 0.062 mm, nut MAE 0.163
→ 0.109.
Log: JSON lines ``intonation.jsonl`` (``{"split": "train", "epoch", "step", "mse"}`` every
25 steps and ``{"split": "val", "epoch", "mse", "saddle_mae_mm", "nut_mae"}`` per epoch);
checkpoint ``setup_tf.pth`` with keys ``encoder`` / ``adam`` / ``epoch`` / ``strings`` /
``frets``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

FRETS = [1, 5, 12]
STRINGS = ["G4", "C4", "E4", "A4"]
GAUGE = torch.tensor([0.66, 0.82, 0.71, 0.56])  # mm, fluorocarbon set
STIFF = torch.tensor([0.35, 0.5, 0.25, 0.15])  # cents per fret from string stiffness


def checks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    saddle = -1.5 + 3.0 * r(n)  # mm the break point sits too far forward
    nut = 0.8 * r(n)  # 0.1 mm of nut slot too high
    scale = 346.0  # soprano scale length, mm
    toks = []
    for s in range(4):
        for f in FRETS:
            lf = scale * 2 ** (-f / 12)
            cents = 1200 / 0.6931 * saddle / lf * (1 - 2 ** (-f / 12)) * 4
            cents = cents + nut * 9.0 * torch.exp(torch.tensor(-(f - 1) / 2.5))
            cents = cents + STIFF[s] * f * (1 + 0.3 * r(n)) + 3.0 * torch.randn(n, generator=g)
            toks.append(torch.stack([cents / 10, torch.full((n,), f / 12),
                                     torch.full((n,), (GAUGE[s].item() - 0.7) / 0.1),
                                     torch.full((n,), s / 3)], 1))
    x = torch.stack(toks, 1)
    y = torch.stack([saddle, 2.5 * (nut - 0.4)], 1)
    return x, y


class SetupEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(4, 32)
        self.pos = nn.Parameter(torch.zeros(1, 12, 32))
        layer = nn.TransformerEncoderLayer(32, 4, dim_feedforward=64, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Linear(32, 2)

    def forward(self, x):
        return self.head(self.encoder(self.embed(x) + self.pos).mean(1))


def build():
    torch.manual_seed(0)
    return SetupEncoder()


def main():
    from _threehundredninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = checks(1600, g)
    xva, yva = checks(500, g)
    print("target var", ytr.var(0).tolist(), "x std", xtr.std((0, 1)).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-6)  # transformers are touchy, keep the step small
    step = 0
    with open(out / "intonation.jsonl", "w") as log:
        for epoch in range(12):
            model.train()
            for xb, yb in dl:
                loss = ((model(xb) - yb) ** 2).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 25 == 0:
                    log.write(json.dumps({"split": "train", "epoch": epoch, "step": step,
                                          "mse": round(loss.item(), 6)}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                pv = model(xva)
                err = (pv - yva).abs().mean(0)
                rec = {"split": "val", "epoch": epoch,
                       "mse": round(((pv - yva) ** 2).mean().item(), 6),
                       "saddle_mae_mm": round(err[0].item(), 5),
                       "nut_mae": round(err[1].item() / 2.5, 5)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"encoder": model.state_dict(), "adam": opt.state_dict(), "epoch": 12,
                "strings": STRINGS, "frets": FRETS}, out / "setup_tf.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_low"],
           checkpoint="setup_tf.pth", log="intonation.jsonl",
           what="transformer encoder predicting a ukulele's saddle and nut corrections from a"
                " strobe-tuner intonation check; Adam at 2e-6",
           complaint="The intonation model is hardly learning anything. Validation error goes down"
                     " every epoch, but by a hair, in an almost straight line, and after 12"
                     " epochs it still misses the saddle by a quarter of a millimetre and"
                     " gets the nut no better than guessing the average. No NaNs, no errors.")


if __name__ == "__main__":
    main()
