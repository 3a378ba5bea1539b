"""Plain torch: a 1-D CNN without batch norm warns the keelmen at an upriver staithe that a
storm surge is coming up the river (keels moored on the low-water berth get lifted onto the
quay wall, loaded keels must not be floated off), from the last 16 h of six water-level
gauges between the river mouth and the staithe (64 readings, every 15 min). Under the tide
(M2 + S2, arriving 18 min later and 5 % higher at each gauge upstream) a real surge is a hump
of 0.3-0.6 m lasting 1-2 h that shows at the mouth first and passes each gauge upstream
15-30 min after the one below; a gauge fault or a ship's wake is a hump of the same size at
one gauge only; a squall's wind set-up over the estuary is a hump at every gauge in the
same hour. Half the records hold a surge; of the others, 30 % hold a one-gauge hump and 50 %
a squall hump.
The readings come out of the gauge logger as rows (time, [six gauges, staithe first]), so
each record is (64, 6), in metres.
Model: Conv1d 6→16 (k5) + ReLU, Conv1d 16→32 (k5, stride 2) + ReLU, Conv1d 32→32 (k3) + ReLU,
global max pool, Linear 32→1 (a logit); BCE with logits, AdamW 2e-3 (weight decay 1e-3) with
StepLR (×0.5 every 5 epochs), batch 40, 15 epochs, 2400 records, validation on 600.
The bug: ``xb = xb.reshape(len(xb), 6, 64)  # (batch, gauges, time) for Conv1d`` reshapes the
logger's (time, gauge) rows instead of transposing them, so each "gauge" channel the network
sees is about 11 consecutive readings of all six gauges interleaved: val accuracy 0.51 →
0.80, val BCE 0.692 → 0.438, surge recall 0.87, train BCE 0.47 at the end (control,
``xb = xb.transpose(1, 2)``: val accuracy 0.50 → 0.993, val BCE 0.693 → 0.026, surge recall
0.99).
Log: a TSV per epoch ``surge_fit.tsv`` (``epoch`` / ``lr`` / ``train_bce`` / ``val_bce`` /
``val_acc`` / ``val_recall_surge``); checkpoint ``surge_warn.pt`` with keys ``conv_net`` /
``adamw`` / ``steplr`` / ``epoch`` / ``gauges`` / ``step_min``."""
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

T, G = 64, 6


def records(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = 0.25 * torch.arange(T).float().view(1, 1, T)  # hours
    k = (G - 1 - torch.arange(G).float()).view(1, G, 1)  # gauges counted up from the mouth
    m2, s2 = 1.5 + 0.8 * r(n, 1, 1), 0.4 + 0.3 * r(n, 1, 1)
    p1, p2 = 2 * math.pi * r(n, 1, 1), 2 * math.pi * r(n, 1, 1)
    tl = t - 0.3 * k
    level = (1 + 0.05 * k) * (m2 * torch.cos(2 * math.pi * tl / 12.42 + p1)
                              + s2 * torch.cos(2 * math.pi * tl / 12.0 + p2))
    surge = (r(n) < 0.5).float()
    amp = (0.3 + 0.3 * r(n, 1, 1))
    width = 0.5 + 0.5 * r(n, 1, 1)
    lag = 0.25 + 0.25 * r(n, 1, 1)
    t0 = 2 + 10 * r(n, 1, 1)
    hump = amp * torch.exp(-0.5 * ((t - t0 - lag * k) / width) ** 2)
    u = r(n)
    fault = ((u < 0.3).float() * (1 - surge)).view(n, 1, 1)
    squall = ((u > 0.5).float() * (1 - surge)).view(n, 1, 1)
    one = nn.functional.one_hot(torch.randint(0, G, (n,), generator=g), G).float().view(n, G, 1)
    flat = amp * torch.exp(-0.5 * ((t - t0) / width) ** 2)  # the same hour at every gauge
    level = level + surge.view(n, 1, 1) * hump + fault * one * hump + squall * flat
    level = level + 0.04 * torch.randn(n, G, T, generator=g)
    return level.transpose(1, 2).contiguous(), surge.unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(6, 16, 5, padding=2), nn.ReLU(),
                         nn.Conv1d(16, 32, 5, stride=2, padding=2), nn.ReLU(),
                         nn.Conv1d(32, 32, 3, padding=1), nn.ReLU(),
                         nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(32, 1))


def main():
    from _threehundredeightyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = records(2400, g)
    xva, yva = records(600, g)
    print("surge share", ytr.mean().item(), "record", tuple(xtr.shape[1:]))
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.5)
    crit = nn.BCEWithLogitsLoss()
    with open(out / "surge_fit.tsv", "w") as log:
        log.write("epoch\tlr\ttrain_bce\tval_bce\tval_acc\tval_recall_surge\n")
        for epoch in range(15):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                xb = xb.reshape(len(xb), 6, 64)  # (batch, gauges, time) for Conv1d
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                xb = xva
                xb = xb.reshape(len(xb), 6, 64)  # (batch, gauges, time) for Conv1d
                logit = model(xb)
            pred = (logit > 0).float()
            row = [lr, tot / len(xtr), crit(logit, yva).item(), (pred == yva).float().mean().item(),
                   pred[yva == 1].mean().item()]
            log.write(f"{epoch}\t" + "\t".join(f"{v:.6g}" for v in row) + "\n")
            print(epoch, [round(v, 5) for v in row])
    torch.save({"conv_net": model.state_dict(), "adamw": opt.state_dict(),
                "steplr": sched.state_dict(), "epoch": 15, "gauges": G, "step_min": 15},
               out / "surge_warn.pt")
    finish(out, __file__, (xb[:64], yva[:64]), causes=["input_layout_scrambled"],
           checkpoint="surge_warn.pt", log="surge_fit.tsv",
           what="1-D CNN warning of a storm surge coming up a river from six gauges; the"
                " logger's (time, gauge) rows reshaped to (gauge, time) instead of transposed",
           complaint="风暴潮预警模型训练了15轮，验证集准确率只有0.80左右，val loss 从0.69降到0.44"
                     "就下不去了，训练集 loss 也停在0.47。六个水位站的数据，人眼一看就能看出潮涌"
                     "是从河口一站一站往上游走的，和单站的异常很好区分，按理说不应该这么难学。"
                     "是模型太小了吗？")


if __name__ == "__main__":
    main()
