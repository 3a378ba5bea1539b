"""Plain torch: a 1-D CNN without batch norm reads back an ink's pigment recipe from the
reflectance spectrum of a drawdown, so an inkmaker can match a customer's sample: the shares of
5 pigments (phthalo blue, diarylide yellow, rubine red, carbon black, titanium white) in the
pigment load. Rules behind the spectra: Kubelka-Munk single-constant mixing, K/S of the mix
= Σ share_i · (K/S)_i(λ) with each pigment's K/S a sum of absorption bands (the white a low
flat K/S), reflectance R = 1 + K/S - √((K/S)² + 2·K/S) at 31 bands (400-700 nm), a small
substrate gloss offset and spectrophotometer noise. Recipes use 1-4 of the pigments, shares
exponential draws normalised to 1.
Input: (1, 31) reflectance (0-1). Model: Conv1d 1→12 (k5) + ReLU, Conv1d 12→24 (k5) + ReLU,
average pool 3, Linear 168→64, ReLU, 64→5 (share logits); KL divergence to the recipe's
shares, RMSprop 1e-3, batch 64, 25 epochs, 3200 drawdowns, validation on 800.
The bug: ``F.kl_div(logits.softmax(1), shares, reduction="batchmean")`` hands the predicted
shares to ``kl_div`` as probabilities where it expects log-probabilities; the loss goes
negative (-0.90 → -1.36) and rewards piling the shares onto the main pigment, so the true KL
climbs: val KL 0.758 → 4.45, share MAE 10.4 → 13.1 points, main pigment right 0.83 → 0.905
(control, ``logits.log_softmax(1)``: val KL 0.224 → 0.113 (best 0.092), share MAE 7.8 → 4.8
points, main pigment 0.84 → 0.86, 0.91 on the way).
Log: CSV per step ``shade_steps.csv`` (``it`` / ``kl``, every 10 steps) and per epoch
``shade_epochs.csv`` (``epoch`` / ``val_kl`` / ``val_share_mae_pct`` / ``val_main_pigment_acc``,
named as the log in the truth); checkpoint ``shade_match.pt`` with keys ``cnn_state`` /
``rmsprop_state`` / ``epoch`` / ``pigments`` / ``bands_nm``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

NM = torch.linspace(400, 700, 31)
PIGMENTS = ["phthalo_blue", "diarylide_yellow", "rubine_red", "carbon_black", "titanium_white"]


def band(c, w, h):
    return h * torch.exp(-0.5 * ((NM - c) / w) ** 2)


KS = torch.stack([band(620, 50, 9.0) + band(560, 30, 3.0),  # cyan: absorbs red / orange
                  band(440, 35, 8.0) + band(480, 20, 2.0),  # yellow: absorbs blue
                  band(535, 35, 8.5) + band(490, 25, 2.5),  # magenta: absorbs green
                  torch.full((31,), 6.0) + band(450, 80, 1.0),  # black: flat
                  torch.full((31,), 0.04)])  # white


def drawdowns(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    e = -torch.log(r(n, 5).clamp(min=1e-6))
    used = r(n, 5) < 0.45
    used[torch.arange(n), torch.randint(0, 5, (n,), generator=g)] = True
    shares = e * used
    shares = shares / shares.sum(1, keepdim=True)
    ks = shares @ KS + 0.01
    refl = 1 + ks - torch.sqrt(ks ** 2 + 2 * ks)
    refl = refl + 0.02 * r(n, 1) + 0.004 * torch.randn(n, 31, generator=g)
    return refl.unsqueeze(1), shares


class ShadeCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(1, 12, 5), nn.ReLU(), nn.Conv1d(12, 24, 5), nn.ReLU(),
                                  nn.AvgPool1d(3))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(24 * 7, 64), nn.ReLU(), nn.Linear(64, 5))

    def forward(self, x):
        return self.head(self.conv(x))


def build():
    torch.manual_seed(0)
    return ShadeCNN()


def main():
    from _threehundredthirtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, str_ = drawdowns(3200, g)
    xva, sva = drawdowns(800, g)
    print("mean shares", str_.mean(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, str_), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    it = 0
    with open(out / "shade_steps.csv", "w", newline="") as fs, \
            open(out / "shade_epochs.csv", "w", newline="") as fe:
        ws, we = csv.writer(fs), csv.writer(fe)
        ws.writerow(["it", "kl"])
        we.writerow(["epoch", "val_kl", "val_share_mae_pct", "val_main_pigment_acc"])
        for epoch in range(25):
            model.train()
            for xb, sb in dl:
                logits = model(xb)
                loss = F.kl_div(logits.softmax(1), sb, reduction="batchmean")  # KL from the recipe's shares
                opt.zero_grad()
                loss.backward()
                opt.step()
                if it % 10 == 0:
                    ws.writerow([it, f"{loss.item():.6f}"])
                it += 1
            model.eval()
            with torch.no_grad():
                lp = model(xva).log_softmax(1)
            kl = F.kl_div(lp, sva, reduction="batchmean").item()
            mae = 100 * (lp.exp() - sva).abs().mean().item()
            acc = (lp.argmax(1) == sva.argmax(1)).float().mean().item()
            we.writerow([epoch, f"{kl:.6f}", f"{mae:.4f}", f"{acc:.5f}"])
            print(epoch, round(kl, 5), round(mae, 3), round(acc, 4))
    torch.save({"cnn_state": model.state_dict(), "rmsprop_state": opt.state_dict(), "epoch": 25,
                "pigments": PIGMENTS, "bands_nm": NM}, out / "shade_match.pt")
    finish(out, __file__, (xva[:64], sva[:64]), causes=["kl_div_wrong_inputs"],
           checkpoint="shade_match.pt", log="shade_epochs.csv",
           what="1-D CNN reading an ink's pigment shares from a drawdown's reflectance"
                " spectrum; kl_div given softmax probabilities instead of log-probabilities",
           complaint="Training my shade-matching CNN, the training loss went negative right"
                     " away (-0.9, then stuck around -1.36), while the validation KL divergence"
                     " gets worse every single epoch: 0.76 after the first epoch, 4.45 after"
                     " 25. It names the main pigment right 90 % of the time, but the predicted"
                     " recipe shares are 13 points off on average, worse than after epoch 1.")


if __name__ == "__main__":
    main()
