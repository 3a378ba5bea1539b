"""Plain torch: a 1-D CNN tells which of six monasteries along a pilgrim route a bell recording
comes from (a sound-map project: pilgrims upload the bells they hear). Each snippet is 128
samples of the strike's spectrum envelope stand-in: a sum of the bell's partials (hum, prime,
tierce, quint, nominal) at the monastery bell's own frequencies and tuning, each decaying at its
own rate, with wind noise, a random strike strength and a slight detuning from temperature.
Two pairs of monasteries have bells cast by the same foundry (close partials), so the classes
are not trivially apart. Conv1d(1,32,9)-ReLU-Conv1d(32,64,9,stride 2)-ReLU-Conv1d(64,64,9,
stride 2)-ReLU-global max pool-Linear(64,64)-ReLU-Linear(64,6), cross-entropy, Adam 2e-3, batch
32, 400 steps drawn from the training archive, 384 validation snippets. CSV every 20 steps
``bells.csv`` (step, trn_loss, valid_loss, valid_acc); checkpoint ``bellnet.pt`` with keys
weights / optimizer_state / step.

Bug: the training archive is the first batch of uploads the project had, ``N_TRAIN = 60``
snippets (10 per monastery), trained for 400 steps (about 213 epochs) with no regularisation.
Numbers: train loss 1.72 (steps 1-20) → 0.056 (80) → 0.0026 (120) → 0.00023 (400); val loss
1.76 (20), lowest 1.51 at step 40, then 1.97 (60), 2.26 (100), 2.41 (240), 2.57 (400) and still
rising; val accuracy 0.38 at step 40, 0.50-0.51 from step 140 on (chance is 0.17).
Control (``N_TRAIN = 1200``, same 400 steps, a one-line sed): train loss 1.76 → 0.54 (140) →
0.15 (400); val loss 1.68 → 0.61 (140) → 0.48 (400) with a few bumps (0.91 at 160, 0.81 at
240); val accuracy 0.28 → 0.73 (140) → 0.80 (400)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

N_TRAIN = 60
L = 128
BELLS = torch.tensor([  # hum frequency (cycles per snippet) and partial ratios
    [6.0, 2.00, 2.40, 3.00, 4.00],
    [6.6, 2.00, 2.38, 3.02, 4.00],
    [8.0, 2.00, 2.50, 3.00, 4.10],
    [9.0, 1.95, 2.40, 2.95, 3.90],
    [9.8, 1.95, 2.42, 2.95, 3.92],
    [11.0, 2.05, 2.30, 3.10, 4.05]])


def snippets(n, g):
    y = torch.arange(n) % 6
    y = y[torch.randperm(n, generator=g)]
    t = torch.arange(L).float() / L
    x = torch.zeros(n, L)
    for i in range(n):
        b = BELLS[int(y[i])]
        hum = b[0] * (1 + 0.01 * torch.randn(1, generator=g))
        freqs = hum * torch.cat([torch.ones(1), b[1:]])
        amps = torch.rand(5, generator=g) + 0.3
        decay = 1 + 4 * torch.rand(5, generator=g)
        phase = 2 * math.pi * torch.rand(5, generator=g)
        parts = amps[:, None] * torch.exp(-decay[:, None] * t) * torch.sin(
            2 * math.pi * freqs[:, None] * t + phase[:, None])
        x[i] = (0.5 + torch.rand(1, generator=g)) * parts.sum(0)
    x = x + 0.5 * torch.randn(n, L, generator=g)
    return x[:, None, :] / 2, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv1d(1, 32, 9, padding=4), nn.ReLU(),
        nn.Conv1d(32, 64, 9, stride=2, padding=4), nn.ReLU(),
        nn.Conv1d(64, 64, 9, stride=2, padding=4), nn.ReLU(),
        nn.AdaptiveMaxPool1d(1), nn.Flatten(),
        nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 6))


def main():
    from _twohundredtwentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xva, yva = snippets(384, g)
    xtr, ytr = snippets(N_TRAIN, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "bells.csv", "w")
    f.write("step,trn_loss,valid_loss,valid_acc\n")
    run = []
    for step in range(1, 401):
        model.train()
        idx = torch.randint(0, N_TRAIN, (32,), generator=g)
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        run.append(loss.item())
        if step % 20 == 0:
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            row = (step, sum(run) / len(run), F.cross_entropy(lv, yva).item(),
                   (lv.argmax(1) == yva).float().mean().item())
            f.write(",".join([str(row[0])] + [f"{v:.4f}" for v in row[1:]]) + "\n")
            print(row)
            run = []
    f.close()
    torch.save({"weights": model.state_dict(), "optimizer_state": opt.state_dict(),
                "step": 400}, out / "bellnet.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="bellnet.pt", log="bells.csv",
           what="1-D CNN identifying which of six monasteries a bell recording comes from",
           complaint="The bell classifier looks perfect on training (loss down to 0.0002 by step"
                     " 400) but on the held-out recordings it only gets 51 % and its"
                     " validation loss went from 1.5 at step 40 up to 2.6. Six monasteries,"
                     " 60 recordings so far. Why does it do so badly on new uploads?")


if __name__ == "__main__":
    main()
