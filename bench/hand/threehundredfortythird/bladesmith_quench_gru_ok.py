"""Plain torch: a GRU follows a bladesmith's oil quench of a carbon-steel blade second by
second and gives, at every step, the temperature at the blade's spine core, which the smith
cannot measure, from what the shop does read: a surface thermocouple near the edge, the
quench tank's oil temperature and the spine thickness from the calliper. The core lags the
surface (first-order lag, time constant 0.8 s per mm of spine, 3-7 mm) and both cool towards
the oil by Newton's law with a heat-transfer rate that depends on the oil (fast or medium
oil, agitation) and collapses while the vapour blanket lasts (the first 1-3 s); the blade
comes out of the forge at 780-860 °C. 40 steps of 0.5 s. Input: (40, 3) surface °C / 100,
oil °C / 100 and spine mm / 10; target (40, 1) (core °C - 400) / 250 per step. Model: GRU
3→48 (1 layer), Linear 48→1 at every step; MSE, Adam 4e-3 with ExponentialLR (×0.9 per
epoch), gradient clipping at 1.0, batch 16 quenches, 18 epochs, 640 quenches, validation on
160.
Healthy; numbers in the README.
Log: a TSV per epoch ``quench_fit.tsv`` (``ep`` / ``lr`` / ``mse_train`` / ``mse_val`` /
``mae_core_c`` / ``mae_core_c_first5s``); checkpoint ``core_gru.pth`` with keys ``gru_head``
/ ``adam_state`` / ``sched_state`` / ``ep`` / ``scales``."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

T = 40
DT = 0.5


def quenches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t0 = 780 + 80 * r(n)
    oil = 40 + 40 * r(n)
    h = 0.12 + 0.18 * r(n)  # per second, fast vs medium oil and agitation
    blanket = 1 + 2 * r(n)
    spine = 3 + 4 * r(n)  # spine thickness, mm
    tau = 0.8 * spine + 0.3 * r(n)  # core lag, s
    surf, core, oilt = t0.clone(), t0.clone(), oil.clone()
    xs, ys = [], []
    for k in range(T):
        t = k * DT
        hk = torch.where(t < blanket, 0.25 * h, h)
        surf = surf + DT * hk * (oilt - surf) * (1 + 0.3 * torch.randn(n, generator=g) * 0.1)
        core = core + DT * (surf - core) / tau
        oilt = oilt + 0.002 * (surf - oilt) * DT
        xs.append(torch.stack([surf + 3 * torch.randn(n, generator=g),
                               oilt + 0.5 * torch.randn(n, generator=g), spine * 10], 1))
        ys.append(core)
    x = torch.stack(xs, 1) / 100
    y = ((torch.stack(ys, 1) - 400) / 250).unsqueeze(2)
    return x, y


class CoreGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 48, batch_first=True)
        self.head = nn.Linear(48, 1)

    def forward(self, x):
        return self.head(self.gru(x)[0])


def build():
    torch.manual_seed(0)
    return CoreGRU()


def main():
    from _threehundredfortythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = quenches(640, g)
    xva, yva = quenches(160, g)
    print("target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=4e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    with open(out / "quench_fit.tsv", "w") as f:
        f.write("ep\tlr\tmse_train\tmse_val\tmae_core_c\tmae_core_c_first5s\n")
        for ep in range(18):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                tot += loss.item() * len(xb)
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            err = (pv - yva).abs() * 250
            row = [tot / len(xtr), nn.functional.mse_loss(pv, yva).item(), err.mean().item(),
                   err[:, :10].mean().item()]
            f.write(f"{ep}\t{lr:.6g}\t" + "\t".join(f"{v:.6g}" for v in row) + "\n")
            print(ep, [round(v, 5) for v in row])
    torch.save({"gru_head": model.state_dict(), "adam_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "ep": 18,
                "scales": {"in_div": 100.0, "core_offset": 400.0, "core_div": 250.0}},
               out / "core_gru.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="core_gru.pth", log="quench_fit.tsv",
           what="GRU giving a blade's spine core temperature every half second of a bladesmith's"
                " oil quench from the surface thermocouple and oil temperature (healthy)")


if __name__ == "__main__":
    main()
