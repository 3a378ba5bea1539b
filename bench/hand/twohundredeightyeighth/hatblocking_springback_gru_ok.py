"""Plain torch: a GRU gives how far the crown of a felt hat springs back (mm, measured a day
after it comes off the block) from the 30 minutes of its blocking cycle, so the hat blocking
bench can tell which hoods need a second steaming before they are trimmed. Per minute: steam
on the hood or not, block temperature (40-95 °C), workshop humidity, and whether it is a wool
felt or a fur felt hood (constant over the cycle).
Physics: the hood takes up moisture under steam (15 % of what is missing per minute) and gives
it up on the hot block (faster when hotter, slower in humid air); the felt sets only while it
is both moist (above 0.3) and hot (above 60 °C), at a rate ∝ moisture · (T − 60); springback is
9 mm · e^(−set / 4) + 0.4 mm (fur felt sets 1.6 × faster than wool), with 5 % scatter on the
gauge.
Inputs per minute: steam flag, (T − 65) / 15, (humidity − 0.5) / 0.2, fur flag; target mm / 5.
GRU(4→40) over the minutes, last state → linear 40→1; MSE, Adam 5e-3 with ReduceLROnPlateau
(×0.5, patience 2 on val MSE), batch 100, 16 epochs, 1600 hoods, validation on 400.
Log: CSV every 4 steps ``blocking_steps.csv`` (``step`` / ``mse``) and TSV per epoch
``blocking_val.tsv`` (``epoch`` / ``train_mse`` / ``val_mse`` / ``val_mae_mm`` / ``lr``);
checkpoint ``springback_gru.pt`` with keys ``weights`` / ``opt`` / ``plateau`` / ``epoch`` /
``mm_scale``.
Healthy; numbers in the README."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 30


def hoods(n, g):
    fur = (torch.rand(n, generator=g) < 0.4).float()
    hum = 0.3 + 0.4 * torch.rand(n, generator=g)
    on = (3 + 8 * torch.rand(n, generator=g)).long()
    off = on + (4 + 10 * torch.rand(n, generator=g)).long()
    peak = 60 + 35 * torch.rand(n, generator=g)
    x = torch.zeros(n, T, 4)
    moist = 0.2 * torch.ones(n)
    setting = torch.zeros(n)
    for t in range(T):
        steam = ((t >= on) & (t < off)).float()
        temp = 40 + (peak - 40) * (1 - torch.exp(torch.tensor(-t / 6.0)))
        temp = temp + 1.5 * torch.randn(n, generator=g)
        moist = moist + 0.15 * steam * (1 - moist) - 0.004 * (temp - 35) * (1.2 - hum) * moist
        moist = moist.clamp(0, 1)
        setting = setting + (1 + 0.6 * fur) * (moist > 0.3) * moist * (temp - 60).clamp(min=0) / 10
        x[:, t] = torch.stack([steam, (temp - 65) / 15, (hum - 0.5) / 0.2, fur], 1)
    mm = (9 * torch.exp(-setting / 4) + 0.4) * (1 + 0.05 * torch.randn(n, generator=g))
    return x, (mm / 5).unsqueeze(1)


class SpringbackGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 40, batch_first=True)
        self.out = nn.Linear(40, 1)

    def forward(self, x):
        return self.out(self.gru(x)[1][-1])


def build():
    torch.manual_seed(0)
    return SpringbackGRU()


def main():
    from _twohundredeightyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = hoods(1600, g)
    xva, yva = hoods(400, g)
    print("mm/5", ytr.min().item(), ytr.mean().item(), ytr.max().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=100, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    step = 0
    with open(out / "blocking_steps.csv", "w") as fs, open(out / "blocking_val.tsv", "w") as fv:
        fs.write("step,mse\n")
        fv.write("epoch\ttrain_mse\tval_mse\tval_mae_mm\tlr\n")
        for epoch in range(1, 17):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                tot += loss.item() * len(xb)
                if step % 4 == 0:
                    fs.write(f"{step},{loss.item():.6f}\n")
            model.eval()
            with torch.no_grad():
                p = model(xva)
                vm = F.mse_loss(p, yva).item()
                mae = ((p - yva).abs().mean() * 5).item()
            lr = opt.param_groups[0]["lr"]
            plateau.step(vm)
            fv.write(f"{epoch}\t{tot / len(xtr):.6f}\t{vm:.6f}\t{mae:.4f}\t{lr:.6f}\n")
            print(epoch, round(tot / len(xtr), 5), round(vm, 5), round(mae, 4), lr)
    torch.save({"weights": model.state_dict(), "opt": opt.state_dict(),
                "plateau": plateau.state_dict(), "epoch": 16, "mm_scale": 5.0},
               out / "springback_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="springback_gru.pt", log="blocking_val.tsv",
           what="GRU giving a blocked felt hat's crown springback from its blocking cycle"
                " (healthy)")


if __name__ == "__main__":
    main()
