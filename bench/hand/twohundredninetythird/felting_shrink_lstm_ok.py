"""Plain torch: an LSTM tells a felt maker how much a wet-felted wool piece will have shrunk (area
%, after fulling and drying) from the log of its 30 rolling rounds, so the layout for a
commissioned piece can be laid out big enough. Each round the maker notes how many rolls
(50-300), the water temperature (25-60 °C), whether soap was added and how hard the roll was
pressed (0-1). Felting physics as felters use it: the scales of wool fibres lock in one
direction only, so each roll migrates fibres a little; the rate grows with rolls, with warm
water (the scales open, ×1.02 per °C over 25), with soap (fibres slide, ×1.5) and with
pressure, and the piece approaches a ceiling set by the fibre (fine merino near 21 micron
shrinks to ~50 %, coarse 35-micron wool to ~30 %): dS = rate·(Smax - S) per round, plus a 1.5
% measuring scatter at the end. The fibre micron is given as a fifth channel.
Input: (30, 5) rolls / 100, (temperature - 40) / 10, soap 0/1, pressure, (micron - 28) / 4;
target shrinkage % / 10.
LSTM 5→40, 1 layer, last state → linear 40→24-Tanh-24→1; MSE, AdamW 4e-3 (weight decay 1e-3)
with OneCycleLR over 18 epochs, batch 32, 1200 pieces, validation on 300.
Healthy; numbers in the README.
Log: TSV per epoch ``shrink_log.tsv`` (``epoch`` / ``lr`` / ``train_mse`` / ``val_mse`` /
``val_mae_pct``); checkpoint ``shrink_lstm.pt`` with keys ``lstm_state`` / ``optim`` /
``onecycle`` / ``epoch`` / ``channels``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

R = 30
CHANNELS = ["rolls/100", "(temp-40)/10", "soap", "pressure", "(micron-28)/4"]


def pieces(n, g):
    micron = 19 + 17 * torch.rand(n, 1, generator=g)
    smax = 50 - 20 * (micron - 19) / 16
    rolls = 50 + 250 * torch.rand(n, R, generator=g)
    temp = (25 + 35 * torch.rand(n, 1, generator=g)
            + 6 * torch.randn(n, R, generator=g)).clamp(20, 65)
    soap = (torch.rand(n, R, generator=g) < 0.4).float()
    press = torch.rand(n, R, generator=g)
    s = torch.zeros(n, 1)
    for r in range(R):
        rate = (0.0002 * rolls[:, r:r + 1] * 1.02 ** (temp[:, r:r + 1] - 25)
                * (1 + 0.5 * soap[:, r:r + 1]) * (0.4 + press[:, r:r + 1]))
        s = s + rate.clamp(max=1) * (smax - s)
    s = s + 1.5 * torch.randn(n, 1, generator=g)
    x = torch.stack([rolls / 100, (temp - 40) / 10, soap, press,
                     ((micron - 28) / 4).expand(n, R)], 2)
    return x, s / 10


class ShrinkLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(5, 40, batch_first=True)
        self.head = nn.Sequential(nn.Linear(40, 24), nn.Tanh(), nn.Linear(24, 1))

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


def build():
    torch.manual_seed(0)
    return ShrinkLSTM()


def main():
    from _twohundredninetythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pieces(1200, g)
    xva, yva = pieces(300, g)
    print("shrink/10", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=4e-3, weight_decay=1e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=4e-3, epochs=18,
                                                steps_per_epoch=len(loader))
    log = open(out / "shrink_log.tsv", "w")
    log.write("epoch\tlr\ttrain_mse\tval_mse\tval_mae_pct\n")
    for epoch in range(18):
        model.train()
        tot = 0.0
        for xb, yb in loader:
            loss = F.mse_loss(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            p = model(xva)
            mv = F.mse_loss(p, yva).item()
            mae = 10 * (p - yva).abs().mean().item()
        row = f"{epoch}\t{sched.get_last_lr()[0]:.6f}\t{tot / len(xtr):.6f}\t{mv:.6f}\t{mae:.4f}"
        log.write(row + "\n")
        print(row)
    log.close()
    torch.save({"lstm_state": model.state_dict(), "optim": opt.state_dict(),
                "onecycle": sched.state_dict(), "epoch": 18, "channels": CHANNELS},
               out / "shrink_lstm.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="shrink_lstm.pt", log="shrink_log.tsv",
           what="LSTM giving a wet-felted piece's area shrinkage from its 30 rolling rounds"
                " (healthy)")


if __name__ == "__main__":
    main()
