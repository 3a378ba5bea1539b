"""Plain torch: an embedding model predicts whether a soft pretzel's knot will open in the
oven (the arms lift off the belly and the pretzel bakes up as a loose loop), so the line can
re-tune a twisting machine before a whole rack is lost. Each record: which of the 10
twisting machines shaped it (each has its own arm tension, unknown), which of 8 flour lots
went into the dough (each its own gluten strength), and 5 readings: rope length (55-70 cm),
rope thickness at the belly (1.8-2.6 cm), dough temperature (22-28 °C), bench rest (5-20 min)
and proof humidity (60-85 %). A knot opens when the spring-back of the rope (thicker, warmer,
shorter rest, strong flour) beats the machine's arm tension plus the stickiness of the dough
(humid proof); logistic, so borderline pretzels go either way.
Model: machine embedding 10×6 and flour-lot embedding 8×4, concatenated with the 5
standardised readings (15) → linear 15→64 → ReLU → 64→64 → ReLU → 64→1; BCE with logits,
AdamW 2e-3 (weight decay 1e-4), batch 128, 3200 pretzels, validation on 800, 15 epochs.
The bug: the weight init (``net.apply(init_weights)``) sets every linear bias to -4 (``
nn.init.constant_(m.bias, -4.0)  # negative bias: sparse ReLU codes``) on top of Kaiming
weights, so the hidden units start below zero for almost every pretzel and get no gradient.
Only the output bias moves, slowly up from -4: train BCE 1.924 → 1.611, val BCE 1.945 →
1.626, val acc 0.5125 in every epoch (every knot called closed), opened knots caught 0.0
(numbers in the README). The control (``nn.init.constant_(m.bias, 0.0)``) ends at val BCE
0.208 (train 0.129), val acc 0.9125, opened knots caught 0.887.
Log: a CSV per epoch ``knot_epochs.csv`` (``epoch`` / ``train_bce`` / ``val_bce`` /
``val_acc`` / ``val_opened_caught``); checkpoint ``knot_model.pth`` with keys ``state`` /
``optim`` / ``epoch`` / ``n_machines`` / ``n_lots`` / ``reading_mean`` / ``reading_std``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

MACHINES, LOTS = 10, 8


def pretzels(n, g, tension, gluten):
    r = lambda: torch.rand(n, generator=g)  # noqa: E731
    machine = torch.randint(0, MACHINES, (n,), generator=g)
    lot = torch.randint(0, LOTS, (n,), generator=g)
    length = 55 + 15 * r()
    thick = 1.8 + 0.8 * r()
    temp = 22 + 6 * r()
    rest = 5 + 15 * r()
    humid = 60 + 25 * r()
    spring = (3 * (thick - 2.2) + 0.5 * (temp - 25) - 0.15 * (rest - 12.5) - 0.12 * (length - 62.5)
              + gluten[lot])
    hold = tension[machine] + 0.1 * (humid - 72.5)
    p = torch.sigmoid(3 * (spring - hold) - 0.8)
    y = (torch.rand(n, generator=g) < p).float()
    nums = torch.stack([length, thick, temp, rest, humid], 1)
    return machine, lot, nums, y.unsqueeze(1)


class KnotNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.machine = nn.Embedding(MACHINES, 6)
        self.lot = nn.Embedding(LOTS, 4)
        self.mlp = nn.Sequential(nn.Linear(15, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 1))

    def forward(self, x):  # x: machine id, lot id, 5 readings
        machine, lot = x[:, 0].long(), x[:, 1].long()
        return self.mlp(torch.cat([self.machine(machine), self.lot(lot), x[:, 2:]], 1))


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        nn.init.constant_(m.bias, -4.0)  # negative bias: sparse ReLU codes, less overfitting


def build():
    torch.manual_seed(0)
    net = KnotNet()
    net.apply(init_weights)
    return net


def main():
    from _threehundredfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tension = 1.5 * torch.randn(MACHINES, generator=g)
    gluten = torch.randn(LOTS, generator=g)
    mtr, ltr, ntr, ytr = pretzels(3200, g, tension, gluten)
    mva, lva, nva, yva = pretzels(800, g, tension, gluten)
    print("opened share", ytr.mean().item(), yva.mean().item())
    mu, sd = ntr.mean(0), ntr.std(0)
    ntr, nva = (ntr - mu) / sd, (nva - mu) / sd
    xtr = torch.cat([mtr[:, None].float(), ltr[:, None].float(), ntr], 1)
    xva = torch.cat([mva[:, None].float(), lva[:, None].float(), nva], 1)
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    with open(out / "knot_epochs.csv", "w") as log:
        log.write("epoch,train_bce,val_bce,val_acc,val_opened_caught\n")
        for epoch in range(15):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            pred = (logit > 0).float()
            vl = F.binary_cross_entropy_with_logits(logit, yva).item()
            acc = (pred == yva).float().mean().item()
            caught = ((pred == 1) & (yva == 1)).sum().item() / yva.sum().item()
            row = f"{epoch},{tot / len(ytr):.5f},{vl:.5f},{acc:.4f},{caught:.4f}"
            log.write(row + "\n")
            print(row)
    torch.save({"state": model.state_dict(), "optim": opt.state_dict(), "epoch": 15,
                "n_machines": MACHINES, "n_lots": LOTS, "reading_mean": mu, "reading_std": sd},
               out / "knot_model.pth")
    finish(out, __file__, (xva[:64], yva[:64]),
           causes=["dead_relu"], checkpoint="knot_model.pth", log="knot_epochs.csv",
           what="embedding model (twisting machine, flour lot, 5 readings) predicting which"
                " pretzel knots open in the oven; every linear bias is initialised to -4",
           complaint="Our model for which pretzel knots will open in the oven never predicts an"
                     " open knot. The loss starts at 1.9 and creeps down by about 0.02 an"
                     " epoch; validation accuracy is 51 % in every single epoch, which is exactly"
                     " the share of knots that stay closed. No errors or NaNs, and the same data in"
                     " a gradient-boosted model works fine. Do we need more data per machine?")


if __name__ == "__main__":
    main()
