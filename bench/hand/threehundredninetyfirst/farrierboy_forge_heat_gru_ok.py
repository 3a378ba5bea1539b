"""Plain torch: a GRU follows the heat of a horseshoe bar in a coal forge, step by step, so
a farrier-boy pumping the bellows can be told when the iron is at a forging heat without
reading its colour: one step every 10 s over a 10-minute heat (60 steps). Inputs per step:
bellows strokes in the step (0-6, the boy's pace), iron in the fire or out (0/1), on the
anvil being hammered (0/1, the anvil draws heat out by contact). The iron's temperature
follows Newton heating / cooling: in the fire it moves towards the fire's temperature
(700 °C idle up to about 1300 °C with a hard blast, the fire itself lagging the bellows by a
minute), out of the fire it loses heat to the air and faster to the anvil while hammered,
radiation making it cool fastest when white-hot. Target per step: (T - 700) / 300 from the
pyrometer (±8 °C reading noise).
Model: GRU(3→32), Linear 32→1 on every step (per-step regression); MSE, NAdam 3e-3 with
ExponentialLR(0.88) per epoch, batch 16, 16 epochs, 480 heats, validation on 96.
Healthy; numbers in the README.
Log: TSV per epoch ``forge_epochs.tsv`` (``epoch`` / ``lr`` / ``train_mse`` / ``val_mse``
/ ``val_mae_c``); checkpoint ``forge_gru.pth`` with keys ``weights`` / ``nadam`` /
``sched`` / ``epoch`` / ``temp_center_scale``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

STEPS = 60
DT = 10.0


def heats(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    pace = 1 + 5 * r(n, 1)
    strokes = (pace + 1.5 * torch.randn(n, STEPS, generator=g)).round().clamp(0, 6)
    # the boy takes the iron out for a spell on the anvil two or three times
    x_in = torch.ones(n, STEPS)
    hammer = torch.zeros(n, STEPS)
    for i in range(n):
        for _ in range(int(torch.randint(2, 4, (1,), generator=g))):
            s = int(torch.randint(12, STEPS - 4, (1,), generator=g))
            ln = int(torch.randint(2, 6, (1,), generator=g))
            x_in[i, s:s + ln] = 0
            hammer[i, s:s + ln] = (r(ln) < 0.8).float()
    strokes = strokes * x_in
    fire = torch.full((n,), 700.0)
    t = 20 + 30 * r(n)
    temps = []
    for s in range(STEPS):
        fire = fire + (700 + 100 * strokes[:, s] - fire) * DT / 60
        heat_in = 0.012 * (fire - t) * x_in[:, s]
        rad = (1 - x_in[:, s]) * (0.003 * (t - 20) + 1e-12 * ((t + 273) ** 4 - 293 ** 4))
        anvil = 0.01 * (t - 20) * hammer[:, s]
        t = t + DT * (heat_in - rad - anvil)
        temps.append(t)
    temp = torch.stack(temps, 1) + 8 * torch.randn(n, STEPS, generator=g)
    x = torch.stack([strokes / 6, x_in, hammer], 2)
    return x, ((temp - 700) / 300).unsqueeze(2)


class ForgeGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.head(h)


def build():
    torch.manual_seed(0)
    return ForgeGRU()


def main():
    from _threehundredninetyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = heats(480, g)
    xva, yva = heats(96, g)
    print("target mean / var", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.NAdam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.88)
    with open(out / "forge_epochs.tsv", "w") as f:
        f.write("epoch\tlr\ttrain_mse\tval_mse\tval_mae_c\n")
        for epoch in range(16):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            vmse = F.mse_loss(pred, yva).item()
            mae = (300 * (pred - yva).abs().mean()).item()
            f.write(f"{epoch}\t{lr:.6g}\t{tot / len(xtr):.6g}\t{vmse:.6g}\t{mae:.6g}\n")
            print(epoch, tot / len(xtr), vmse, mae)
    torch.save({"weights": model.state_dict(), "nadam": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": 16, "temp_center_scale": (700.0, 300.0)},
               out / "forge_gru.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="forge_gru.pth",
           log="forge_epochs.tsv",
           what="GRU following the heat of a horseshoe bar in a coal forge step by step from"
                " the bellows and the anvil (healthy)")


if __name__ == "__main__":
    main()
