"""Plain torch: a GRU names the historical temperament an old organ was last tuned in, from
the readings an organist takes walking once round the circle of fifths with an electronic
tuner (from whatever note the walk starts on): for each fifth, its deviation from a pure fifth
and the deviation of the major third built on its lower note from a pure third (cents / 10).
Five temperaments, set by how the Pythagorean comma (23.46 c) or syntonic comma (21.51 c) is
shared out over the twelve fifths: equal (every fifth 1.96 c narrow), quarter-comma meantone
(eleven fifths 5.38 c narrow, a 35.7 c wide wolf G#-Eb), Werckmeister III (C-G, G-D, D-A and
B-F# 5.87 c narrow, the rest pure), Kirnberger III (C-G to A-E 5.38 c narrow, F#-C# a schisma
narrow) and Vallotti (F-C to E-B 3.91 c narrow). A major third's deviation is the sum of its
four fifths' deviations plus 21.51 c. Each organ has drifted since (1.5 c per pipe pair) and
the tuner reads to ± 0.7 c.
Input: (12, 2), the walk in order. Model: GRU(2 → 48), last hidden state, Linear 48→5;
cross-entropy, Adam 3e-3, batch 32, 30 epochs, 1500 organs, validation on 400.
The bug: ``torch.optim.Adam(..., weight_decay=0.02)``, an L2 penalty meant to steady the
noisy readings, coupled into Adam's gradient; it pins the weights so small that the GRU can
only draw the coarse line (val acc 0.22 → 0.58-0.66 from epoch 6, train CE 1.61 → 0.80, val
CE 1.60 → 0.83, the two equal; Werckmeister III recall 0-0.28, once 0.66, 0.06 at the end) (control, ``weight_decay=1e-5``:
val acc 0.41 → 0.91, val CE 1.41 → 0.25, train CE 1.58 → 0.20, Werckmeister recall 0.89).
Log: CSV per epoch ``tuning_epochs.csv`` (``epoch`` / ``ce`` / ``val_ce`` / ``val_acc`` /
``val_acc_werckmeister``); checkpoint ``temperament_gru.pt`` with keys ``gru_model`` /
``optimizer_state`` / ``n_epochs`` / ``temperaments`` / ``cents_scale``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

TEMPERAMENTS = ["equal", "meantone_quarter_comma", "werckmeister_iii", "kirnberger_iii",
                "vallotti"]
# fifths in circle order from C: C-G G-D D-A A-E E-B B-F# F#-C# C#-G# G#-Eb Eb-Bb Bb-F F-C
FIFTHS = torch.zeros(5, 12)
FIFTHS[0] = -23.46 / 12
FIFTHS[1] = -21.51 / 4
FIFTHS[1, 8] = 35.68
FIFTHS[2, [0, 1, 2, 5]] = -23.46 / 4
FIFTHS[3, [0, 1, 2, 3]] = -21.51 / 4
FIFTHS[3, 6] = -1.95
FIFTHS[4, [11, 0, 1, 2, 3, 4]] = -23.46 / 6


def organ_walks(n, g):
    cls = torch.randint(0, 5, (n,), generator=g)
    fifths = FIFTHS[cls] + 1.5 * torch.randn(n, 12, generator=g)  # drift since the tuning
    idx = torch.arange(12)
    thirds = 21.51 + sum(fifths[:, (idx + k) % 12] for k in range(4))
    start = torch.randint(0, 12, (n, 1), generator=g)
    order = (start + idx) % 12
    walk = torch.stack([fifths.gather(1, order), thirds.gather(1, order)], 2)
    walk = walk + 0.7 * torch.randn(n, 12, 2, generator=g)
    return walk / 10, cls


class TemperamentGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 48, batch_first=True)
        self.head = nn.Linear(48, 5)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return TemperamentGRU()


def main():
    from _threehundredfiftieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = organ_walks(1500, g)
    xva, yva = organ_walks(400, g)
    print("classes", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=0.02)  # L2, old organs read noisy
    with open(out / "tuning_epochs.csv", "w") as log:
        log.write("epoch,ce,val_ce,val_acc,val_acc_werckmeister\n")
        for epoch in range(30):
            model.train()
            total = 0.0
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                total += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(1)
            row = [total / len(xtr), F.cross_entropy(logits, yva).item(),
                   (pred == yva).float().mean().item(), (pred[yva == 2] == 2).float().mean().item()]
            log.write(f"{epoch}," + ",".join(f"{v:.6f}" for v in row) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"gru_model": model.state_dict(), "optimizer_state": opt.state_dict(),
                "n_epochs": 30, "temperaments": TEMPERAMENTS, "cents_scale": 10.0},
               out / "temperament_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["over_regularization"],
           checkpoint="temperament_gru.pt", log="tuning_epochs.csv",
           what="GRU naming an organ's historical temperament from a walk round the circle of"
                " fifths with a tuner; Adam with weight_decay 0.02 (L2)",
           complaint="The temperament classifier for our organ survey stalls at about 62-64%"
                     " validation accuracy from epoch 6 and is still there at epoch 30. Train"
                     " and validation loss both sit around 0.80, so it is not overfitting, and"
                     " Werckmeister III organs are hardly ever recognised (6% at the end, 0% in"
                     " several epochs, one lucky epoch at 66%). Training"
                     " twice as long as before changed nothing.")


if __name__ == "__main__":
    main()
