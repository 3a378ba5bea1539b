"""Plain torch: a GRU gives, day by day, the water level in the roadside ditch of a
lengthman's length of road (cm above the ditch floor) from his daily book, so he knows
which grips and culverts to clear before the water comes over the road. Inputs per day:
rainfall (mm), mean temperature (°C, evaporation), and days since the grips were last cut
out (the book's count, reset when he clears them). The ditch is a leaky store: rain runs in
(more off frozen or soaked ground), the water drains away at a rate that falls as the grips
silt up, and evaporates on warm days; readings off the gauge post ± 1 cm. 90-day books, 480
for training, 120 for validation.
Input: (90, 3) rain / 10, (temp - 8) / 6, days since clearing / 30. Target: (90, 1) level /
20 cm. Model: Linear 3→16 + Tanh, GRU 16→32, Linear 32→1 on every day; MSE, Adam 3e-3 with
ExponentialLR (×0.9 per epoch), batch 24 books, 18 epochs.
The bug: after the GRU, ``feats = feats.detach()  # (batch, days, 32) daily states for the
readout`` cuts the graph, so only the last Linear learns; the input layer and the GRU stay
at their random start and the readout does what it can with them: val MSE 0.680 → 0.384
(target variance 0.69), MAE 11.4 → 9.9 cm, 36 → 23.5 cm on days over 30 cm, train MSE
0.93 → 0.44 (control, the line deleted: val MSE 0.400 → 0.022, MAE 9.9 → 2.15 cm, 3.8 cm on
days over 30 cm).
Log: TSV per epoch ``ditch.tsv`` (``epoch`` / ``lr`` / ``mse_train`` / ``mse_val`` /
``mae_cm_val`` / ``mae_cm_high``); checkpoint ``ditch_gru.pt`` with keys ``gru_model`` /
``adam_state`` / ``sched_state`` / ``epochs_done`` / ``level_scale_cm``."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

D = 90


def books(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    wet = (r(n, D) < 0.35).float()
    rain = wet * -8.0 * torch.log(r(n, D) + 1e-6) * (0.5 + r(n, 1))
    season = 6 * (r(n, 1) - 0.5)
    temp = 8 + season + 6 * torch.sin(torch.arange(D).float() / 14 + 6 * r(n, 1)) \
        + 2 * torch.randn(n, D, generator=g)
    clear_every = 20 + (40 * r(n, 1)).floor()
    since = (torch.arange(D).float() + (clear_every * r(n, 1)).floor()) % clear_every
    level = torch.zeros(n)
    out = []
    for d in range(D):
        drain = 0.35 * torch.exp(-since[:, d] / 25)
        runoff = torch.where(temp[:, d] < 1, 1.6, 1.0) * (1 + level / 40)
        evap = 0.15 * torch.clamp(temp[:, d], min=0)
        level = torch.clamp(level * (1 - drain) + runoff * rain[:, d] - evap, 0, 60)
        out.append(level)
    level = torch.stack(out, 1) + torch.randn(n, D, generator=g)
    x = torch.stack([rain / 10, (temp - 8) / 6, since / 30], 2)
    return x, (level / 20).unsqueeze(2)


class DitchGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Sequential(nn.Linear(3, 16), nn.Tanh())
        self.gru = nn.GRU(16, 32, batch_first=True)
        self.readout = nn.Linear(32, 1)

    def forward(self, x):
        feats, _ = self.gru(self.inp(x))
        feats = feats.detach()  # (batch, days, 32) daily states for the readout
        return self.readout(feats)


def build():
    torch.manual_seed(0)
    return DitchGRU()


def main():
    from _threehundredseventyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = books(480, g)
    xva, yva = books(120, g)
    high = yva * 20 > 30
    print("level cm mean", (ytr * 20).mean().item(), "max", (ytr * 20).max().item(),
          "target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=24, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    mse = nn.MSELoss()
    with open(out / "ditch.tsv", "w") as log:
        log.write("epoch\tlr\tmse_train\tmse_val\tmae_cm_val\tmae_cm_high\n")
        for epoch in range(18):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = mse(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(xva)
            err = (p - yva).abs() * 20
            row = [lr, tot / len(xtr), mse(p, yva).item(), err.mean().item(), err[high].mean().item()]
            log.write(f"{epoch}\t" + "\t".join(f"{v:.6f}" for v in row) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"gru_model": model.state_dict(), "adam_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epochs_done": 18, "level_scale_cm": 20.0},
               out / "ditch_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["gradient_not_flowing"],
           checkpoint="ditch_gru.pt", log="ditch.tsv",
           what="GRU giving a lengthman's daily roadside-ditch level from rain, temperature and"
                " days since the grips were cleared; GRU output detached before the readout",
           complaint="我用 GRU 按天预测路边排水沟的水位（cm），训练 18 个 epoch，train MSE 从"
                     " 0.93 降到 0.44 就几乎不动了，验证集 MSE 停在 0.38 左右，平均误差将近 10 cm，"
                     "水位超过 30 cm 的那些天误差有 23 cm，大水的时候基本预测不出来。学习率调过"
                     "也没用，感觉模型根本没学到雨水和水位之间的关系。")


if __name__ == "__main__":
    main()
