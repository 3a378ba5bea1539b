"""Plain torch: a 1-D CNN (no BatchNorm) tells the pitmaster how many hours are left until a
brisket in the smokehouse is done (core at 94.5 °C), from the first 3 hours of the cook (36
readings, one every 5 minutes, of chamber air temperature, core probe temperature,
relative humidity and damper opening). The core heats as a first-order lag of the chamber air and stalls between
65 and 75 °C while surface moisture evaporates (a shorter stall when the humidity is high or the
damper is shut); the brisket's size sets the lag. Readings standardised per channel; target
standardised with the training mean/std, reported in hours. Conv1d(4→32, 5)-ReLU-MaxPool-
Conv1d(32→48, 3)-ReLU-global average pool-Linear 48→32-ReLU-Linear 32→1, Huber loss, SGD
0.02 momentum 0.9 nesterov with CosineAnnealingLR(16) stepped per epoch, batch 24, 16 epochs
of 1200 cooks, validation on 300 (val Huber, val MAE in hours) every epoch.
Log: TSV per epoch ``finish_times.tsv`` (``epoch`` / ``huber`` / ``val_huber`` / ``val_mae_h`` /
``lr``); checkpoint ``finish_cnn.pt`` with keys ``weights`` / ``sgd`` / ``cosine`` / ``epoch`` /
``x_mean`` / ``x_std`` / ``hours_mean`` / ``hours_std``.
Healthy; numbers in the README."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

SEEN, STEPS = 36, 300


def cooks(n, g):
    t = torch.arange(STEPS).float()
    set_t = 105 + 20 * torch.rand(n, 1, generator=g)
    hum = 0.25 + 0.5 * torch.rand(n, 1, generator=g)
    damper = 0.3 + 0.6 * torch.rand(n, 1, generator=g)
    k = 0.014 + 0.016 * torch.rand(n, 1, generator=g)  # small briskets follow the air faster
    warm = torch.exp(-t / 6.0)
    air = set_t * (1 - warm) + 20 * warm + 2.0 * torch.randn(n, STEPS, generator=g)
    core = torch.empty(n, STEPS)
    c = torch.full((n, 1), 5.0)
    for i in range(STEPS):
        stall = 2.6 * (1 - hum) * damper * torch.exp(-((c - 70) / 5) ** 2)
        c = c + k * (air[:, i:i + 1] - c) - stall * 0.9
        core[:, i:i + 1] = c
    done = (core < 94.5).sum(1).float() / 12  # hours from the start
    probe = core + 0.3 * torch.randn(n, STEPS, generator=g)
    rh = hum * 100 + torch.randn(n, STEPS, generator=g)
    flap = damper * 100 + 0 * t
    x = torch.stack([air, probe, rh, flap], 1)[:, :, :SEEN]
    return x, done - SEEN / 12


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(4, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(32, 48, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
                         nn.Flatten(), nn.Linear(48, 32), nn.ReLU(), nn.Linear(32, 1))


def main():
    from _twohundredseventieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, htr = cooks(1200, g)
    rva, hva = cooks(300, g)
    xm, xs = rtr.mean((0, 2), keepdim=True), rtr.std((0, 2), keepdim=True)
    hm, hs = htr.mean(), htr.std()
    xtr, xva = (rtr - xm) / xs, (rva - xm) / xs
    ytr, yva = (htr - hm) / hs, (hva - hm) / hs
    print("hours left mean/std/min/max", hm.item(), hs.item(), htr.min().item(), htr.max().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=24, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, 16)
    with open(out / "finish_times.tsv", "w") as f:
        f.write("epoch\thuber\tval_huber\tval_mae_h\tlr\n")
        for epoch in range(1, 17):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.huber_loss(model(xb).squeeze(-1), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                pred = model(xva).squeeze(-1)
            row = [epoch, round(tot / len(xtr), 5), round(F.huber_loss(pred, yva).item(), 5),
                   round(((pred - yva).abs().mean() * hs).item(), 4), f"{lr:.5f}"]
            print(row)
            f.write("\t".join(map(str, row)) + "\n")
    torch.save({"weights": model.state_dict(), "sgd": opt.state_dict(), "cosine": sched.state_dict(),
                "epoch": 16, "x_mean": xm, "x_std": xs, "hours_mean": hm, "hours_std": hs},
               out / "finish_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="finish_cnn.pt",
           log="finish_times.tsv",
           what="1-D CNN (no BN) predicting hours left on a smokehouse brisket cook (healthy)")


if __name__ == "__main__":
    main()
