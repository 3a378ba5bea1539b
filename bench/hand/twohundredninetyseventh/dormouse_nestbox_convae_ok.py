"""Plain torch: a 1-D convolutional autoencoder compresses the temperature traces of the
iButton loggers taped inside hazel dormouse nest boxes (two days, a reading every 30 min, 96
points) to 8 numbers, so the group can cluster boxes by how they were used (empty, an
active dormouse every night, a dormouse dropping into torpor on cold days, a wood mouse that
comes and goes) without sending every trace to the licensed handler. A box tracks the air
temperature (a daily sine, 4-16 °C, plus weather) with some lag and damping; a dormouse asleep
in the box by day warms it to 20-30 °C, leaves at dusk (the box falls back to the air) and
returns before dawn; on cold days it lets its body drop (torpor: the box follows the air
again around midday, with a rewarming spike in the afternoon); a wood mouse warms it less and
at random hours. 0.3 °C logger noise.
Input: (1, 96), (temperature - 12) / 8. Encoder: conv 1→16 (k 5, stride 2) SiLU, conv 16→32
(k 5, stride 2) SiLU, conv 32→32 (k 3, stride 2) SiLU, flatten, linear 384→8; decoder:
linear 8→384, 3 transposed convs back to 96; MSE, NAdam 2e-3 with ExponentialLR (×0.9 per
epoch), batch 128, 20 epochs, 3000 box-days, validation on 600.
Healthy; numbers in the README.
Log: TSV per epoch ``nestbox_ae.tsv`` (``epoch`` / ``lr`` / ``recon_train`` /
``recon_val`` / ``recon_val_degC``, the last the root-mean-square error in °C); checkpoint
``nestbox_ae.ckpt`` with keys ``ae`` / ``nadam`` / ``sched`` / ``epoch`` / ``code_size`` /
``offset`` / ``scale``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 96
CODE = 8


class NestBoxAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv1d(1, 16, 5, 2, 2), nn.SiLU(), nn.Conv1d(16, 32, 5, 2, 2),
                                 nn.SiLU(), nn.Conv1d(32, 32, 3, 2, 1), nn.SiLU(), nn.Flatten(),
                                 nn.Linear(384, CODE))
        self.dec_in = nn.Linear(CODE, 384)
        self.dec = nn.Sequential(nn.ConvTranspose1d(32, 32, 4, 2, 1), nn.SiLU(),
                                 nn.ConvTranspose1d(32, 16, 4, 2, 1), nn.SiLU(),
                                 nn.ConvTranspose1d(16, 1, 4, 2, 1))

    def forward(self, x):
        z = self.enc(x)
        return self.dec(self.dec_in(z).view(-1, 32, 12))


def boxdays(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    hour = torch.arange(T).float() / 2
    mean = 4 + 12 * r(n, 1)
    swing = 2 + 5 * r(n, 1)
    air = mean + swing * torch.sin(2 * torch.pi * (hour - 9) / 24) + 0.8 * torch.randn(
        n, 1, generator=g) * torch.sin(2 * torch.pi * hour / (30 + 20 * r(n, 1)))
    box = air.clone()
    for t in range(1, T):
        box[:, t] = box[:, t - 1] + 0.4 * (air[:, t] - box[:, t - 1])
    kind = torch.randint(0, 4, (n,), generator=g)
    h24 = hour % 24
    home = ((h24 > 5 + r(n, 1)) & (h24 < 20 + r(n, 1))).float()
    nest = 20 + 10 * r(n, 1)
    torpor = ((h24 > 10) & (h24 < 15.5)).float() * (mean < 9).float()
    spike = ((h24 >= 15.5) & (h24 < 17)).float() * (mean < 9).float()
    dormouse = home * (1 - torpor) * (nest - box) * 0.85 + spike * 4
    mouse = (r(n, T) < 0.25).float() * (6 + 4 * r(n, T))
    mouse = F.avg_pool1d(mouse.unsqueeze(1), 5, 1, 2).squeeze(1)
    warm = torch.where((kind == 1).unsqueeze(1), home * (nest - box) * 0.85, torch.zeros(n, T))
    warm = torch.where((kind == 2).unsqueeze(1), dormouse, warm)
    warm = torch.where((kind == 3).unsqueeze(1), mouse, warm)
    trace = box + warm + 0.3 * torch.randn(n, T, generator=g)
    return ((trace - 12) / 8).unsqueeze(1), kind


def build():
    torch.manual_seed(0)
    return NestBoxAE()


def main():
    from _twohundredninetyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, _ = boxdays(3000, g)
    xva, kva = boxdays(600, g)
    print("trace sd", xtr.std().item(), "val var", xva.var().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr), batch_size=128, shuffle=True)
    ae = build()
    opt = torch.optim.NAdam(ae.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    log = open(out / "nestbox_ae.tsv", "w")
    log.write("epoch\tlr\trecon_train\trecon_val\trecon_val_degC\n")
    for epoch in range(20):
        ae.train()
        tot = 0.0
        lr = sched.get_last_lr()[0]
        for (xb,) in loader:
            loss = F.mse_loss(ae(xb), xb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        sched.step()
        ae.eval()
        with torch.no_grad():
            mse = F.mse_loss(ae(xva), xva).item()
        log.write(f"{epoch}\t{lr:.6f}\t{tot / len(xtr):.6f}\t{mse:.6f}\t{8 * mse ** 0.5:.4f}\n")
        print(epoch, round(tot / len(xtr), 5), round(mse, 5), round(8 * mse ** 0.5, 3))
    log.close()
    torch.save({"ae": ae.state_dict(), "nadam": opt.state_dict(), "sched": sched.state_dict(),
                "epoch": 20, "code_size": CODE, "offset": 12.0, "scale": 8.0},
               out / "nestbox_ae.ckpt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[], checkpoint="nestbox_ae.ckpt",
           log="nestbox_ae.tsv",
           what="1-D conv autoencoder compressing two-day dormouse nest-box temperature traces"
                " to 8 numbers (healthy)")


if __name__ == "__main__":
    main()
