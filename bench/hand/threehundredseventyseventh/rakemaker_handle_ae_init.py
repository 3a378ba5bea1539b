"""Plain torch: an autoencoder learns what a well-set rake handle looks like, so that a
rake-maker can flag handles that came out of the setting jig kinked. Ash handles (1.8 m) are
steamed and set straight in a jig; a laser gauge then reads the deflection from the ideal
straight line at 48 points along the handle, in mm. A good handle keeps a gentle bow and a
slight S from the grain (the first three bending modes, 0-8 mm, 0-3 mm, 0-1.5 mm), a little
sag from the taper towards the head end, and gauge noise of 0.15 mm. A kinked handle (grain
run-out that let go in the jig) has a sharp local bend on top of that. The autoencoder is
trained on good handles only; a kinked handle should come back with a large error.
Input and target: (48,) deflection / 4 mm. Model: encoder Linear 48→32 + Tanh, Linear 32→6;
decoder Linear 6→32 + Tanh, Linear 32→48; MSE, Adam with OneCycleLR (max 5e-3) stepped per
batch, batch 32, 25 epochs, 1600 good handles, validation on 400 good and 120 kinked.
The bug: ``init_weights`` sets every Linear weight and bias to zero
(``nn.init.zeros_(m.weight)``); every hidden unit is 0 and gets no gradient, so only the last
bias learns and the net gives back the average handle: val MSE 0.788 → 0.778 (the variance
about the mean is 0.778) and the kinked / good error ratio 1.05 every epoch (control, the
init call left out, ``pass  # model.apply(init_weights)``, so PyTorch's default init: val
MSE 0.593 → 0.0027, kinked / good ratio 1.05 → 10.1).
Log: JSON lines per epoch ``jig_ae.jsonl`` (``epoch`` / ``lr`` / ``recon_mse`` /
``val_recon_mse`` / ``val_recon_mse_kinked`` / ``kink_ratio``); checkpoint ``handle_ae.ckpt``
with keys ``ae_weights`` / ``adam`` / ``onecycle`` / ``epochs_done`` / ``mm_per_unit`` /
``points``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

P = 48


def handles(n, g, kinked=False):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    s = torch.linspace(0, 1, P).unsqueeze(0)
    a1 = 8 * r(n, 1) * torch.sign(r(n, 1) - 0.5)
    a2 = 3 * (2 * r(n, 1) - 1)
    a3 = 1.5 * (2 * r(n, 1) - 1)
    sag = (0.5 + 0.8 * r(n, 1)) * s ** 3
    d = a1 * torch.sin(torch.pi * s) + a2 * torch.sin(2 * torch.pi * s) \
        + a3 * torch.sin(3 * torch.pi * s) - sag
    if kinked:
        at = 0.2 + 0.6 * r(n, 1)
        size = (2 + 3 * r(n, 1)) * torch.sign(r(n, 1) - 0.5)
        d = d + size * torch.clamp(1 - (s - at).abs() / 0.08, min=0) ** 2
    d = d + 0.15 * torch.randn(n, P, generator=g)
    return d / 4


class HandleAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(P, 32), nn.Tanh(), nn.Linear(32, 6))
        self.decoder = nn.Sequential(nn.Linear(6, 32), nn.Tanh(), nn.Linear(32, P))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.zeros_(m.weight)  # start every handle from the straight line
        nn.init.zeros_(m.bias)


def build():
    torch.manual_seed(0)
    model = HandleAE()
    model.apply(init_weights)
    return model


def main():
    from _threehundredseventyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(21)
    xtr = handles(1600, g)
    xva = handles(400, g)
    xkink = handles(120, g, kinked=True)
    print("var about the mean", ((xva - xtr.mean(0)) ** 2).mean().item())
    torch.manual_seed(21)
    dl = DataLoader(TensorDataset(xtr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=5e-3, total_steps=25 * len(dl))
    with open(out / "jig_ae.jsonl", "w") as f:
        for epoch in range(25):
            model.train()
            tot = 0.0
            for (xb,) in dl:
                loss = nn.functional.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                good = nn.functional.mse_loss(model(xva), xva).item()
                bad = nn.functional.mse_loss(model(xkink), xkink).item()
            rec = {"epoch": epoch, "lr": round(sched.get_last_lr()[0], 7),
                   "recon_mse": round(tot / len(xtr), 6), "val_recon_mse": round(good, 6),
                   "val_recon_mse_kinked": round(bad, 6), "kink_ratio": round(bad / good, 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"ae_weights": model.state_dict(), "adam": opt.state_dict(),
                "onecycle": sched.state_dict(), "epochs_done": 25, "mm_per_unit": 4.0,
                "points": P}, out / "handle_ae.ckpt")
    finish(out, __file__, (xva[:64], xva[:64].clone()), causes=["zero_weight_init"],
           checkpoint="handle_ae.ckpt", log="jig_ae.jsonl",
           what="autoencoder of rake handle straightness profiles for flagging kinked ash"
                " handles; every Linear weight and bias initialised to zero",
           complaint="我用自编码器来找校直后弯折的耙柄，只用好柄训练了25个epoch，"
                     "验证集重建误差从0.788只降到0.778，几乎没动。不管输入哪根柄，输出都是"
                     "差不多同一条曲线，弯折柄和好柄的误差比一直在1.05左右，根本分不出来。"
                     "数据已经除以4毫米缩放过了。")


if __name__ == "__main__":
    main()
