"""Plain torch: an LSTM forecasts the mid-span sag (mm) of a bamboo rafter at the end of a
48-hour window from hourly readings of roof load, relative humidity and temperature (3
channels): sag is a creep-like response, a leaky integral of load scaled up by humidity, plus
sensor noise. LSTM(3→32) + Linear(32→1) on the last state; Adam, batch 32, 15 epochs of 768
windows, MSE on standardised sag. Checkpoint ``{"state_dict", "optimizer", "epoch"}``, log CSV
per epoch (``ep,mse,val_mse``).
The bug: ``lr=2e-6`` (meant 2e-3; the LSTM tutorial it was copied from fine-tuned a pretrained
model): the loss creeps down by a few thousandths per epoch. Numbers: train MSE 1.029 → 1.019,
val MSE 1.045 → 1.037 over 15 epochs. Control (``lr=2e-3``): val MSE 0.75, 0.72, 0.66, 0.50,
0.34 ... 0.07 at epoch 15."""
import sys

import torch
import torch.nn as nn

T = 48


def windows(n, g):
    load = torch.rand(n, T, generator=g) * (torch.rand(n, T, generator=g) < 0.3)
    hum = 0.5 + 0.3 * torch.sin(torch.arange(T) / 24 * 6.283 + 6.283 * torch.rand(n, 1,
                                                                                   generator=g))
    temp = 0.5 + 0.2 * torch.randn(n, 1, generator=g) + 0.05 * torch.randn(n, T, generator=g)
    sag = torch.zeros(n)
    for t in range(T):
        sag = 0.9 * sag + load[:, t] * (0.5 + hum[:, t])
    x = torch.stack([load, hum, temp], 2) + 0.05 * torch.randn(n, T, 3, generator=g)
    y = (sag - 2.0) / 0.8
    return x, (y + 0.1 * torch.randn(n, generator=g)).unsqueeze(1)


class SagNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.head(h[:, -1])


def build():
    torch.manual_seed(0)
    return SagNet()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredthirtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(768, g)
    xva, yva = windows(192, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-6)
    loss_fn = nn.MSELoss()
    rows = ["ep,mse,val_mse"]
    for epoch in range(15):
        model.train()
        perm = torch.randperm(768, generator=g)
        tot = 0.0
        for i in range(0, 768, 32):
            idx = perm[i:i + 32]
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            vl = loss_fn(model(xva), yva).item()
        rows.append(f"{epoch + 1},{tot / 768:.4f},{vl:.4f}")
        print(rows[-1])
    (out / "sag_train.csv").write_text("\n".join(rows) + "\n")
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 15},
               out / "sag_lstm.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_low"],
           checkpoint="sag_lstm.pt", log="sag_train.csv",
           what="LSTM forecasting bamboo-rafter sag from 48 h of load/humidity/temperature",
           complaint="Sag forecaster for the bamboo rafters: 15 epochs and the validation MSE "
                     "is still about 1 on standardised sag, no better than predicting the mean. "
                     "The loss does go down but only in the third decimal each epoch. Is an LSTM "
                     "just the wrong model for creep?")


if __name__ == "__main__":
    main()
