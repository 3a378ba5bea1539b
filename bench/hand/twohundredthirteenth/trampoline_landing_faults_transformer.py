"""Plain torch: a small transformer encoder flags landing faults on a competition trampoline
from 32 samples (200 Hz, the last 160 ms before and through bed contact) of four channels: the
bed-deflection sensors under the four quadrants of the bed. Multi-label, 4 faults: off-centre
(the deflection is lopsided between left/right quadrants), travelling forward (front vs back),
piked landing (an early sharp double peak) and a late arm swing (a second, slower bump). Each
fault adds its own pattern to a common contact-pulse shape with random depth, timing and noise;
10 % of the judge's fault marks are wrong. Linear(4→48) + learned positions, 2 encoder layers
(4 heads, ff 96, dropout 0), mean pool, Linear(48→4); Adam 1e-3, batch 32, a budget of 480 steps (the loop counts steps, not epochs), BCE; train
loss (mean over the last 16 steps) and validation every 16 steps.
The bug: a ``xtr, ytr = xtr[:64], ytr[:64]`` left in from a quick debug run, so the 480 steps
are 240 epochs over 64 of the 1024 recorded landings: train BCE 0.47 at step 48 → 0.0037 at step 480; val BCE best 0.353 at step 128
(epoch 64), then 0.48 at 192, 0.57 at 288 and 0.655 at 480; val label accuracy 0.861 → 0.821.
Control (the debug line removed: the same 480 steps are 15 epochs over 1024 landings):
val BCE 0.45 at step 48 → 0.155 at 480, val label accuracy 0.979;
train BCE 0.34 at the end (the 10 % wrong marks)."""
import json

import torch
import torch.nn as nn

T = 32
STEPS = 480


def landings(n, g, flip=0.0):
    t = torch.arange(T).float()
    y = (torch.rand(n, 4, generator=g) < 0.3).float()
    t0 = 10 + 4 * torch.rand(n, 1, generator=g)
    depth = 0.8 + 0.4 * torch.rand(n, 1, generator=g)
    pulse = depth * torch.exp(-((t - t0 - 6) ** 2) / 18) * (t > t0).float()
    q = pulse[:, None].repeat(1, 4, 1)                       # quadrants FL, FR, BL, BR
    side = y[:, 0:1] * (0.3 + 0.2 * torch.rand(n, 1, generator=g)) * torch.sign(
        torch.rand(n, 1, generator=g) - 0.5)
    q = q * (1 + side[:, :, None] * torch.tensor([1.0, -1, 1, -1])[None, :, None])
    fwd = y[:, 1:2] * (0.3 + 0.2 * torch.rand(n, 1, generator=g))
    q = q * (1 + fwd[:, :, None] * torch.tensor([1.0, 1, -1, -1])[None, :, None])
    pike = y[:, 2:3] * 0.5 * torch.exp(-((t - t0 + 1) ** 2) / 1.5)
    arms = y[:, 3:4] * 0.35 * torch.exp(-((t - t0 - 14) ** 2) / 8)
    x = q + (pike + arms)[:, None] + 0.12 * torch.randn(n, 4, T, generator=g)
    wrong = torch.rand(n, 4, generator=g) < flip
    y = torch.where(wrong, 1 - y, y)
    return x.transpose(1, 2), y


class LandingNet(nn.Module):
    def __init__(self, d=48):
        super().__init__()
        self.inp = nn.Linear(4, d)
        self.pos = nn.Parameter(torch.zeros(1, T, d))
        layer = nn.TransformerEncoderLayer(d, 4, 96, dropout=0.0, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Linear(d, 4)

    def forward(self, x):
        return self.head(self.enc(self.inp(x) + self.pos).mean(1))


def build():
    torch.manual_seed(0)
    return LandingNet()


def main():
    from _twohundredthirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = landings(1024, g, flip=0.1)
    xva, yva = landings(256, g)
    xtr, ytr = xtr[:64], ytr[:64]
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    bce = nn.BCEWithLogitsLoss()
    log = open(out / "landing_metrics.jsonl", "w")
    step, epoch, run = 0, 0, []
    while step < STEPS:
        epoch += 1
        model.train()
        for xb, yb in train:
            loss = bce(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            run.append(loss.item())
            if step % 16 == 0:
                model.eval()
                with torch.no_grad():
                    lv = model(xva)
                    vl = bce(lv, yva).item()
                    va = ((lv > 0).float() == yva).float().mean().item()
                rec = {"iter": step, "epoch": epoch, "train_bce": round(sum(run) / len(run), 4),
                       "valid_bce": round(vl, 4), "valid_label_acc": round(va, 4)}
                log.write(json.dumps(rec) + "\n")
                print(rec)
                run = []
                model.train()
            if step == STEPS:
                break
    log.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": epoch,
                "iter": step}, out / "landing_faults_480.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="landing_faults_480.pt", log="landing_metrics.jsonl",
           what="transformer encoder, trampoline landing faults (multi-label): a debug slice"
                " leaves 64 training landings for a 480-step budget (240 epochs)",
           complaint=("Trampoline landing-fault detector (4 faults, multi-label, small "
                      "transformer on the bed sensors): training BCE goes down to 0.0037, but "
                      "validation BCE is best at 0.353 around step 128 and then climbs to 0.655 "
                      "by step 480, label accuracy drops from 0.861 to 0.821. The judges' marks "
                      "are a bit noisy. What is going on?"))


if __name__ == "__main__":
    main()
