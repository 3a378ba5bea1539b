"""Plain torch: an LSTM flags candles whose wick will soot (binary) from the first 40 readings a
candle maker's test rack takes during a burn: flame height, flame flicker and soot-sensor
opacity, once every 30 s. A sooting wick shows a flame that grows and flickers faster and an
opacity that creeps up after a while; ordinary candles vary from batch to batch (wax blend,
draught). LSTM(3→32), Linear(32→1) on the last state, ``BCEWithLogitsLoss``, Adam 3e-3,
batch 64, 10 epochs of 1536 test burns; per-step CSV log with val columns at epoch ends.
The bug: the training burns are the rack's log as it comes, where only 2 % of the candles
sooted (36 of 1536; 7 of 256 in val), and the loss is left unweighted
(``pos_weight=None``), with no resampling: the LSTM learns to answer "no soot" for
everything. Val accuracy 0.973 (= the share of good candles) from epoch 1 to epoch 10, val
loss 0.137 → 0.106, per-step train loss 0.02–0.20, but recall on sooting wicks 0.00 (0 of 7)
and val F1 0.00 at every epoch.
Control (``pos_weight=torch.tensor(10.0)``): at epoch 10 val recall 1.00, precision 0.64,
F1 0.78, accuracy 0.984."""
import csv
import sys

import torch
import torch.nn as nn

T = 40


def burns(n, g, rate):
    soot = (torch.rand(n, generator=g) < rate).float()
    t = torch.linspace(0, 1, T)
    blend = 0.3 * torch.randn(n, 1, generator=g)
    height = 1 + blend + 0.3 * soot[:, None] * t + 0.1 * torch.randn(n, T, generator=g)
    flick = (0.3 + 0.1 * torch.rand(n, 1, generator=g)) * torch.sin(
        2 * torch.pi * (3 + 5 * soot[:, None]) * t + 6 * torch.rand(n, 1, generator=g))
    onset = 0.3 + 0.4 * torch.rand(n, 1, generator=g)
    opacity = (0.8 * soot[:, None] * torch.relu(t - onset)
               + 0.15 * torch.randn(n, T, generator=g).cumsum(1) / 6)
    return torch.stack([height, flick, opacity], 2), soot


class SootNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.head(h[-1]).squeeze(1)


def build():
    torch.manual_seed(0)
    return SootNet()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredeightyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = burns(1536, g, 0.02)
    xva, yva = burns(256, g, 0.02)
    print("sooting wicks in train / val:", int(ytr.sum()), int(yva.sum()))
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=None)
    rows = []
    step = 0
    for epoch in range(10):
        model.train()
        perm = torch.randperm(1536, generator=g)
        for i in range(0, 1536, 64):
            idx = perm[i:i + 64]
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            rows.append({"step": step, "epoch": epoch, "loss": f"{loss.item():.4f}",
                         "val_loss": "", "val_acc": "", "val_f1": ""})
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        pred = (lv > 0).float()
        tp = (pred * yva).sum().item()
        prec = tp / max(pred.sum().item(), 1)
        rec = tp / max(yva.sum().item(), 1)
        f1 = 2 * prec * rec / max(prec + rec, 1e-9)
        rows[-1].update(val_loss=f"{loss_fn(lv, yva).item():.4f}",
                        val_acc=f"{(pred == yva).float().mean().item():.4f}", val_f1=f"{f1:.4f}")
        print(epoch, rows[-1], f"recall {rec:.2f} precision {prec:.2f}")
    with open(out / "soot_steps.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"epoch": 10, "step": step, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "soot_lstm.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["class_imbalance"],
           checkpoint="soot_lstm.pt", log="soot_steps.csv",
           what="LSTM sooting-wick detector trained on the rack log with 2 % sooting candles,"
                " unweighted BCE",
           complaint=("Soot detector for our candle test rack: val accuracy is 0.973 from the "
                      "very first epoch and never changes, val loss ~0.11, but it has not flagged a "
                      "single sooting wick — every candle comes out as fine, so val F1 is 0. "
                      "LSTM 32 units, Adam 3e-3, batch 64, 10 epochs. Is the LSTM too small to "
                      "see the soot building up?"))


if __name__ == "__main__":
    main()
