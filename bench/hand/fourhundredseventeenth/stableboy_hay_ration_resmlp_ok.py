"""Plain torch: a residual MLP tells the stableboy how many kilograms of hay to put in each
horse's net for the day, learned from a yard's feeding records checked by the vet. 8 inputs:
body weight (kg, 350-700), body condition score (1-9), work (hours per week, 0-12), mean
outdoor temperature (°C, -10 to 25), hay energy density (Mcal DE per kg, 1.7-2.4), hard feed
(kg of concentrate a day, 0-4), age (years, 3-28), month of pregnancy (0 or 1-11). The rule
behind the records is the NRC one: maintenance 0.0333 Mcal DE per kg body weight, up by a
work factor (×1.0 to ×1.9 with hours), 2.5 % more per degree below 5 °C, more for old horses
and in the last months of pregnancy, less for fat horses and more for thin ones; the
concentrate (3.2 Mcal per kg) is taken off and the rest comes from hay, at least 1.5 % of
body weight; the records are rounded to a quarter kilogram.
Input: (8,) standardised with the train mean / std. Target: (hay kg - 10) / 4. Model:
Linear 8→64, 3 residual blocks (LayerNorm → Linear 64→128 → GELU → Linear 128→64, added),
LayerNorm, Linear 64→1; MSE, SGD 0.01 (Nesterov momentum 0.9) with StepLR (×0.5 every 10
epochs), batch 128, 30 epochs, 3000 horse-days, validation on 800.
Healthy; numbers in the README.
Log: TSV per epoch ``ration_epochs.tsv`` (``epoch`` / ``lr`` / ``train_mse`` / ``val_mse`` /
``val_mae_kg``); checkpoint ``hay_resmlp.pth`` with keys ``weights`` / ``sgd`` /
``lr_sched`` / ``epoch`` / ``feature_mean`` / ``feature_std`` / ``target_shift_scale``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def horse_days(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    bw = 350 + 350 * r(n)
    bcs = (1 + 8 * r(n)).round()
    work = 12 * r(n) ** 1.5
    temp = -10 + 35 * r(n)
    hay_de = 1.7 + 0.7 * r(n)
    conc = (4 * r(n) * (r(n) < 0.6).float()).round(decimals=1)
    age = 3 + 25 * r(n)
    preg = torch.where(r(n) < 0.15, (1 + 10 * r(n)).round(), torch.zeros(n))
    need = 0.0333 * bw * (1 + 0.9 * (1 - torch.exp(-work / 5)))
    need = need * (1 + 0.025 * (5 - temp).clamp(min=0))
    need = need * (1 + 0.1 * (age > 20).float()) * (1 + 0.2 * (preg >= 9).float())
    need = need * (1 - 0.04 * (bcs - 5))
    hay = ((need - 3.2 * conc) / hay_de).clamp(min=0)
    hay = torch.maximum(hay, 0.015 * bw)
    hay = (hay * 4).round() / 4
    return torch.stack([bw, bcs, work, temp, hay_de, conc, age, preg], 1), hay


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm, self.fc1, self.fc2 = nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.Linear(2 * d, d)

    def forward(self, x):
        return x + self.fc2(F.gelu(self.fc1(self.norm(x))))


class HayNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(*[Block(64) for _ in range(3)])
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return HayNet()


def main():
    from _fourhundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ftr, htr = horse_days(3000, g)
    fva, hva = horse_days(800, g)
    mean, std = ftr.mean(0), ftr.std(0)
    xtr, xva = (ftr - mean) / std, (fva - mean) / std
    ytr, yva = ((htr - 10) / 4).unsqueeze(1), ((hva - 10) / 4).unsqueeze(1)
    print("hay kg", htr.min().item(), htr.max().item(), "target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
    with open(out / "ration_epochs.tsv", "w") as log:
        log.write("epoch\tlr\ttrain_mse\tval_mse\tval_mae_kg\n")
        for epoch in range(30):
            model.train()
            tot, cnt = 0.0, 0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, cnt = tot + loss.item() * len(xb), cnt + len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(xva)
            row = [tot / cnt, F.mse_loss(p, yva).item(), 4 * (p - yva).abs().mean().item()]
            log.write(f"{epoch}\t{lr:.5f}\t" + "\t".join(f"{v:.6f}" for v in row) + "\n")
            print(epoch, row)
    torch.save({"weights": model.state_dict(), "sgd": opt.state_dict(),
                "lr_sched": sched.state_dict(), "epoch": 30, "feature_mean": mean,
                "feature_std": std, "target_shift_scale": (10.0, 4.0)}, out / "hay_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="hay_resmlp.pth", log="ration_epochs.tsv",
           what="residual MLP regression of a horse's daily hay ration from the yard's feeding"
                " records (healthy)")


if __name__ == "__main__":
    main()
