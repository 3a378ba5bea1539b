"""Plain torch: a GRU follows the strength of the brine in an open lead pan at an inland salt
works, minute by minute through a boil, from what the saltboiler can read without drawing a
sample: the pan temperature, the stoking of the fire and the buckets of fresh brine ladled
in. The brine starts at 12-20 % salt; water boils off at a rate set by the fire (each stoke
lifts the heat, which then dies away over about 20 min) and the pan's size; fresh brine
dilutes the pan; once the brine reaches saturation (26.4 %) salt strikes and the strength
stays there while the crystals grow. The boiling point rises with strength (about 0.33 °C
per % salt), so the thermometer carries a faint trace of it, the rest has to be integrated
from the fire. 360 one-minute steps a boil; per-step target (salt % - 20) / 5.
Model: GRU 3→32, Linear 32→1 on every step; MSE; truncated back-propagation over 30-minute
chunks of the boil, one Adam step (3e-3, gradient norm clipped at 1.0) per batch of 8 boils
after its 12 chunks, 8 epochs, 64 boils, validation on 64.
The bug: ``h = h_next`` hands the GRU state to the next chunk without detaching it, so each
chunk's ``backward(retain_graph=True)`` runs back through every earlier chunk of the boil:
0.86-1.17 s CPU per epoch (four runs), about 4-5× the control (``h = h_next.detach()``:
0.21-0.24 s per epoch). Accuracy is not hurt (it is the full back-propagated gradient of the boil): val
MSE 0.205 → 0.051, MAE 1.98 → 0.91 % salt (control 0.205 → 0.0525, MAE 0.93 %; target
variance 0.161).
Log: JSON lines ``pan_tbptt.jsonl``: ``{"rec": "step", "epoch", "batch", "mse"}`` per batch of
boils and ``{"rec": "epoch", "epoch", "val_mse", "val_mae_pct", "cpu_s"}`` per epoch
(``cpu_s`` is CPU time); checkpoint ``brine_gru.pth`` with keys ``gru_net`` / ``adam_state`` /
``epochs_done`` / ``chunk`` / ``in_scale`` / ``pct_offset_scale``."""
import json
import time

import torch
import torch.nn as nn

T = 360
CHUNK = 30


def boils(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    c = 12 + 8 * r(n)  # starting strength, %
    vol = torch.ones(n)  # pan volume, relative to the fill
    pan = 0.8 + 0.4 * r(n)  # pan size: bigger pans boil off slower relative to volume
    heat = torch.zeros(n)
    stoke = (r(n, T) < 0.08).float() * (0.5 + r(n, T))
    ladle = (r(n, T) < 0.015).float() * (0.04 + 0.04 * r(n, T))
    xs, ys = [], []
    for t in range(T):
        heat = heat * 0.95 + 0.12 * stoke[:, t]
        boil = (heat - 0.3).clamp(min=0)
        evap = 0.0012 * boil / pan
        salt = c * vol
        vol = (vol - evap + ladle[:, t]).clamp(min=0.2)
        c_new = (salt + ladle[:, t] * (12 + 4 * r(n))) / vol
        c = c_new.clamp(max=26.4)
        temp = 100 + 0.33 * c - 6 * (heat < 0.3).float() * (0.3 - heat)
        temp = temp + 0.4 * torch.randn(n, generator=g)
        xs.append(torch.stack([(temp - 105) / 3, stoke[:, t], ladle[:, t] * 20], 1))
        ys.append((c - 20) / 5)
    return torch.stack(xs, 1), torch.stack(ys, 1).unsqueeze(2)


class BrineGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.out = nn.Linear(32, 1)

    def forward(self, x, h=None):
        y, h = self.gru(x, h)
        return self.out(y), h


def build():
    torch.manual_seed(0)
    return BrineGRU()


def main():
    from _threehundredsixtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = boils(64, g)
    xva, yva = boils(64, g)
    print("strength spread", (ytr * 5 + 20).std().item())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    crit = nn.MSELoss()
    torch.manual_seed(0)
    with open(out / "pan_tbptt.jsonl", "w") as log:
        for epoch in range(8):
            t0 = time.process_time()
            model.train()
            perm = torch.randperm(len(xtr))
            for b, i in enumerate(range(0, len(perm), 8)):
                xb, yb = xtr[perm[i:i + 8]], ytr[perm[i:i + 8]]
                opt.zero_grad()
                h, tot = None, 0.0
                for c in range(0, T, CHUNK):
                    pred, h_next = model(xb[:, c:c + CHUNK], h)
                    loss = crit(pred, yb[:, c:c + CHUNK])
                    (loss / (T // CHUNK)).backward(retain_graph=True)
                    tot += loss.item()
                    h = h_next  # the pan carries on into the next block of minutes
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                log.write(json.dumps({"rec": "step", "epoch": epoch, "batch": b,
                                      "mse": round(tot / (T // CHUNK), 6)}) + "\n")
            model.eval()
            with torch.no_grad():
                p, _ = model(xva)
            rec = {"rec": "epoch", "epoch": epoch, "val_mse": round(crit(p, yva).item(), 6),
                   "val_mae_pct": round(((p - yva).abs().mean() * 5).item(), 4),
                   "cpu_s": round(time.process_time() - t0, 3)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"gru_net": model.state_dict(), "adam_state": opt.state_dict(),
                "epochs_done": 8, "chunk": CHUNK, "in_scale": [105.0, 3.0, 20.0],
                "pct_offset_scale": [20.0, 5.0]}, out / "brine_gru.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["rnn_state_not_detached"],
           checkpoint="brine_gru.pth", log="pan_tbptt.jsonl",
           what="GRU following brine strength minute by minute through a salt pan boil,"
                " truncated BPTT whose carried state is never detached",
           complaint="盐锅卤水浓度的 GRU 模型训练慢得出奇：每个 epoch 要差不多 1 秒 CPU，"
                     "可训练集只有 64 锅、每个 epoch 才 8 个 batch，GRU 隐藏层也只有 32。"
                     "验证 MSE 从 0.205 降到 0.051，结果还算正常，就是太慢了，"
                     "序列再长一点根本跑不动。这是怎么回事？")


if __name__ == "__main__":
    main()
