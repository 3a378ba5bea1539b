"""Plain torch: a residual MLP gives the design snow load on a roof (psf) from what a roofer
notes on a survey sheet, so a re-roofing quote can flag roofs that need the deck checked
before heavier shingles go on. Rule (ASCE 7-style): flat-roof load p_f = 0.7 × Ce × Ct × Is ×
p_g from the ground snow load p_g (5-90 psf), the exposure (fully exposed Ce 0.9, partially
1.0, sheltered 1.2), the thermal factor (heated 1.0, cold ventilated 1.1, unheated 1.2),
the importance (0.8 / 1.0 / 1.1 / 1.2); sloped-roof load p_s = Cs × p_f, the slope factor
Cs 1 up to 30° (5° on a slippery metal or membrane roof, 15° if unheated and slippery) and
falling linearly to 0 at 70°; and for roofs under 15° never below the minimum load (Is ×
p_g up to 20 psf, 20 × Is above). The survey sheet's p_g is read off a map, so the loads
carry a rounding scatter of ± 1 psf.
Input: 13 features (p_g, slope in degrees, slippery flag, one-hot exposure, thermal factor
and importance) standardised with the train mean / std. Target: load / 40. Model: Linear
13→64, 3 residual blocks (x + Linear(ReLU(Linear(x))), 64 wide), ReLU, Linear 64→1; MSE,
Adam 1e-3 with ReduceLROnPlateau (×0.5, patience 3) on the val loss, batch 128, 40
epochs, 3000 roofs, validation on 750.
Healthy; numbers in the README.
Log: a CSV every 10 steps ``snowload_log.csv`` (``step`` / ``epoch`` / ``lr`` / ``loss``, with
``val_loss`` / ``val_mae_psf`` filled on the last step of each epoch); checkpoint
``snow_resmlp.pt`` with keys ``model_state`` / ``optimizer_state`` / ``plateau`` / ``step`` /
``scaler`` / ``psf_scale``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def roofs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    pick = lambda k: torch.randint(0, k, (n,), generator=g)  # noqa: E731
    pg = 5 + 85 * r(n)
    slope = 60 * r(n) ** 1.3
    slippery = (r(n) < 0.35).float()
    exp_i, th_i, imp_i = pick(3), pick(3), pick(4)
    ce = torch.tensor([0.9, 1.0, 1.2])[exp_i]
    ct = torch.tensor([1.0, 1.1, 1.2])[th_i]
    is_ = torch.tensor([0.8, 1.0, 1.1, 1.2])[imp_i]
    pf = 0.7 * ce * ct * is_ * pg
    start = torch.where(slippery > 0, torch.where(th_i == 2, 15.0, 5.0), torch.tensor(30.0))
    cs = torch.clamp(1 - (slope - start) / (70 - start), 0, 1)
    ps = cs * pf
    pmin = torch.where(pg <= 20, is_ * pg, 20 * is_)
    load = torch.where(slope < 15, torch.maximum(ps, pmin), ps)
    load = load + (2 * r(n) - 1)
    x = torch.cat([torch.stack([pg, slope, slippery], 1), F.one_hot(exp_i, 3).float(),
                   F.one_hot(th_i, 3).float(), F.one_hot(imp_i, 4).float()], 1)
    return x, load.clamp(min=0).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(w, w), nn.Linear(w, w)

    def forward(self, x):
        return x + self.fc2(F.relu(self.fc1(x)))


class SnowResMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(13, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        return self.out(F.relu(self.blocks(self.inp(x))))


def build():
    torch.manual_seed(0)
    return SnowResMLP()


def main():
    from _threehundredthirtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ltr = roofs(3000, g)
    rva, lva = roofs(750, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    ytr, yva = ltr / 40, lva / 40
    print("load psf", ltr.min().item(), ltr.max().item(), "target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=3)
    step = 0
    with open(out / "snowload_log.csv", "w") as log:
        log.write("step,epoch,lr,loss,val_loss,val_mae_psf\n")
        for epoch in range(40):
            model.train()
            for i, (xb, yb) in enumerate(dl):
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                last = i == len(dl) - 1
                if step % 10 == 0 or last:
                    val = ""
                    if last:
                        model.eval()
                        with torch.no_grad():
                            p = model(xva)
                        vl = F.mse_loss(p, yva).item()
                        plateau.step(vl)
                        val = f"{vl:.6f},{(p - yva).abs().mean().item() * 40:.4f}"
                        print(epoch, round(loss.item(), 6), val)
                    log.write(f"{step},{epoch},{opt.param_groups[0]['lr']:.3g},"
                              f"{loss.item():.6f},{val or ','}\n")
    torch.save({"model_state": model.state_dict(), "optimizer_state": opt.state_dict(),
                "plateau": plateau.state_dict(), "step": step,
                "scaler": {"mean": mean, "std": std}, "psf_scale": 40.0}, out / "snow_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="snow_resmlp.pt", log="snowload_log.csv",
           what="residual MLP giving a roof's design snow load from the roofer's survey sheet"
                " (healthy)")


if __name__ == "__main__":
    main()
