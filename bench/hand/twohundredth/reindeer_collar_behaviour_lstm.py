"""Plain torch: an LSTM tells what a collared reindeer is doing (grazing, walking, lying,
trotting) from 40 samples (2 s at 20 Hz) of its collar's 3-axis accelerometer. Grazing is a
head-down tilt with slow nods, walking a 1 Hz sway, lying a still, tilted collar, trotting a
faster, stronger sway; amplitudes, tilt and phase vary per window, plus sensor noise.
LSTM(3→48), last hidden state → Linear(48→4); Adam, batch 32, 12 epochs of 1280 windows.
Log: TSV per epoch (``epoch``, ``train_loss``, ``train_acc``, ``val_loss``, ``val_acc``);
checkpoint ``model_state_dict`` / ``optimizer_state_dict`` / ``epoch``.
The bug: the Adam learning rate is typed ``lr=2e-6`` (the script it
was copied from used 2e-3). The LSTM barely moves in 12 epochs: train loss 1.3958 → 1.3939,
val loss 1.3964 → 1.3947 (ln 4 = 1.386), train accuracy 0.233 → 0.299, val accuracy 0.225 →
0.291, creeping up by a few thousandths an epoch. Control (``lr=2e-3``): val loss 0.91 → 0.60
at 6 → 0.18 at 12, val accuracy 0.52 → 0.72 at 6 → 0.95 at 12."""
import torch
import torch.nn as nn

T = 40


def windows(n, g):
    t = torch.arange(T).float() / 20
    y = torch.randint(0, 4, (n,), generator=g)
    ph = 6.28 * torch.rand(n, 1, generator=g)
    a = 0.6 + 0.6 * torch.rand(n, 1, generator=g)
    freq = torch.tensor([0.4, 1.0, 0.0, 2.2])[y].unsqueeze(1)
    amp = torch.tensor([0.3, 0.5, 0.0, 1.0])[y].unsqueeze(1) * a
    tilt = torch.tensor([-0.8, 0.0, 0.6, 0.1])[y].unsqueeze(1) + 0.2 * torch.randn(n, 1,
                                                                                   generator=g)
    sway = amp * torch.sin(6.28 * freq * t + ph)
    x = torch.stack([sway, tilt + 0.3 * sway ** 2, 1.0 + 0.5 * sway * torch.cos(ph)], 2)
    return x + 0.15 * torch.randn(n, T, 3, generator=g), y


class Behaviour(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 48, batch_first=True)
        self.head = nn.Linear(48, 4)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return Behaviour()


def main():
    from _twohundredth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1280, g)
    xva, yva = windows(320, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-6)
    loss_fn = nn.CrossEntropyLoss()
    with open(out / "collar_train.tsv", "w") as f:
        f.write("epoch\ttrain_loss\ttrain_acc\tval_loss\tval_acc\n")
        for epoch in range(1, 13):
            model.train()
            tl = ta = 0.0
            for xb, yb in train:
                logits = model(xb)
                loss = loss_fn(logits, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tl += loss.item() * len(yb)
                ta += (logits.argmax(1) == yb).sum().item()
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            row = [epoch, tl / len(xtr), ta / len(xtr), loss_fn(lv, yva).item(),
                   (lv.argmax(1) == yva).float().mean().item()]
            f.write("\t".join(str(round(v, 4)) for v in row) + "\n")
            print(row)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 12}, out / "collar_lstm.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_low"],
           checkpoint="collar_lstm.pth", log="collar_train.tsv",
           what="reindeer collar-accelerometer behaviour LSTM, Adam at 2e-6",
           complaint=("reindeer collar behaviour model (grazing/walking/lying/trotting from the accelerometer) "
                     "is not learning anything: 12 epochs, train loss 1.3958 -> 1.3939, val loss 1.3964 -> "
                     "1.3947, val accuracy 0.225 -> 0.291, basically chance for 4 classes. Loss isn't NaN, "
                     "gradients are not zero, it just doesn't go down. Is an LSTM the wrong model for this?"))


if __name__ == "__main__":
    main()
