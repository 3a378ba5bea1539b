"""Plain torch: a small transformer encoder tells a tobacco pipemaker whether a briar block
hides a sand pit or a crack (binary) before the bowl is turned, from an ultrasonic scan
along the block: 40 readings of the time of flight through the wood, one every 1.5 mm. Sound
wood shows the growth rings (a slow wave with a period of 6-14 readings whose depth and
phase vary block to block), a density drift along the burl and probe noise; a flaw is a
short, sharp delay 2-4 readings wide at a random place (the sound goes round the pit), its
size from small to large, in about 40 % of the blocks. Small flaws are about as deep as the
grain wave, so the model has to look at the shape, not only the level.
Input: (40, 1) time of flight, centred per block and divided by 2 µs. Model: Linear 1→32 +
learned position embedding, 2 TransformerEncoder layers (4 heads, feed-forward 64, post-norm),
mean pool, Linear 32→1; BCE with logits, Adam, batch 64, 10 epochs, 1600 blocks, validation
on 500.
The bug: ``torch.optim.Adam(model.parameters(), lr=0.1)``, a step size far too big for a
transformer with Adam: the net falls to a constant answer in the first epoch, val BCE 0.682
→ 0.675 (the prior's 0.673), val accuracy 0.596 (the sound share) and flaw recall 0.0
every epoch (control, ``lr=2e-3``: val BCE 0.422 → 0.284 (0.264 at best), accuracy 0.844 →
0.89, flaw recall 0.62 → 0.82).
Log: CSV every 5 steps ``briar_steps.csv`` (``step`` / ``bce`` / ``grad_norm``) and a
separate per-epoch CSV ``briar_val.csv`` (``epoch`` / ``val_bce`` / ``val_acc`` /
``val_recall_flaw``, named as the log in the truth); checkpoint ``briar_tx.pt`` with keys
``encoder`` / ``adam`` / ``steps`` / ``seq_len`` / ``tof_scale_us``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 40


def scans(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    pos = torch.arange(T).float()
    period = 6 + 8 * r(n, 1)
    rings = (0.6 + 0.8 * r(n, 1)) * torch.sin(2 * math.pi * pos / period + 2 * math.pi * r(n, 1))
    drift = (r(n, 1) - 0.5) * 2 * pos / T
    tof = rings + drift + 0.15 * torch.randn(n, T, generator=g)
    flaw = (r(n) < 0.4).float()
    at = 4 + (T - 8) * r(n, 1)
    width = 0.7 + 0.5 * r(n, 1)
    size = 1.5 + 2.0 * r(n, 1)
    tof = tof + flaw.unsqueeze(1) * size * torch.exp(-0.5 * ((pos - at) / width) ** 2 * 2)
    tof = tof - tof.mean(1, keepdim=True)
    return tof.unsqueeze(2), flaw.unsqueeze(1)


class BriarEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(1, 32)
        self.pos = nn.Parameter(0.02 * torch.randn(T, 32))
        layer = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True,
                                           norm_first=False)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        return self.head(self.enc(self.inp(x) + self.pos).mean(1))


def build():
    torch.manual_seed(0)
    return BriarEncoder()


def main():
    from _fourhundredfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = scans(1600, g)
    xva, yva = scans(500, g)
    print("flaw share", ytr.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=0.1)  # as in our SGD baseline
    step = 0
    with open(out / "briar_steps.csv", "w") as slog, open(out / "briar_val.csv", "w") as vlog:
        slog.write("step,bce,grad_norm\n")
        vlog.write("epoch,val_bce,val_acc,val_recall_flaw\n")
        for epoch in range(10):
            model.train()
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                gn = torch.nn.utils.clip_grad_norm_(model.parameters(), float("inf"))
                opt.step()
                if step % 5 == 0:
                    slog.write(f"{step},{loss.item():.6f},{gn.item():.6f}\n")
                step += 1
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            p = (lv > 0).float()
            row = [F.binary_cross_entropy_with_logits(lv, yva).item(),
                   (p == yva).float().mean().item(), p[yva > 0].mean().item()]
            vlog.write(f"{epoch}," + ",".join(f"{v:.6f}" for v in row) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"encoder": model.state_dict(), "adam": opt.state_dict(), "steps": step,
                "seq_len": T, "tof_scale_us": 2.0}, out / "briar_tx.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="briar_tx.pt", log="briar_val.csv",
           what="transformer encoder flagging sand pits / cracks in briar blocks from an"
                " ultrasonic time-of-flight scan; Adam at lr 0.1",
           complaint="My briar scan classifier says 'sound' for every block, every epoch, so"
                     " accuracy is stuck at 0.596, which is exactly the share of sound blocks,"
                     " and it has not caught a single sand pit in 10 epochs. Loss is about"
                     " 0.67-0.68 from the first epoch on. The flaws are clearly visible in the"
                     " scans. Is a transformer just wrong for 40-point scans?")


if __name__ == "__main__":
    main()
