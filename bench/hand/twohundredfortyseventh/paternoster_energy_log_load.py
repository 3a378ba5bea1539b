"""Plain torch: an MLP regresses the energy (kWh, standardised) a paternoster lift's drive uses
per 10-minute window in an old office building from the load of its 14 open cabins (kg, read
from the chain's load cells; a cabin riding empty reads 0 kg) plus hour of day, up/down
imbalance and machine-room temperature. Energy grows with the log of the loads (friction and
chain stretch saturate) and with the imbalance between the rising and falling sides. MLP
17-64-64-1 (SiLU), MSE, Adam 1e-3, batch 64, 15 epochs of 1500 windows. Checkpoint dict
``model_state`` / ``optim_state`` / ``global_step``; a CSV row every 10 steps
(``global_step``, ``epoch``, ``mse``) with ``val_mse`` on each epoch's last row.
The bug: the loads are fed as ``torch.log(loads)`` (the energy model says "log of load"), and
empty cabins read 0 kg: ``log(0) = -inf`` goes into the first layer (9 589 of the 25 200
readings are 0 kg): the MSE is nan from the first logged step, val MSE nan after all 15 epochs,
the saved weights all nan.
Control (``torch.log1p(loads)``): val MSE 0.502, 0.230, 0.100, 0.058 → 0.011 at epoch 15."""
import csv

import torch
import torch.nn as nn

CABINS = 14


def windows(n, g):
    busy = torch.rand(n, 1, generator=g)
    riding = torch.rand(n, CABINS, generator=g) < 0.35 + 0.55 * busy
    loads = riding * (60 + 45 * torch.rand(n, CABINS, generator=g)) * torch.randint(
        1, 3, (n, CABINS), generator=g)
    hour = torch.rand(n, 1, generator=g) * 12 + 7
    up, down = loads[:, :7].sum(1, keepdim=True), loads[:, 7:].sum(1, keepdim=True)
    temp = 18 + 8 * torch.rand(n, 1, generator=g)
    energy = (0.35 * torch.log1p(loads).sum(1, keepdim=True) + 0.004 * (up - down).abs()
              + 0.05 * (temp - 22) + 0.3 * torch.randn(n, 1, generator=g))
    return loads, torch.cat([(hour - 13) / 3.5, (up - down) / 300, (temp - 22) / 2.3], 1), energy


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(CABINS + 3, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                         nn.Linear(64, 1))


def main():
    from _twohundredfortyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    loads, other, energy = windows(1800, g)
    feats = torch.log(loads)
    x = torch.cat([(feats - 4.5) / 1.5, other], 1)
    y = (energy - energy[:1500].mean()) / energy[:1500].std()
    xtr, ytr, xva, yva = x[:1500], y[:1500], x[1500:], y[1500:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    step = 0
    with open(out / "drive_energy.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["global_step", "epoch", "mse", "val_mse"])
        for epoch in range(15):
            model.train()
            perm = torch.randperm(1500, generator=g)
            for i in range(0, 1500, 64):
                idx = perm[i:i + 64]
                loss = nn.functional.mse_loss(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                last = i + 64 >= 1500
                if step % 10 == 0 or last:
                    vm = ""
                    if last:
                        model.eval()
                        with torch.no_grad():
                            vm = f"{nn.functional.mse_loss(model(xva), yva).item():.4f}"
                        print(epoch, step, round(loss.item(), 4), vm)
                    w.writerow([step, epoch, f"{loss.item():.4f}", vm])
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "global_step": step, "epoch": 15}, out / "drive_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="drive_mlp.pt", log="drive_energy.csv",
           what="paternoster drive-energy MLP fed torch.log of cabin loads that are 0 kg when a"
                " cabin rides empty",
           complaint=COMPLAINT)


COMPLAINT = ("Energy model for the paternoster lift in our building: 14 cabin load-cell "
             "readings plus hour, up/down imbalance and machine-room temperature -> kWh per 10 "
             "minutes. The loss is nan at the very first logged step (step 10) and val_mse is nan "
             "after every one of the 15 epochs. Everything is standardised and the lr is only "
             "1e-3. What is going on?")


if __name__ == "__main__":
    main()
