"""Plain torch: a 1-D CNN without batch norm tells a travelling peddler whether a village on his
round is still worth the detour next month, from the last 26 weeks of his takings there
(shillings per visit week). The rule behind the labels: the detour costs him a day, about 9
shillings in lost trade; a village is worth it when the takings he can expect next month, the
mean of the last 8 weeks carried on by the 8-week trend (half weight), reach 9 shillings. The
series: a village level (3-20 s), a slow trend (the village growing or a rival peddler moving
in), harvest weeks that double the takings, weeks he missed (0 s) and week-to-week noise.
Input: (1, 26) takings / 10. Model: Conv1d 1→16 (k5) + ReLU, Conv1d 16→32 (k5, dilation 2) +
ReLU, global max pool, Linear 32→16 + ReLU, Linear 16→1; a sigmoid and a hand-written
binary log-loss, Adam 3e-3, batch 32, 40 epochs of 2000 villages, validation on 500.
The bug: the log-loss is written out as ``-(y * torch.log(p) + (1 - y) * torch.log(1 - p))``
on ``p = torch.sigmoid(logit)``; once the net is sure of a clear good village its logit
passes ~17, the sigmoid rounds to exactly 1.0 in float32, ``log(1 - p)`` is -inf, and
0 · -inf is NaN: the loss, logged every 10 steps, is 0.07-0.12 up to step 370 and NaN from
step 380 (epoch 6) on, the weights are NaN after that step and the net says "not worth it"
for every village: val acc 0.972 at epoch 4, then 0.442 (the share of poor villages) with
worth recall 0.0 to the end, val log-loss NaN. Control, ``torch.log(p + 1e-7)`` and
``torch.log(1 - p + 1e-7)``: val log-loss 0.334 → 0.050, val acc 0.846 → 0.982, worth recall
0.996.
Log: CSV every 10 steps ``detour_steps.csv`` (``step`` / ``logloss``) and a JSON lines file
per epoch ``detour_epochs.jsonl`` (``epoch`` / ``val_logloss`` / ``val_acc`` /
``val_worth_recall``); checkpoint ``detour_cnn.ckpt`` with keys ``model`` / ``optim`` /
``epoch`` / ``takings_scale`` / ``detour_cost_s``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

WEEKS = 26
COST = 9.0


def villages(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    w = torch.arange(WEEKS).float()
    level = 3 + 17 * r(n, 1)
    slope = (r(n, 1) - 0.5) * 0.6
    harvest = ((w >= 10) & (w <= 13)).float() * (r(n, 1) < 0.6).float()
    s = (level + slope * (w - WEEKS)) * (1 + harvest) + 1.5 * torch.randn(n, WEEKS, generator=g)
    s = s.clamp(min=0) * (r(n, WEEKS) > 0.08).float()
    last = s[:, -8:]
    trend = last[:, 4:].mean(1) - last[:, :4].mean(1)
    expect = last.mean(1) + 0.5 * trend
    return (s / 10).unsqueeze(1), (expect >= COST).float().unsqueeze(1)


class DetourCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(1, 16, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(16, 32, 5, padding=4, dilation=2), nn.ReLU(),
                                  nn.AdaptiveMaxPool1d(1), nn.Flatten())
        self.head = nn.Sequential(nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, x):
        return self.head(self.conv(x))


def build():
    torch.manual_seed(0)
    return DetourCNN()


def logloss(logit, y):
    p = torch.sigmoid(logit)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()  # binary log-loss


def main():
    from _fourhundrednineteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = villages(2000, g)
    xva, yva = villages(500, g)
    print("worth share", ytr.mean().item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    step = 0
    with open(out / "detour_steps.csv", "w") as sf, open(out / "detour_epochs.jsonl", "w") as ef:
        sf.write("step,logloss\n")
        for epoch in range(40):
            model.train()
            perm = torch.randperm(len(xtr))
            for b in range(0, len(xtr), 32):
                idx = perm[b:b + 32]
                loss = logloss(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 10 == 0:
                    sf.write(f"{step},{loss.item():.6g}\n")
                step += 1
            model.eval()
            with torch.no_grad():
                z = model(xva)
            pred = (z > 0).float()
            row = {"epoch": epoch,
                   "val_logloss": round(F.binary_cross_entropy_with_logits(z, yva).item(), 6),
                   "val_acc": round((pred == yva).float().mean().item(), 4),
                   "val_worth_recall": round(pred[yva == 1].mean().item(), 4)}
            ef.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 40,
                "takings_scale": 10.0, "detour_cost_s": COST}, out / "detour_cnn.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="detour_cnn.ckpt", log="detour_steps.csv",
           what="1-D CNN without batch norm telling a peddler whether a village is worth the"
                " detour, hand-written log-loss on a sigmoid with no epsilon",
           complaint="My village route classifier was doing great, 97% validation accuracy after"
                     " five epochs, then in epoch 6 the training loss printed nan and from then"
                     " on it predicts 'not worth it' for every single village (accuracy drops to"
                     " 44%, recall 0). Learning rate is only 3e-3 with Adam and the inputs are"
                     " just weekly takings divided by 10. What could make it blow up like that?")


if __name__ == "__main__":
    main()
