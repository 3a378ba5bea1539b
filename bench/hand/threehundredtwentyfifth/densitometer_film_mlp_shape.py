"""Plain torch: an MLP predicts the optical density a transmission densitometer will read on
a step of developed black-and-white film, from the exposure and the darkroom settings, so
the lab can dial in development before wasting a roll. 6 inputs: log10 exposure (lux·s,
-3 to 0.5), development time (min, 4-14), developer temperature (°C, 18-26), agitation
(inversions per minute, 2-10), film speed (ISO 50-800, as log2(ISO / 100)), developer
dilution (1+0 to 1+3). Density follows the film's characteristic (H&D) curve: base + fog
rising with development, a toe, a straight line whose gradient (contrast, gamma) grows with
time × temperature (Arrhenius-like) and agitation and falls with dilution, and a shoulder
near D max; the speed point shifts with ISO; reading noise ± 0.02 D.
Input: (6,) standardised with the train mean / std. Target: density - 1.2 (D 0.27-4.1).
Model: 6→64→SiLU→64→SiLU→32→SiLU→1; MSE, Adam 2e-3, batch 64, 15 epochs, 2400 steps of
film, validation on 600.
The bug: the targets are kept as a flat ``(N,)`` vector (the simulated density
column) while the net returns ``(batch, 1)``; ``F.mse_loss(pred, yb)`` broadcasts that to a
``(batch, batch)`` grid (torch only warns), so every prediction is pulled towards every
step's density in the batch and the net learns the mean density: val MSE 0.722 → 0.735
(target variance 0.79), val MAE 0.73 D, 1.23 D on the shadow steps (control,
``model(xb).squeeze(1)``: val MSE 0.0385 → 0.00082, MAE 0.157 → 0.0225 D).
Log: TSV every 10 steps ``hd_steps.tsv`` (``step`` / ``epoch`` / ``mse``) and a separate
per-epoch TSV ``hd_val.tsv`` (``epoch`` / ``val_mse`` / ``val_mae_d`` / ``val_mae_d_shadows``,
named as the log in the truth); checkpoint ``hd_mlp.pt`` with keys ``state_dict`` /
``adam`` / ``epoch`` / ``x_mean`` / ``x_std`` / ``d_offset``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def film_steps(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    loge = -3 + 3.5 * r(n)
    dev, temp, agit = 4 + 10 * r(n), 18 + 8 * r(n), 2 + 8 * r(n)
    iso = torch.log2(torch.tensor(50.0)) + (torch.log2(torch.tensor(800.0))
                                             - torch.log2(torch.tensor(50.0))) * r(n)
    speed = iso - torch.log2(torch.tensor(100.0))
    dil = 3 * r(n)
    act = dev * 2 ** ((temp - 20) / 6) * (0.8 + 0.04 * agit) / (1 + 0.35 * dil)
    gamma = 0.9 * (1 - torch.exp(-act / 7))
    fog = 0.18 + 0.006 * act
    e0 = -2.0 - 0.3 * speed
    z = (loge - e0) * gamma
    dens = fog + 2.7 * torch.log1p(torch.exp(3 * z)) / 3 / (1 + torch.log1p(torch.exp(3 * z)) / 9)
    dens = dens + 0.02 * torch.randn(n, generator=g)
    x = torch.stack([loge, dev, temp, agit, speed, dil], 1)
    return x, dens


class HDNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(6, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                                  nn.Linear(64, 32), nn.SiLU(), nn.Linear(32, 1))

    def forward(self, x):
        return self.body(x)


def build():
    torch.manual_seed(0)
    return HDNet()


def main():
    from _threehundredtwentyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, dtr = film_steps(2400, g)
    rva, dva = film_steps(600, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    ytr, yva = dtr - 1.2, dva - 1.2  # density column, offset to centre it
    print("density", dtr.min().item(), dtr.max().item(), "target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    shadows = dva < 0.6
    step = 0
    with open(out / "hd_steps.tsv", "w") as slog, open(out / "hd_val.tsv", "w") as vlog:
        slog.write("step\tepoch\tmse\n")
        vlog.write("epoch\tval_mse\tval_mae_d\tval_mae_d_shadows\n")
        for epoch in range(15):
            model.train()
            for xb, yb in dl:
                pred = model(xb)  # predicted density, one per step of film
                loss = F.mse_loss(pred, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 10 == 0:
                    slog.write(f"{step}\t{epoch}\t{loss.item():.6f}\n")
                step += 1
            model.eval()
            with torch.no_grad():
                p = model(xva).squeeze(1)
            err = (p - yva).abs()
            row = [((p - yva) ** 2).mean().item(), err.mean().item(), err[shadows].mean().item()]
            vlog.write(f"{epoch}\t" + "\t".join(f"{v:.6f}" for v in row) + "\n")
            print(epoch, row)
    torch.save({"state_dict": model.state_dict(), "adam": opt.state_dict(), "epoch": 15,
                "x_mean": mean, "x_std": std, "d_offset": 1.2}, out / "hd_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["shape_or_dtype_bug"],
           checkpoint="hd_mlp.pt", log="hd_val.tsv",
           what="MLP predicting film step density (H&D curve) from exposure and development;"
                " (N,) targets against (batch, 1) predictions broadcast in the MSE",
           complaint="Our film density model seems to give every step of film about the same"
                     " density, whether it is a shadow or a highlight. The loss"
                     " settles after an epoch and never goes lower, and more epochs or a"
                     " different learning rate did not change anything.")


if __name__ == "__main__":
    main()
