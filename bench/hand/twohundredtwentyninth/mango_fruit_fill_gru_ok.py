"""Plain torch: a GRU forecasts the season's harvest per mango tree (kg) from 20 weekly
readings of the block's weather station and soil probe (rainfall, mean temperature, soil
moisture). Yield rises with the cool dry spell that triggers flowering (weeks 3–8), falls with
rain during flowering (weeks 8–12) and rises with soil moisture during fruit fill (weeks
13–20), plus tree-to-tree noise; the target is standardised. GRU(3→32), last hidden state →
Linear(32→1); Adam 3e-3, batch 50, 15 epochs of 1200 blocks; TSV log per epoch.
Healthy: train MSE 0.91 → 0.19, val MSE 0.81, 0.76, 0.67, 0.48, 0.41, 0.35, 0.33, 0.26, 0.25,
0.23, 0.21, 0.19, 0.18, 0.20, 0.19 (a slow first two epochs, then a steady fall); val MSE sits
below train MSE in most epochs.
"""
import torch
import torch.nn as nn


def seasons(n, g):
    x = torch.randn(n, 20, 3, generator=g)
    x[:, :, 0] = torch.relu(x[:, :, 0])  # rainfall is never negative
    cool = -x[:, 3:8, 1].mean(1) - x[:, 3:8, 0].mean(1)
    wet_flower = x[:, 8:12, 0].mean(1)
    fill = x[:, 12:20, 2].mean(1)
    kg = 2.0 * cool - 1.5 * wet_flower + 1.8 * fill + 0.3 * torch.randn(n, generator=g)
    return x, ((kg - kg.mean()) / kg.std()).unsqueeze(1)


class HarvestGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        _, h = self.gru(x)
        return self.out(h[-1])


def build():
    torch.manual_seed(0)
    return HarvestGRU()


def main():
    from _twohundredtwentyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = seasons(1500, g)
    xva, yva = x[1200:], y[1200:]
    torch.manual_seed(1)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x[:1200], y[:1200]),
                                        batch_size=50, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    rows = ["epoch\ttrain_mse\tvalid_mse"]
    for epoch in range(15):
        model.train()
        tot = 0.0
        for xb, yb in train:
            loss = nn.functional.mse_loss(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(yb)
        model.eval()
        with torch.no_grad():
            vm = nn.functional.mse_loss(model(xva), yva).item()
        print(epoch, round(tot / 1200, 4), round(vm, 4))
        rows.append(f"{epoch}\t{tot / 1200:.4f}\t{vm:.4f}")
    (out / "harvest.tsv").write_text("\n".join(rows) + "\n")
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 15},
               out / "harvest_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="harvest_gru.pt",
           log="harvest.tsv", what="mango harvest-per-tree GRU on weekly weather and soil (healthy)")


if __name__ == "__main__":
    main()
