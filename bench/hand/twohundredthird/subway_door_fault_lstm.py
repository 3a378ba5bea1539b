"""Plain torch: an LSTM flags a subway car's platform-door closing cycle as faulty (a door that
drags on a worn roller or snags on an obstruction) from 48 samples of the door motor: current,
leaf position and speed (3 channels, 0.05 s apart). A healthy close is a smooth S-curve with a
current bump at start and at lock; a faulty one has a drag plateau or a stall-and-retry
somewhere along the stroke. Faults are rare in the maintenance export: 2.5 % of 1600 training
cycles (40), the same share in validation. LSTM(3→32), Linear(32→1) on the last state,
``BCEWithLogitsLoss``, Adam 2e-3, batch 64, 15 epochs, shuffled.
The bug: the loss is ``nn.BCEWithLogitsLoss()`` with no ``pos_weight`` (and no resampling), so
40 faults among 1560 good cycles barely move the loss; the model settles on "never faulty":
train loss 0.49 → 0.117 from epoch 3 on, val loss 0.1169, val accuracy 0.975 (the share of
good cycles) and val recall 0.00 at every one of the 15 epochs: not one fault flagged.
Control (``nn.BCEWithLogitsLoss(pos_weight=torch.tensor(39.0))``, the negative/positive ratio):
recall 0 for 2 epochs, unsteady at epochs 3–6 (everything or nothing flagged), from epoch 7
val recall 0.94–1.00 with precision 0.54–1.00; at epoch 15 val accuracy 0.998, recall 0.94
(15 of 16 faults), precision 1.00."""
import torch
import torch.nn as nn

T = 48


def cycles(n, n_fault, g):
    t = torch.linspace(0, 1, T)
    y = torch.zeros(n)
    y[torch.randperm(n, generator=g)[:n_fault]] = 1
    dur = 0.8 + 0.3 * torch.rand(n, 1, generator=g)
    pos = torch.sigmoid((t[None] / dur - 0.5) * 10)
    cur = 0.6 * torch.exp(-((t[None] - 0.05) / 0.05) ** 2) + 0.5 * torch.exp(
        -((t[None] - dur * 0.95) / 0.04) ** 2) + 0.2
    where = 0.2 + 0.5 * torch.rand(n, 1, generator=g)
    width = 0.08 + 0.06 * torch.rand(n, 1, generator=g)
    bump = torch.exp(-((t[None] - where) / width) ** 2) * y[:, None]
    cur = cur + 0.9 * bump * (0.6 + 0.8 * torch.rand(n, 1, generator=g))
    pos = pos - 0.3 * torch.cumsum(bump, 1) / T * 4
    speed = torch.diff(pos, dim=1, prepend=pos[:, :1]) * 10
    x = torch.stack([cur, pos, speed], 2)
    x = x + 0.07 * torch.randn(x.shape, generator=g)
    return x, y


class DoorLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 32, batch_first=True)
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.out(h[-1]).squeeze(1)


def build():
    torch.manual_seed(0)
    return DoorLSTM()


def main():
    from _twohundredthird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = cycles(1600, 40, g)
    xva, yva = cycles(640, 16, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    criterion = nn.BCEWithLogitsLoss()
    lines = ["epoch\ttrain_loss\tval_loss\tval_acc\tval_recall\tval_precision"]
    for epoch in range(1, 16):
        model.train()
        tot = 0.0
        for xb, yb in train:
            loss = criterion(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(yb)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        pred = (lv > 0).float()
        tp = (pred * yva).sum().item()
        rec = tp / yva.sum().item()
        prec = tp / max(pred.sum().item(), 1)
        lines.append(f"{epoch}\t{tot / 1600:.4f}\t{criterion(lv, yva).item():.4f}\t"
                     f"{(pred == yva).float().mean().item():.4f}\t{rec:.4f}\t{prec:.4f}")
        print(lines[-1])
    (out / "door_train.tsv").write_text("\n".join(lines) + "\n")
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 15},
               out / "door_lstm_e15.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["class_imbalance"],
           checkpoint="door_lstm_e15.pth", log="door_train.tsv",
           what="subway door-fault LSTM, 2.5 % faulty cycles, plain BCE without pos_weight:"
                " predicts no fault",
           complaint=("LSTM for platform-door fault detection on our subway cars (motor current, "
                      "door position, speed; 1600 closing cycles from maintenance). Validation "
                      "accuracy is 97.5 % from the very first epoch, which looked great, but "
                      "it has not caught a single faulty door in 15 epochs: recall 0.00 every "
                      "epoch. Train loss 0.49 -> 0.117 and then flat, val loss 0.1169. The "
                      "faulty cycles look obviously different when I plot them. Does the "
                      "LSTM need more hidden units or more epochs?"))


if __name__ == "__main__":
    main()
