"""Plain torch: a GRU reads the first 8 hours of an oil-size log while a frame is prepared for
water-free (oil) gilding, one reading every 20 minutes: workshop temperature (°C), relative
humidity (%), and the gilder's knuckle test of the size's tack (0 = wet, 1 = dry; a noisy
judgement), and predicts how many hours after sizing the size reaches "the whistle", the tack
at which the gold leaf should be laid. The size dries at a rate that doubles for about every
12 °C warmer, is slowed by damp air and by a thicker coat (unseen, only visible through the
early tack readings); tack = 1 - exp(-drying so far), the whistle at tack 0.8. Standardised
inputs and target. GRU(3→48), Linear 48→1 on the last step, Huber loss, Adam 3e-3 with cosine
annealing, batch 32, 30 epochs of 1200 sized frames, validation on 300.
Log: a TSV per epoch ``size_log.tsv`` (``ep`` / ``huber`` / ``val_huber`` / ``val_mae_h``);
checkpoint ``whistle_gru.pt`` with keys ``gru_weights`` / ``opt`` / ``cosine`` / ``ep`` /
``x_mu`` / ``x_sd`` / ``y_mu`` / ``y_sd``.
Healthy; numbers in the README."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

READS = 24


def frames(n, g):
    temp = 14 + 12 * torch.rand(n, 1, generator=g) + 0.8 * torch.randn(n, READS, generator=g)
    rh = 35 + 45 * torch.rand(n, 1, generator=g) + 3 * torch.randn(n, READS, generator=g)
    coat = 0.7 + 0.6 * torch.rand(n, 1, generator=g)
    rate = 0.05 * 2 ** ((temp - 20) / 12) * (1.4 - rh / 100) / coat
    dried = rate.cumsum(1) / 3
    tack = (1 - torch.exp(-dried) + 0.05 * torch.randn(n, READS, generator=g)).clamp(0, 1)
    mean_rate = rate.mean(1) * 3
    hours = -torch.log(torch.tensor(0.2)) / mean_rate
    return torch.stack([temp, rh, tack], 2), hours


class Whistle(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 48, batch_first=True)
        self.head = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.head(h[:, -1]).squeeze(-1)


def build():
    torch.manual_seed(0)
    return Whistle()


def main():
    from _twohundredseventythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, htr = frames(1200, g)
    rva, hva = frames(300, g)
    xm, xs = rtr.mean((0, 1)), rtr.std((0, 1))
    ym, ys = htr.mean(), htr.std()
    print("hours mean/std", ym.item(), ys.item())
    xtr, xva = (rtr - xm) / xs, (rva - xm) / xs
    ytr, yva = (htr - ym) / ys, (hva - ym) / ys
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, 30)
    with open(out / "size_log.tsv", "w") as f:
        f.write("ep\thuber\tval_huber\tval_mae_h\n")
        for ep in range(30):
            model.train()
            tot, nb = 0.0, 0
            for xb, yb in loader:
                loss = F.huber_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item()
                nb += 1
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(xva)
            vh = F.huber_loss(p, yva).item()
            mae = ((p - yva).abs() * ys).mean().item()
            line = f"{ep}\t{tot / nb:.5f}\t{vh:.5f}\t{mae:.4f}"
            if ep % 5 == 0 or ep == 29:
                print(line)
            f.write(line + "\n")
    torch.save({"gru_weights": model.state_dict(), "opt": opt.state_dict(),
                "cosine": sched.state_dict(), "ep": 30, "x_mu": xm, "x_sd": xs, "y_mu": ym,
                "y_sd": ys}, out / "whistle_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="whistle_gru.pt", log="size_log.tsv",
           what="GRU predicting when gilding oil size reaches the whistle (healthy)")


if __name__ == "__main__":
    main()
