"""Plain torch: a small CNN (no batch norm) tells a cuckoo clock's call from a 16×24 spectrogram
patch recorded at the hour strike, for a repair shop's intake app: 0 healthy two-tone call,
1 worn bellows (the second tone weak and breathy), 2 cracked pipe (a buzzing band of extra
harmonics), 3 sticking cuckoo (the two tones run together, no gap). Pitches, timing, loudness
and workshop noise vary per clock.
Conv(1→16)-ReLU-pool, Conv(16→32)-ReLU-pool, Flatten, Linear(768→64)-ReLU, Linear(64→4); SGD
momentum 0.9, lr 0.03, batch 32, 15 epochs of 1024 patches; 256 validation patches;
``ExponentialLR(gamma=0.85)`` meant as "lr × 0.85 every epoch".
Log: JSON lines, a train row every 8 steps (``it``, ``ep``, ``loss``, ``lr``) and a validation
row per epoch (``ep``, ``val_loss``, ``val_acc``); checkpoint ``weights`` / ``optim`` /
``sched`` / ``ep``.
The bug: ``sched.step()`` is inside the batch loop, 32 times an epoch: the lr is 0.03 × 0.85^32
= 1.6e-4 after the first epoch and ~1e-35 at the end. Val accuracy 0.305 after epoch 1, then 0.3086 and val loss 1.3727 at every
epoch 2–15. Control (``sched.step()`` once per epoch, after the batch loop): val accuracy 0.80,
0.71, 0.98, 0.996 from epoch 4, 0.992 at 15, val loss 0.009."""
import json

import torch
import torch.nn as nn


def patches(n, g):
    f = torch.arange(16).float()[None, :, None]
    tt = torch.arange(24).float()[None, None, :]
    y = torch.randint(0, 4, (n,), generator=g)
    p1 = 9 + 3 * torch.rand(n, generator=g)
    p2 = p1 - 3 - torch.rand(n, generator=g)
    t0 = 2 + 3 * torch.rand(n, generator=g)
    gap = torch.where(y == 3, 0.0, 2.5)
    l1, l2 = 6.0, 7.0
    on1 = ((tt >= t0[:, None, None]) & (tt < (t0 + l1)[:, None, None])).float()
    s2 = t0 + l1 + gap
    on2 = ((tt >= s2[:, None, None]) & (tt < (s2 + l2)[:, None, None])).float()
    a2 = torch.where(y == 1, 0.35, 1.0)[:, None, None]
    x = on1 * torch.exp(-(f - p1[:, None, None]) ** 2 / 1.5)
    x = x + a2 * on2 * torch.exp(-(f - p2[:, None, None]) ** 2 / (1.5 + 4 * (y == 1).float()[:, None, None]))
    buzz = (y == 2).float()[:, None, None] * 0.5 * (on1 + on2).clamp(max=1) * (f > 11).float()
    x = x + buzz * (1 + torch.sin(tt * 3)[:, :, :])
    x = x * (0.6 + 0.8 * torch.rand(n, 1, 1, generator=g)) + 0.15 * torch.randn(n, 16, 24, generator=g)
    return x[:, None], y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(768, 64), nn.ReLU(), nn.Linear(64, 4))


def main():
    from _twohundredthirtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = patches(1024, g)
    xva, yva = patches(256, g)
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=32,
                                         shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)
    crit = nn.CrossEntropyLoss()
    log = open(out / "cuckoo_calls.jsonl", "w")
    it = 0
    for ep in range(15):
        model.train()
        for xb, yb in loader:
            loss = crit(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            it += 1
            if it % 8 == 0:
                log.write(json.dumps({"it": it, "ep": ep, "loss": round(loss.item(), 4),
                                      "lr": opt.param_groups[0]["lr"]}) + "\n")
            sched.step()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            rec = {"ep": ep, "val_loss": round(crit(lv, yva).item(), 4),
                   "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec, opt.param_groups[0]["lr"])
    log.close()
    torch.save({"weights": model.state_dict(), "optim": opt.state_dict(),
                "sched": sched.state_dict(), "ep": 15}, out / "cuckoo_cnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="cuckoo_cnn.pth", log="cuckoo_calls.jsonl",
           what="CNN cuckoo-call fault classifier: per-epoch ExponentialLR(0.85) stepped every"
                " batch, lr ~0 after epoch 1",
           complaint=("My cuckoo call fault classifier (4 classes, spectrogram patches) is stuck at chance: "
                      "val accuracy 0.30 after the first epoch and 0.3086 for all 15 epochs, val loss "
                      "1.3727 every epoch, not even the 4th decimal moves. SGD lr 0.03 momentum 0.9 "
                      "with a gentle exponential decay (0.85 per epoch). Are the weights frozen?"))


if __name__ == "__main__":
    main()
