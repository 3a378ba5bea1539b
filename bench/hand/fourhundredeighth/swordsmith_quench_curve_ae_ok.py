"""Plain torch: an autoencoder compresses the cooling curve a swordsmith's thermocouple
records at a blade's spine during the quench (64 readings, 0-16 s, °C) to 5 numbers, so the
smith can file each blade's quench and flag odd ones later by their reconstruction error.
The curves follow the three quench stages: a vapour blanket first (slow, film boiling,
longer in hot oil and for a thick spine), then nucleate boiling (the fast drop, its rate set
by the quenchant: brine > water > fast oil > slow oil), then convection (slow again,
towards the bath temperature). Start temperature (780-880 °C), bath temperature (20-70 °C),
spine thickness, when the blade was lifted for an interrupted quench and the probe's noise
(±4 °C) vary from blade to blade.
Input and target: (64,) curve, (T - 400) / 300. Model: encoder Linear 64→48, Tanh, Linear
48→24, Tanh, Linear 24→5; decoder Linear 5→24, Tanh, Linear 24→48, Tanh, Linear 48→64; MSE,
Adam 1e-3 with ReduceLROnPlateau (×0.5, patience 3) on the val MSE, batch 128, 60 epochs,
2400 curves, validation on 600.
Healthy; numbers in the README.
Log: JSON lines per epoch ``quench_ae.jsonl`` (``epoch`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_rmse_c`` / ``val_worst_c``); checkpoint ``quench_ae.pth`` with keys
``autoencoder`` / ``adam_state`` / ``plateau`` / ``epoch`` / ``t_offset_c`` / ``t_scale_c``
/ ``seconds``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

SECONDS = torch.linspace(0, 16, 64)


def curves(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    kind = torch.randint(0, 4, (n, 1), generator=g)  # brine, water, fast oil, slow oil
    rate = torch.tensor([2.2, 1.6, 0.8, 0.45])[kind] * (0.85 + 0.3 * r(n, 1))
    t0 = 780 + 100 * r(n, 1)
    bath = 20 + 50 * r(n, 1)
    spine = 3 + 5 * r(n, 1)  # mm
    vapour = torch.tensor([0.2, 0.6, 1.2, 2.0])[kind] * (0.7 + 0.6 * r(n, 1)) * spine / 5
    slow = 0.04 * (t0 - bath) * (SECONDS.clamp(max=vapour) / vapour.clamp(min=0.1))
    s = (SECONDS - vapour).clamp(min=0)
    fast = torch.exp(-rate * s / (spine / 5))
    temp = bath + (t0 - bath - slow) * fast
    lift = torch.where(r(n, 1) < 0.25, 3 + 8 * r(n, 1), torch.full((n, 1), 99.0))  # interrupted
    out = SECONDS > lift
    held = torch.where(out, temp.gather(1, (lift / 16 * 63).long().clamp(max=63)), temp)
    air = bath + (held - bath) * torch.exp(-0.06 * (SECONDS - lift).clamp(min=0))  # in still air
    temp = torch.where(out, air, temp)
    temp = temp + 4 * torch.randn(n, 64, generator=g)
    return (temp - 400) / 300


class QuenchAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(64, 48), nn.Tanh(), nn.Linear(48, 24), nn.Tanh(),
                                     nn.Linear(24, 5))
        self.decoder = nn.Sequential(nn.Linear(5, 24), nn.Tanh(), nn.Linear(24, 48), nn.Tanh(),
                                     nn.Linear(48, 64))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return QuenchAE()


def main():
    from _fourhundredeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = curves(2400, g), curves(600, g)
    print("curve var", xtr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=3)
    with open(out / "quench_ae.jsonl", "w") as f:
        for epoch in range(60):
            model.train()
            tot, seen = 0.0, 0
            for (xb,) in dl:
                loss = nn.functional.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, seen = tot + loss.item() * len(xb), seen + len(xb)
            model.eval()
            with torch.no_grad():
                err = model(xva) - xva
            val = err.pow(2).mean().item()
            rec = {"epoch": epoch, "lr": opt.param_groups[0]["lr"], "train_mse": round(tot / seen, 7),
                   "val_mse": round(val, 7), "val_rmse_c": round(300 * val ** 0.5, 3),
                   "val_worst_c": round(300 * err.abs().max().item(), 2)}
            plateau.step(val)
            f.write(json.dumps(rec) + "\n")
            if epoch % 5 == 0 or epoch == 59:
                print(rec)
    torch.save({"autoencoder": model.state_dict(), "adam_state": opt.state_dict(),
                "plateau": plateau.state_dict(), "epoch": 60, "t_offset_c": 400.0,
                "t_scale_c": 300.0, "seconds": SECONDS}, out / "quench_ae.pth")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[],
           checkpoint="quench_ae.pth", log="quench_ae.jsonl",
           what="autoencoder compressing a blade's quench cooling curve to 5 numbers (healthy)")


if __name__ == "__main__":
    main()
