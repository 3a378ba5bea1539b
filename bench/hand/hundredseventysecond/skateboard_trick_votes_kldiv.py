"""Plain torch: a small 1-D CNN names the skateboard trick (ollie, kickflip, heelflip, pop
shove-it, frontside 180) from 0.8 s of a deck-mounted IMU (accelerometer + gyroscope, 6 axes,
80 Hz → 64 samples) around the pop. Every trick has the pop (vertical spike), the air time and
the landing spike; kickflip / heelflip add a full roll one way or the other, shove-it a yaw of
the board alone, frontside 180 a slower yaw with the body (accel swing); timing, amplitudes and
noise vary. Labels are soft: 5 club riders voted on each clip, and kickflip / heelflip and
shove-it / 180 get confused by some voters, so the target is the vote share per trick.
Conv(6→16, k5)-ReLU-pool, Conv(16→32, k5)-ReLU, global average pool, Linear(32→5); Adam 2e-3,
batch 32, 15 epochs of 640 clips (192 validation), loss KL(votes ‖ model).
The bug: ``F.kl_div(logits, votes, reduction="batchmean")`` — the raw logits go in where
``kl_div`` expects log-probabilities, so the "loss" is Σ votes·(log votes − logit) and falls
without bound by pushing the logits up: batch loss −0.29 at step 5, −4.3 at the end of epoch
2, −131 at 5, −7045 at 15; largest validation logit 0.9 → 12,500; validation KL (computed
correctly, with ``log_softmax``) 1.31 → 172; val accuracy (argmax vs top vote) 0.17 after epoch
1 and 0.177 (one class) from epoch 3 on. Control (``F.kl_div(F.log_softmax(logits, 1), ...)``):
batch KL 1.22 → 0.10, val KL 1.23 → 0.118, val accuracy 0.82 after epoch 1, 0.94 from epoch 3.
Log: CSV ``step`` / ``epoch`` / ``kl`` every 5 batches, with ``val_kl`` / ``val_acc`` on the
epoch's last row."""
import torch
import torch.nn as nn
import torch.nn.functional as F

T = 64
CONFUSE = {0: 0, 1: 2, 2: 1, 3: 4, 4: 3}


def clips(n, g):
    t = torch.arange(T).float()
    y = torch.randint(0, 5, (n,), generator=g)
    x = 0.1 * torch.randn(n, 6, T, generator=g)
    pop = 14 + torch.randint(-3, 4, (n,), generator=g)
    air = 18 + torch.randint(-4, 5, (n,), generator=g)
    for i in range(n):
        p, a, k = int(pop[i]), int(air[i]), int(y[i])
        x[i, 2, p] += 3.0
        x[i, 2, p + a] += 2.5  # landing
        x[i, 2, p + 1:p + a] -= 0.8  # free fall
        amp = 0.8 + 0.4 * float(torch.rand(1, generator=g))
        w = torch.exp(-((t - p - a / 2) / (a / 3)) ** 2) * amp
        if k == 1:
            x[i, 3] += 2 * w
        elif k == 2:
            x[i, 3] -= 2 * w
        elif k == 3:
            x[i, 5] += 2 * w
        elif k == 4:
            x[i, 5] += 1.0 * w
            x[i, 0] += 0.8 * w
    votes = torch.zeros(n, 5)
    for i in range(n):
        for _ in range(5):
            k = int(y[i]) if torch.rand(1, generator=g) < 0.8 else CONFUSE[int(y[i])]
            votes[i, k] += 0.2
    return x, votes


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(6, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(),
                         nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 5))


def main():
    from _hundredseventysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, vtr = clips(640, g)
    xva, vva = clips(192, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, vtr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "tricks_log.csv", "w")
    log.write("step,epoch,kl,val_kl,val_acc\n")
    step = 0
    for epoch in range(1, 16):
        model.train()
        for b, (xb, vb) in enumerate(train):
            logits = model(xb)
            loss = F.kl_div(logits, vb, reduction="batchmean")
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            last = b == len(train) - 1
            if step % 5 == 0 or last:
                row = f"{step},{epoch},{loss.item():.4f},"
                if last:
                    model.eval()
                    with torch.no_grad():
                        lv = model(xva)
                        vk = F.kl_div(F.log_softmax(lv, 1), vva, reduction="batchmean").item()
                        va = (lv.argmax(1) == vva.argmax(1)).float().mean().item()
                    row += f"{vk:.4f},{va:.4f}"
                    print(epoch, round(loss.item(), 4), round(vk, 4), round(va, 4),
                          round(lv.abs().max().item(), 1))
                else:
                    row += ","
                log.write(row + "\n")
    log.close()
    torch.save({"weights": model.state_dict(), "optimizer_state": opt.state_dict(),
                "epoch": 15, "step": step}, out / "trick_cnn.pt")
    finish(out, __file__, (xva[:64], vva[:64]), causes=["kl_div_wrong_inputs"],
           checkpoint="trick_cnn.pt", log="tricks_log.csv",
           what="1-D CNN skateboard trick classifier on vote-share targets: F.kl_div fed raw"
                " logits",
           complaint=("Training my skateboard trick classifier (5 tricks, deck IMU, targets are "
                      "the vote shares of 5 riders) the loss goes negative in the first epoch "
                      "and keeps falling: -4.3 after epoch 2, -131 after 5, -7045 after 15. "
                      "Meanwhile val accuracy is 0.177 from epoch 3 on, it predicts the same "
                      "trick for everything. A KL divergence can't be negative, can it? Is "
                      "Adam 2e-3 too high?"))


if __name__ == "__main__":
    main()
