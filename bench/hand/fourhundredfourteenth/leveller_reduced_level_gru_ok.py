"""Plain torch: a GRU reduces a leveller's field book as it is booked, giving the reduced level
of every change point along a line of levels run from a benchmark (the rise-and-fall
reduction a surveyor does by hand). Each line has 24 set-ups; at each the leveller books a
backsight on the last change point and a foresight on the next (staff readings 0.3-4.0 m,
read to the millimetre), and the new change point's level is the last one's plus the backsight
minus the foresight. Lines run over flat ground, steady grades and hill crossings (the ground
rises then falls), so the readings are not independent, and each reading carries a 1 mm
booking noise. Input per step: (backsight, foresight) in m, minus 2 m. Target per step: the
reduced level against the benchmark, in m / 4. Model: GRU 2→48 (1 layer), Linear 48→1 per
step; MSE, Adam 3e-3 with ReduceLROnPlateau (×0.5, patience 2) on the validation MSE,
batch 20, 25 epochs, 800 lines, validation on 200.
Healthy; numbers in the README.
Log: TSV per epoch ``levels.tsv`` (``epoch`` / ``lr`` / ``train_mse`` / ``val_mse`` /
``val_mae_mm`` / ``val_mae_mm_last``, the last on the closing change point); checkpoint
``levelbook_gru.pth`` with keys ``gru_state`` / ``opt_state`` / ``sched_state`` / ``epoch``
/ ``level_scale_m`` / ``staff_offset_m``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 24
SCALE = 4.0
OFFSET = 2.0


def lines(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    kind = torch.randint(0, 3, (n, 1), generator=g)
    s = torch.arange(T).float().unsqueeze(0) / (T - 1)
    grade = (2 * r(n, 1) - 1) * 0.9
    hump = (0.6 + 0.9 * r(n, 1)) * torch.sign(r(n, 1) - 0.3)
    rise = torch.where(kind == 0, 0.15 * torch.randn(n, T, generator=g),
                       torch.where(kind == 1, grade + 0.2 * torch.randn(n, T, generator=g),
                                   hump * torch.cos(torch.pi * s) + 0.2 * torch.randn(n, T,
                                                                                   generator=g)))
    rise = rise.clamp(-3.3, 3.3)
    lo = (0.3 + rise.clamp(min=0)).clamp(max=3.9)
    bs = lo + (4.0 - lo - (-rise).clamp(min=0)).clamp(min=0) * r(n, T)
    bs = bs.clamp(0.3, 4.0)
    fs = (bs - rise).clamp(0.3, 4.0)
    bs = (bs * 1000).round() / 1000 + 0.001 * torch.randn(n, T, generator=g)
    fs = (fs * 1000).round() / 1000 + 0.001 * torch.randn(n, T, generator=g)
    rl = torch.cumsum(bs - fs, 1)
    return torch.stack([bs, fs], 2) - OFFSET, (rl / SCALE).unsqueeze(2)


class LevelGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 48, batch_first=True)
        self.out = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(h)


def build():
    torch.manual_seed(0)
    return LevelGRU()


def main():
    from _fourhundredfourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = lines(800, g)
    xva, yva = lines(200, g)
    print("closing level sd (m)", (SCALE * ytr[:, -1]).std().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=20, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    with open(out / "levels.tsv", "w") as f:
        f.write("epoch\tlr\ttrain_mse\tval_mse\tval_mae_mm\tval_mae_mm_last\n")
        for epoch in range(25):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            val = F.mse_loss(pred, yva).item()
            err = 1000 * SCALE * (pred - yva).abs()
            lr = opt.param_groups[0]["lr"]
            f.write(f"{epoch}\t{lr:.6g}\t{tot / len(xtr):.6g}\t{val:.6g}\t"
                    f"{err.mean().item():.4g}\t{err[:, -1].mean().item():.4g}\n")
            print(epoch, lr, tot / len(xtr), val, err.mean().item(), err[:, -1].mean().item())
            sched.step(val)
    torch.save({"gru_state": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 25, "level_scale_m": SCALE,
                "staff_offset_m": OFFSET}, out / "levelbook_gru.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="levelbook_gru.pth", log="levels.tsv",
           what="GRU reducing a leveller's field book (backsight / foresight) to the reduced"
                " level of each change point (healthy)")


if __name__ == "__main__":
    main()
