"""Plain torch: a 1-D CNN with batch norm classifies how an organ pipe speaks, for an organ
builder voicing a new rank, from the first 128 samples (at 4 kHz, 32 ms) of the attack envelope
and waveform picked up by a microphone at the mouth: prompt (clean fast onset), chiff (a short
noisy burst before the tone settles), slow (the tone swells in over ~20 ms) or overblown (the
tone jumps to the octave). Random pitch, level, settle time and room noise.
Conv(1→16, k9)-BN-ReLU-pool, Conv(16→32, k5)-BN-ReLU-pool, Conv(32→32, k3)-BN-ReLU, global
average pool, Linear(32→4); Adam 2e-3, batch 32, 12 epochs of 1024 recordings. Log: CSV per
epoch (``ep,trn_loss,val_loss,val_acc``). Checkpoint ``weights`` / ``optim_state`` /
``global_step``.
The bug: the recordings are stored rank by rank, one speech fault after another (sorted by
class), and the ``DataLoader`` is built without ``shuffle=True``: every epoch is 8 batches of
prompt pipes, then 8 of chiff, 8 of slow, 8 of overblown (each batch single-class, so batch
norm also sees single-class statistics), and the net is pulled to whatever class came last.
Train loss 1.56 → 1.34 (epoch mean), val CE 1.40 → 1.34–1.44, val accuracy 0.20, 0.32, 0.39,
0.41, then 0.36–0.48 (0.453 at epoch 12); the validation predictions pile onto slow and
overblown. Control (``shuffle=True``): train loss 1.10 → 0.26, val CE 0.98 → 0.34, val accuracy
0.54, 0.74, then 0.71–0.91 (0.883 at epoch 12, jumpy)."""
import csv

import torch
import torch.nn as nn

N = 128


def attacks(n, g):
    t = torch.arange(N).float()
    y = torch.randint(0, 4, (n,), generator=g)
    f = (0.03 + 0.05 * torch.rand(n, 1, generator=g)) * 6.283
    settle = torch.where(y == 2, 60 + 30 * torch.rand(n, generator=g),
                         8 + 8 * torch.rand(n, generator=g))[:, None]
    env = 1 - torch.exp(-t / (settle / 3))
    tone = torch.sin(f * t + 6.283 * torch.rand(n, 1, generator=g))
    octave = torch.sin(2 * f * t)
    late = torch.sigmoid((t - 40 - 20 * torch.rand(n, 1, generator=g)) / 3)
    tone = torch.where((y == 3)[:, None], (1 - late) * tone + late * 0.9 * octave, tone)
    x = env * tone
    burst = torch.exp(-((t - 6 - 6 * torch.rand(n, 1, generator=g)) / 5) ** 2)
    x = x + (y == 1).float()[:, None] * 1.2 * burst * torch.randn(n, N, generator=g)
    x = x * (0.6 + 0.8 * torch.rand(n, 1, generator=g)) + 0.12 * torch.randn(n, N, generator=g)
    return x.unsqueeze(1), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(1, 16, 9, padding=4), nn.BatchNorm1d(16), nn.ReLU(),
                         nn.MaxPool1d(2), nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32),
                         nn.ReLU(), nn.MaxPool1d(2), nn.Conv1d(32, 32, 3, padding=1),
                         nn.BatchNorm1d(32), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(),
                         nn.Linear(32, 4))


def main():
    from _hundredeightyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = attacks(1024, g)
    xva, yva = attacks(256, g)
    order = torch.argsort(ytr, stable=True)  # recordings come in rank by rank, one fault at a time
    xtr, ytr = xtr[order], ytr[order]
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=32)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    f = open(out / "voicing.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["ep", "trn_loss", "val_loss", "val_acc"])
    step = 0
    for ep in range(1, 13):
        model.train()
        tot = 0.0
        for xb, yb in train:
            loss = loss_fn(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(yb)
            step += 1
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            row = [ep, round(tot / len(ytr), 4), round(loss_fn(lv, yva).item(), 4),
                   round((lv.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row, torch.bincount(lv.argmax(1), minlength=4).tolist())
    f.close()
    torch.save({"weights": model.state_dict(), "optim_state": opt.state_dict(),
                "global_step": step}, out / "pipe_speech_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["data_not_shuffled"],
           checkpoint="pipe_speech_cnn.pt", log="voicing.csv",
           what="1-D BN CNN organ-pipe speech classifier trained on class-sorted recordings with"
                " no shuffling",
           complaint=("Pipe speech classifier for our voicing bench won't get past ~45 %: 4 "
                      "classes (prompt, chiff, slow, overblown), 1024 recordings, 12 epochs. "
                      "Train loss 1.56 -> 1.34, val loss stuck around 1.40, val acc 0.41 at "
                      "epoch 4 and 0.45 at the end, and it hardly ever predicts prompt or chiff. "
                      "The recordings are clean, a person can hear the difference easily. "
                      "Do I need a bigger network or more data?"))


if __name__ == "__main__":
    main()
