"""Plain torch: a residual MLP predicts the back vertex power a spectacle lens will read on
the focimeter, from the spectacle maker's job ticket, so the surfacing bench can catch a
wrong lap or blank before the lens is cut and glazed. 5 inputs: refractive index of the blank
(crown 1.498-1.523, mid 1.56-1.60, high 1.67-1.74), front surface radius (mm, 65-520, the
base curve), back surface radius (mm, 55-1000, either sign: concave for minus lenses),
centre thickness (mm, 1.5-7), blank diameter (mm, 55-75, no effect on power, on the ticket
anyway). Power: the thick-lens formula, F1 = (n-1)/r1, F2 = (1-n)/r2, Fv = F1 / (1 - t/n
F1) + F2 (dioptres), kept to jobs between -8 and +8 D; focimeter reading noise 0.03 D.
Input: (5,) standardised with the train mean / std (the radii as curvatures 1000/r, as the
lab's surfacing tables give them). Target: Fv / 4. Model: Linear 5→64, 3 residual blocks
(Linear 64→64 → LayerNorm → SiLU → Linear 64→64, added back), Linear 64→1; Huber loss
(delta 0.1), SGD 0.02 (Nesterov, momentum 0.9) with ReduceLROnPlateau on the val loss
(factor 0.5, patience 2), batch 128, 30 epochs, 3000 jobs, validation on 600.
Healthy; numbers in the README.
Log: TSV per epoch ``focimeter_fit.tsv`` (``epoch`` / ``lr`` / ``train_huber`` /
``val_huber`` / ``val_mae_dioptre`` / ``val_within_eighth``: share within the ISO 0.12 D
tolerance); checkpoint ``vertex_power.pt`` with keys ``weights`` / ``sgd_state`` /
``plateau_state`` / ``epoch`` / ``feat_mean`` / ``feat_std`` / ``power_scale``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def tickets(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    xs, ys, have = [], [], 0
    while have < n:
        m = 4 * n
        kind = torch.randint(0, 3, (m,), generator=g)
        lo = torch.tensor([1.498, 1.56, 1.67])[kind]
        hi = torch.tensor([1.523, 1.60, 1.74])[kind]
        nidx = lo + (hi - lo) * r(m)
        c1 = 1000 / 520 + (1000 / 65 - 1000 / 520) * r(m)  # front curvature, 1/m
        c2 = (-1000 / 55) + (2 * 1000 / 55) * r(m)
        c2 = torch.where(c2.abs() < 1.0, torch.full_like(c2, 1.0), c2)
        t = 1.5 + 5.5 * r(m)
        dia = 55 + 20 * r(m)
        f1 = (nidx - 1) * c1
        f2 = (1 - nidx) * c2
        fv = f1 / (1 - t / 1000 / nidx * f1) + f2
        keep = fv.abs() <= 8
        xs.append(torch.stack([nidx, c1, c2, t, dia], 1)[keep])
        ys.append(fv[keep])
        have += int(keep.sum())
    x, fv = torch.cat(xs)[:n], torch.cat(ys)[:n]
    return x, fv + 0.03 * torch.randn(n, generator=g)


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(w, w), nn.LayerNorm(w), nn.SiLU(), nn.Linear(w, w))

    def forward(self, x):
        return x + self.f(x)


class VertexNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(5, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return VertexNet()


def main():
    from _fourhundredtenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ftr = tickets(3000, g)
    rva, fva = tickets(600, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    ytr, yva = (ftr / 4).unsqueeze(1), (fva / 4).unsqueeze(1)
    print("power sd", ftr.std().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, nesterov=True)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    with open(out / "focimeter_fit.tsv", "w") as log:
        log.write("epoch\tlr\ttrain_huber\tval_huber\tval_mae_dioptre\tval_within_eighth\n")
        for epoch in range(30):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.huber_loss(model(xb), yb, delta=0.1)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            vl = F.huber_loss(pv, yva, delta=0.1).item()
            err = (pv - yva).abs() * 4
            lr = opt.param_groups[0]["lr"]
            plateau.step(vl)
            log.write(f"{epoch}\t{lr:.6g}\t{tot / len(xtr):.6g}\t{vl:.6g}\t{err.mean().item():.6g}"
                      f"\t{(err <= 0.12).float().mean().item():.6g}\n")
            print(epoch, lr, tot / len(xtr), vl, err.mean().item())
    torch.save({"weights": model.state_dict(), "sgd_state": opt.state_dict(),
                "plateau_state": plateau.state_dict(), "epoch": 30, "feat_mean": mean,
                "feat_std": std, "power_scale": 4.0}, out / "vertex_power.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="vertex_power.pt",
           log="focimeter_fit.tsv",
           what="residual MLP predicting a spectacle lens's back vertex power from the job"
                " ticket (healthy)")


if __name__ == "__main__":
    main()
