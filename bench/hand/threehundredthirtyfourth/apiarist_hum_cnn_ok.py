"""Plain torch: an apiarist's hive microphones report a 1-s power spectrum every few minutes;
a 1-D CNN with batch norm names the colony's state from it (3 classes): queenright, queenless,
or preparing to swarm (virgin queens piping). Spectrum: 64 bins from 100 to 1100 Hz in dB.
A queenright colony hums in a broad band around its wing-beat frequency (210-270 Hz) with a
weaker second harmonic; a queenless colony "roars": 4-8 dB louder, the hump moved up to
280-360 Hz and wider, more energy above 500 Hz; a colony about to swarm hums like a
queenright one but with the narrow piping lines of its queens (tooting at 400-500 Hz with
its harmonic, in 60 % of those also quacking at 300-380 Hz) in about 85 % of the spectra. Every
spectrum has a microphone gain of ±6 dB, wind and rain noise falling off with frequency and
2 dB of bin noise; each spectrum is centred on its own mean dB and divided by 10.
Model: Conv1d 1→16 (k7) + BN + ReLU + MaxPool2, Conv1d 16→32 (k5) + BN + ReLU + MaxPool2,
Conv1d 32→32 (k3) + BN + ReLU, global max pool, Linear 32→3; cross-entropy, SGD 0.05 with
Nesterov momentum 0.9 and OneCycleLR (max 0.1), batch 40, 14 epochs of 1400 spectra,
validation on 400.
Healthy; numbers in the README.
Log: TSV per epoch ``hum_epochs.tsv`` (``epoch`` / ``lr`` / ``train_ce`` / ``val_ce`` /
``val_acc`` / ``val_recall_swarm``); checkpoint ``colony_cnn.pth`` with keys ``weights`` /
``opt_state`` / ``sched_state`` / ``epoch`` / ``freq_hz`` / ``db_scale``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

FREQ = torch.linspace(100, 1100, 64)
STATES = ["queenright", "queenless", "swarm_prep"]


def bump(f0, width, height):
    return height * torch.exp(-0.5 * ((FREQ[None] - f0) / width) ** 2)


def spectra(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 3, (n,), generator=g)
    less = (cls == 1).float().unsqueeze(1)
    f0 = (210 + 60 * r(n, 1)) * (1 - less) + (280 + 80 * r(n, 1)) * less
    wid = (45 + 20 * r(n, 1)) * (1 + 0.5 * less)
    db = 30 + bump(f0, wid, 25 + (4 + 4 * r(n, 1)) * less) + bump(2 * f0, wid * 1.5, 10 + 4 * less)
    db = db + less * 6 * torch.sigmoid((FREQ[None] - 500) / 60)
    piping = ((cls == 2) & (r(n) < 0.85)).float().unsqueeze(1)
    toot = 400 + 100 * r(n, 1)
    quack = 300 + 80 * r(n, 1)
    lines = bump(toot, 10, 9) + bump(2 * toot, 12, 5) + bump(quack, 10, 6 * (r(n, 1) > 0.4).float())
    db = db + piping * lines
    wind = 8 * r(n, 1) * torch.exp(-(FREQ[None] - 100) / (80 + 80 * r(n, 1)))
    db = db + wind + 12 * (r(n, 1) - 0.5) + 2 * torch.randn(n, 64, generator=g)
    x = (db - db.mean(1, keepdim=True)) / 10
    return x.unsqueeze(1), cls


def build():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
        nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
        nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU(),
        nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(32, 3))


def main():
    from _threehundredthirtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = spectra(1400, g)
    xva, yva = spectra(400, g)
    print("classes", torch.bincount(ytr).tolist())
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    steps = math.ceil(1400 / 40)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, epochs=14, steps_per_epoch=steps)
    log = open(out / "hum_epochs.tsv", "w")
    log.write("epoch\tlr\ttrain_ce\tval_ce\tval_acc\tval_recall_swarm\n")
    for epoch in range(14):
        model.train()
        order = torch.randperm(len(xtr), generator=g)
        tot = 0.0
        for i in range(0, len(order), 40):
            idx = order[i:i + 40]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            logits = model(xva)
            vce = F.cross_entropy(logits, yva).item()
            pred = logits.argmax(1)
        acc = (pred == yva).float().mean().item()
        rec = (pred[yva == 2] == 2).float().mean().item()
        log.write(f"{epoch}\t{sched.get_last_lr()[0]:.5f}\t{tot / len(xtr):.5f}\t{vce:.5f}\t{acc:.4f}\t{rec:.4f}\n")
        print(epoch, round(tot / len(xtr), 4), round(vce, 4), round(acc, 4), round(rec, 4))
    log.close()
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 13, "freq_hz": FREQ.tolist(),
                "db_scale": 10.0}, out / "colony_cnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="colony_cnn.pth",
           log="hum_epochs.tsv",
           what="1-D CNN with batch norm naming a hive's state (queenright / queenless /"
                " swarm preparation) from its hum spectrum (healthy)")


if __name__ == "__main__":
    main()
