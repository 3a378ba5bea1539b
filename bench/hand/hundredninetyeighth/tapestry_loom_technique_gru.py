"""Plain torch: a GRU names the weaving technique (plain weave, twill, slit tapestry,
soumak) from a loom's sensor trace: 4 channels (shed-pedal position, beater force, weft
tension, shuttle speed) × 48 picks, stored channels-first (N, 4, 48) as the loom logger writes
it. Each technique is a different pedal rhythm (period 2, 3 or 4 with its own phase pattern)
with technique-typical beater and tension bursts, plus noise and a random start phase.
GRU(4→48) over the picks, last hidden state → Linear(48→4); Adam 3e-3, batch 32, 15 epochs of
1024 traces; CSV log per epoch (``epoch,train_loss,val_loss,val_acc``).
Bug: ``forward`` turns the (N, 4, 48) trace into the (N, 48, 4) sequence the GRU wants with
``x.reshape(x.size(0), PICKS, CH)`` instead of ``x.transpose(1, 2)``: every "pick" is four
consecutive samples of one channel, and the channels are mixed along the sequence.
Run: val accuracy 0.39, 0.55, 0.75 in the first 3 epochs, then stuck at 0.71–0.77; epoch 15
train loss 0.346, val loss 0.363, val accuracy 0.734.
Control (``x.transpose(1, 2)``): val accuracy 1.00 from epoch 5 on (one loss spike, 0.64, in
epoch 14); epoch 15 train loss 0.084, val loss 0.042, val accuracy 1.00."""
import csv
import sys

import torch
import torch.nn as nn

CH, PICKS = 4, 48


def traces(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(PICKS).float()
    x = torch.zeros(n, CH, PICKS)
    period = torch.tensor([2.0, 3.0, 4.0, 4.0])
    for i in range(n):
        c = int(y[i])
        ph = float(torch.rand(1, generator=g)) * 6.28
        w = 6.283 / period[c]
        x[i, 0] = torch.sign(torch.sin(w * t + ph))
        if c == 3:  # soumak: wrapping pass every second repeat, pedal half-held
            x[i, 0] = 0.5 * x[i, 0] + 0.5 * torch.sign(torch.sin(w / 2 * t + ph))
        x[i, 1] = (1.0 + 0.6 * (c == 1)) * torch.relu(torch.cos(w * t + ph)) ** 2
        x[i, 2] = 0.8 * (c == 2) * torch.sin(w / 3 * t + ph) + 0.3 * torch.cos(w * t)
        x[i, 3] = torch.cos(w * t + ph + 1.0) * (0.5 + 0.5 * (c >= 2))
    return x + 0.3 * torch.randn(x.shape, generator=g), y


class LoomGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(CH, 48, batch_first=True)
        self.head = nn.Linear(48, 4)

    def forward(self, x):
        seq = x.reshape(x.size(0), PICKS, CH)
        _, h = self.gru(seq)
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return LoomGRU()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredninetyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = traces(1024, g)
    xva, yva = traces(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = nn.CrossEntropyLoss()
    rows = []
    for epoch in range(15):
        model.train()
        perm = torch.randperm(1024, generator=g)
        tot = 0.0
        for i in range(0, 1024, 32):
            idx = perm[i:i + 32]
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        rows.append({"epoch": epoch + 1, "train_loss": round(tot / 1024, 4),
                     "val_loss": round(loss_fn(lv, yva).item(), 4),
                     "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)})
        print(rows[-1])
    with open(out / "loom_log.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"epoch": 15, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "loom_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["input_layout_scrambled"],
           checkpoint="loom_gru.pt", log="loom_log.csv",
           complaint="The loom technique classifier tops out around 73-77 % validation accuracy "
                     "and the loss sits at 0.35 from epoch 6 on. The four techniques have clearly "
                     "different pedal rhythms, I can tell them apart by eye on the plots. "
                     "Bigger GRU next?",
           what="GRU weaving-technique classifier over 4-channel loom sensor traces")


if __name__ == "__main__":
    main()
