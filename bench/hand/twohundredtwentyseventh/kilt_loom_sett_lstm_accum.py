"""Plain torch: a kilt mill predicts the woven pick density (picks per cm) of a tartan bolt
section from 40 picks of loom sensors: beat-up force, shuttle flight time, warp tension and a
colour-change flag from the sett's stripe plan; density rises with the beat-up force, falls
with warp tension and with each colour change, plus noise (target scaled to sd 1). LSTM(4 →
48) averaged over the picks, linear → 1, MSE, SGD momentum 0.9 lr 0.25, micro-batches of 16
with ``ACCUM = 8`` accumulated per optimizer step (effective batch 128), 6 epochs of 2048
sections (96 optimizer steps), 256 validation sections. JSON lines ``sett_log.jsonl`` per
optimizer step (``step`` / ``epoch`` / ``train_mse``, the mean of the 8 micro-batch losses;
``val_mse`` every 16 steps); checkpoint keys ``weights`` / ``optimizer_state`` / ``epoch`` /
``step``.

Bug: each micro-batch does ``loss.backward()``, not ``(loss / ACCUM).backward()``: the 8
gradients are summed, so every step is 8 times the one the lr was chosen for (the logged
``train_mse`` is divided by ``ACCUM``, so the log looks like an average). Numbers: train MSE
2.22 (step 1), 22.0, 1081, 1.85e5, 3.5e8, 2.2e12, 1.2e16, 3.8e19 (step 8), Infinity from step
15, val MSE NaN at every eval (steps 16 ... 96), the saved weights NaN. Control
(``(loss / ACCUM).backward()``, one sed): train MSE 2.22, 0.93, 1.24 (steps 1-3), val MSE
0.148 (step 16), 0.069, 0.063, 0.039, 0.044, 0.040 (step 96)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

ACCUM = 8


def bolts(n, g):
    """40 picks of a tartan loom's sensors per bolt section: beat-up force, shuttle flight
    time, warp tension, and a colour-change flag from the sett's stripe plan. The woven
    density (picks per cm, the target) rises with the beat-up force, falls with warp
    tension, and each colour change opens the shed a little (fewer picks)."""
    t = torch.arange(40.0)
    force = 1 + 0.4 * torch.rand(n, 1, generator=g) + 0.15 * torch.randn(n, 40, generator=g)
    tension = (0.8 + 0.4 * torch.rand(n, 1, generator=g)
               + 0.1 * torch.sin(t / (2 + 4 * torch.rand(n, 1, generator=g))))
    flight = 0.3 + 0.05 * torch.randn(n, 40, generator=g) + 0.1 * tension
    stripe = 3 + torch.randint(0, 6, (n, 1), generator=g)
    change = ((t + torch.randint(0, 8, (n, 1), generator=g)) % stripe == 0).float()
    dens = (24 + 10 * force.mean(1) - 8 * tension.mean(1) - 6 * change.mean(1)
            + 0.3 * torch.randn(n, generator=g))
    x = torch.stack([(force - 1.2) / 0.2, (flight - 0.4) / 0.06, (tension - 1) / 0.13,
                     change * 2 - 1], 2)
    return x, (dens - 28.5) / 1.6


class SettLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 48, batch_first=True)
        self.head = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.head(h.mean(1)).squeeze(1)


def build():
    torch.manual_seed(0)
    return SettLSTM()


def main():
    from _twohundredtwentyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = bolts(2048 + 256, g)
    print("target std", y.std().item())
    xtr, ytr, xva, yva = x[:2048], y[:2048], x[2048:], y[2048:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.25, momentum=0.9)
    log = open(out / "sett_log.jsonl", "w")
    step = 0
    for epoch in range(1, 7):
        model.train()
        perm = torch.randperm(2048, generator=g)
        running = 0.0
        for k, i in enumerate(range(0, 2048, 16)):
            idx = perm[i:i + 16]
            loss = F.mse_loss(model(xtr[idx]), ytr[idx])
            loss.backward()
            running += loss.item() / ACCUM
            if (k + 1) % ACCUM == 0:
                opt.step()
                opt.zero_grad()
                step += 1
                rec = {"step": step, "epoch": epoch, "train_mse": round(running, 5)}
                running = 0.0
                if step % 16 == 0:
                    model.eval()
                    with torch.no_grad():
                        rec["val_mse"] = round(F.mse_loss(model(xva), yva).item(), 5)
                    model.train()
                log.write(json.dumps(rec) + "\n")
        print(epoch, rec)
    log.close()
    torch.save({"weights": model.state_dict(), "optimizer_state": opt.state_dict(),
                "epoch": 6, "step": step}, out / "sett_lstm.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="sett_lstm.pt", log="sett_log.jsonl",
           what="LSTM regressing a tartan bolt's pick density from loom sensors; 8 micro-batches"
                " accumulated",
           complaint="Training the pick-density LSTM for the tartan looms blows up within the first epoch: train MSE is 2.2 at step 1, 22 at step 2, over a thousand at step 3, 1e19 by step 8 and inf at step 15; every validation MSE is NaN. I'm using effective batch 128 (16 x 8) with SGD at 0.25 and momentum 0.9, which should be tame for a batch that big with targets of sd 1. I already tried checking the inputs for NaNs, they're clean.")


if __name__ == "__main__":
    main()
