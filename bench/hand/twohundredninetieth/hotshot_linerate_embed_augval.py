"""Plain torch: an embedding model predicts a hotshot crew's handline production rate (chains
per hour) for a shift assignment, for the division supervisor planning how far a crew will get
before dark. Physics: a base rate per fuel model (short grass 28, tall grass 18, brush 9,
timber litter 12, slash 5, chaparral 6 chains/h) times the crew's own factor (20 crews,
0.7-1.3, from their records), slowed by slope (exp(-slope/70 %)), by heat (-2.5 % per °C over
30 °C) and by fatigue (-3 % per hour into the shift); 6 % scatter from the crew time reports.
Inputs: crew id, fuel model id, numerics (slope % / 100, (temperature - 30) / 10, hours / 12);
target chains/h / 10.
Crew embedding 8 + fuel embedding 6 + 3 numerics → 17→64-ReLU-64→32-ReLU-32→1; MSE, SGD
momentum 0.9 at 0.02, batch 128, 30 epochs, 3200 shift reports, validation on 640.
Training augmentation: numerics jittered by 10 % and the fuel model swapped for a random one in
15 % of the reports (the fuel model on the time reports is often miscoded).
The bug: the validation set is built with the training pipeline, ``augment=True`` (a comment
says the same loader settings as training), so every validation pass sees freshly jittered
numerics and swapped fuel models. Effect vs the control (``augment=False`` for validation, same
seed): val MSE 0.044-0.072 from epoch 18 on (0.0562 at the end, train 0.0538, target variance
0.222), val MAE 1.19-1.44 chains/h; the control's val MSE 0.0093-0.021 from epoch 10 on, 0.0093
at the end, val MAE 0.69 chains/h.
Log: TSV per epoch ``linerate.tsv`` (``epoch`` / ``train_loss`` / ``val_loss`` /
``val_mae_chains``); checkpoint ``linerate.ckpt`` with keys ``model_state`` / ``sgd_state`` /
``epochs`` / ``n_crews`` / ``fuels``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

FUELS = ["short_grass", "tall_grass", "brush", "timber_litter", "slash", "chaparral"]
BASE = torch.tensor([28.0, 18.0, 9.0, 12.0, 5.0, 6.0])


def reports(n, g, crew_factor):
    crew = torch.randint(0, 20, (n,), generator=g)
    fuel = torch.randint(0, 6, (n,), generator=g)
    slope = 60 * torch.rand(n, generator=g)
    temp = 18 + 22 * torch.rand(n, generator=g)
    hours = 12 * torch.rand(n, generator=g)
    rate = (BASE[fuel] * crew_factor[crew] * torch.exp(-slope / 70)
            * (1 - 0.025 * (temp - 30).clamp(min=0)) * (1 - 0.03 * hours))
    rate = rate * (1 + 0.06 * torch.randn(n, generator=g))
    num = torch.stack([slope / 100, (temp - 30) / 10, hours / 12], 1)
    return crew, fuel, num, (rate / 10).unsqueeze(1)


class LineLogs(Dataset):
    def __init__(self, crew, fuel, num, y, augment, seed):
        self.crew, self.fuel, self.num, self.y = crew, fuel, num, y
        self.augment = augment
        self.g = torch.Generator().manual_seed(seed)

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        fuel, num = self.fuel[i], self.num[i]
        if self.augment:
            num = num * (1 + 0.1 * torch.randn(3, generator=self.g))
            if torch.rand(1, generator=self.g).item() < 0.15:
                fuel = torch.randint(0, 6, (), generator=self.g)
        return self.crew[i], fuel, num, self.y[i]


class LineRate(nn.Module):
    def __init__(self):
        super().__init__()
        self.crew = nn.Embedding(20, 8)
        self.fuel = nn.Embedding(6, 6)
        self.mlp = nn.Sequential(nn.Linear(17, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                                 nn.Linear(32, 1))

    def forward(self, crew, fuel, num):
        return self.mlp(torch.cat([self.crew(crew), self.fuel(fuel), num], 1))


def build():
    torch.manual_seed(0)
    return LineRate()


def main():
    from _twohundredninetieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    crew_factor = 0.7 + 0.6 * torch.rand(20, generator=g)
    tr = reports(3200, g, crew_factor)
    va = reports(640, g, crew_factor)
    print("chains/h/10", tr[3].min().item(), tr[3].mean().item(), tr[3].max().item(),
          tr[3].var().item())
    torch.manual_seed(1)
    train_ds = LineLogs(*tr, augment=True, seed=1)
    val_ds = LineLogs(*va, augment=True, seed=2)  # same loader settings as training
    loader = DataLoader(train_ds, batch_size=128, shuffle=True)
    val_loader = DataLoader(val_ds, batch_size=640)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    with open(out / "linerate.tsv", "w") as f:
        f.write("epoch\ttrain_loss\tval_loss\tval_mae_chains\n")
        for epoch in range(30):
            model.train()
            tot = 0.0
            for c, fu, num, y in loader:
                loss = F.mse_loss(model(c, fu, num), y)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(y)
            model.eval()
            with torch.no_grad():
                c, fu, num, y = next(iter(val_loader))
                p = model(c, fu, num)
                vl = F.mse_loss(p, y).item()
                mae = (p - y).abs().mean().item() * 10
            f.write(f"{epoch}\t{tot / len(train_ds):.6f}\t{vl:.6f}\t{mae:.4f}\n")
            print(epoch, round(tot / len(train_ds), 5), round(vl, 5), round(mae, 3))
    torch.save({"model_state": model.state_dict(), "sgd_state": opt.state_dict(), "epochs": 30,
                "n_crews": 20, "fuels": FUELS}, out / "linerate.ckpt")
    finish(out, __file__, {"inputs": va[0][:64], "fuel": va[1][:64], "num": va[2][:64],
                           "targets": va[3][:64]},
           causes=["eval_data_augmented"], checkpoint="linerate.ckpt", log="linerate.tsv",
           what="embedding model giving a hotshot crew's handline rate; the validation set"
                " goes through the training augmentation (jitter, fuel swaps)",
           complaint="We predict how many chains of line a hotshot crew cuts per hour from the"
                     " crew, fuel model, slope, heat and hours into the shift. Training loss"
                     " goes down fine, but the validation loss sits well above it and jumps"
                     " around from epoch to epoch, and we can't see why the held-out shift"
                     " reports should be so much harder than the training ones.")


if __name__ == "__main__":
    main()
