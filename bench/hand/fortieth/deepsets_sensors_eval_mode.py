"""Deep Sets regression on synthetic sets of varying size: each set is the sensors of a
cold-store room, 4 to 24 of them (features in their own units: temperature reading in deg C
around -18, sensor age in days 0-1000, distance to the door in cm 0-1200, a door-open flag),
padded to 24 with a mask; the target is the room's spoilage risk, a statistic of the set (the
share of sensors above a threshold that depends on age and distance, on a log scale) plus
noise. The model normalises its inputs itself: phi is BatchNorm1d on the 4 raw features of the
valid elements, then an MLP 4 -> 64 -> 64 (ReLU, BatchNorm1d after the first layer); masked
sum pooling (divided by 24); rho: 64 -> 64 -> 1 with BatchNorm1d and Dropout(0.2). Adam 2e-3,
batch 32, 30 epochs on 600 sets (200 held out), MSE; CSV log per epoch (``epoch``, ``step``,
``loss``, ``val_mse``, ``val_mae``), with a baseline validation row before training.
Bug: ``model.train()`` sits above the baseline validation, whose ``evaluate`` helper calls
``model.eval()``, and the loop never switches back: the whole run trains in eval mode, so every
BatchNorm normalises with its initial running statistics (mean 0, variance 1, never updated),
the input BatchNorm passes ages and distances in the hundreds through unscaled, and dropout is
off."""
import csv

import torch
import torch.nn as nn

N_MAX, F = 24, 4


def make_sets(n, g):
    size = torch.randint(4, N_MAX + 1, (n,), generator=g)
    mask = torch.arange(N_MAX)[None] < size[:, None]
    reading = -18 + 2.5 * torch.randn(n, N_MAX, generator=g)
    age = 1000 * torch.rand(n, N_MAX, generator=g)
    dist = 1200 * torch.rand(n, N_MAX, generator=g)
    door = (torch.rand(n, N_MAX, generator=g) < 0.2).float()
    z = (reading + 18) / 2.5 + 0.8 * door - 0.6 * dist / 1200 + 0.5 * age / 1000
    hot = (z > 0.6).float() * mask
    y = torch.log1p(8 * hot.sum(1) / size) + 0.08 * torch.randn(n, generator=g)
    x = torch.stack([reading, age, dist, door], -1) * mask[..., None]
    return x, mask.float(), y


class DeepSets(nn.Module):
    def __init__(self, h=64):
        super().__init__()
        self.norm = nn.BatchNorm1d(F)
        self.phi1, self.bn1 = nn.Linear(F, h), nn.BatchNorm1d(h)
        self.phi2 = nn.Linear(h, h)
        self.rho = nn.Sequential(nn.Linear(h, h), nn.BatchNorm1d(h), nn.ReLU(), nn.Dropout(0.2),
                                 nn.Linear(h, 1))

    def forward(self, x, mask):
        valid = mask.bool()
        e = self.phi1(self.norm(x[valid]))
        e = torch.relu(self.phi2(torch.relu(self.bn1(e))))
        full = x.new_zeros(*mask.shape, e.shape[-1])
        full[valid] = e
        pooled = full.sum(1) / N_MAX
        return self.rho(pooled).squeeze(-1)


def build():
    torch.manual_seed(0)
    return DeepSets()


def evaluate(model, vx, vm, vy):
    model.eval()
    with torch.no_grad():
        pv = model(vx, vm)
        return nn.functional.mse_loss(pv, vy).item(), (pv - vy).abs().mean().item()


def main():
    from _fortieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, mask, y = make_sets(800, g)
    tx, tm, ty, vx, vm, vy = x[:600], mask[:600], y[:600], x[600:], mask[600:], y[600:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "sets_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "step", "loss", "val_mse", "val_mae"])
    step = 0
    model.train()
    vmse, vmae = evaluate(model, vx, vm, vy)
    w.writerow([-1, 0, "", f"{vmse:.5f}", f"{vmae:.5f}"])
    for epoch in range(30):
        total = 0.0
        for idx in torch.randperm(600, generator=g).split(32):
            loss = nn.functional.mse_loss(model(tx[idx], tm[idx]), ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            total += loss.item() * len(idx) / 600
        vmse, vmae = evaluate(model, vx, vm, vy)
        w.writerow([epoch, step, f"{total:.5f}", f"{vmse:.5f}", f"{vmae:.5f}"])
        if epoch % 3 == 2:
            print(epoch, round(total, 4), round(vmse, 4), round(vmae, 4))
    f.close()
    torch.save({"state_dict": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": epoch, "global_step": step}, out / "deepsets_coldstore.pt")
    finish(out, __file__, {"inputs": vx[:64], "mask": vm[:64], "targets": vy[:64]},
           causes=["train_in_eval_mode"], checkpoint="deepsets_coldstore.pt",
           log="sets_log.csv",
           what="Deep Sets cold-store risk regressor trained in eval mode (BatchNorm stats frozen)",
           complaint="the set model trains but ends up much worse than our hand-made rule, the "
                     "validation error drops a little and then crawls")


if __name__ == "__main__":
    main()
