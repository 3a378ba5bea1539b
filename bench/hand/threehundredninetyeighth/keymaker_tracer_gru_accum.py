"""Plain torch: a bidirectional GRU restores the factory profile of a worn house key from the
tracer trace of a key-duplicating machine, so the keymaker cuts the copy to the code and not
to the wear. A 5-pin key: cut centres every 0.156" from the shoulder, depths 0-9 in
0.015" steps below the blade top, each cut a 100° V with a flat root 0.02" wide (the
cutter), adjacent cuts at most 7 steps apart (the maker's MACS rule). The trace is sampled at
64 points along the blade (0.0125" apart); wear rounds the peaks between cuts and the root
edges (a smoothing of 2-5 samples) and takes 0-2 steps off the peaks, plus tracer noise
(0.2 step). Input: (64, 1) traced height in depth steps / 10; target: (64, 1) factory height
in depth steps / 10, per sample. Model: GRU(1→32, 1 layer, bidirectional) + Linear 64→1
per sample; MSE, SGD 0.1 (momentum 0.9), micro-batches of 32 with 4 accumulated per step
(an effective batch of 128), 12 epochs of 1024 keys, validation on 256.
The bug: the accumulation loop backpropagates each micro-batch's mean loss as it is, never
divided by the 4 micro-batches (``loss = F.mse_loss(pred, yb)  # mean over the 32 keys``),
so every optimizer step applies 4× the mean gradient, an effective learning rate of 0.4:
the step loss swings 0.1-2.4 in the first 9 steps, turns inf at optimizer step 30 and NaN
at step 34 (epoch 4); val MSE 2.33 after epoch 0 (target variance 0.064), 6.8e7 after epoch
1, NaN from epoch 4 on (control, ``F.mse_loss(pred, yb) / ACCUM``: val MSE 0.157 → 0.0040,
MAE 3.48 → 0.51 depth steps).
Log: TSV per optimizer step ``tracer_steps.tsv`` (``opt_step`` / ``epoch`` / ``mse``) and a
JSON lines file per epoch ``tracer_val.jsonl`` (``epoch`` / ``val_mse`` / ``val_mae_steps`` /
``val_depth_hit``, the share of cut roots within half a step); checkpoint ``tracer_gru.pth``
with keys ``gru_state`` / ``sgd_state`` / ``epoch`` / ``accum`` / ``micro_batch`` /
``depth_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

L_PTS = 64
DX = 0.0125
ACCUM = 4
MICRO = 32


def keys(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    d = torch.zeros(n, 5)
    d[:, 0] = torch.randint(0, 10, (n,), generator=g).float()
    for i in range(1, 5):  # MACS 7: no neighbouring cuts more than 7 steps apart
        lo, hi = (d[:, i - 1] - 7).clamp(min=0), (d[:, i - 1] + 7).clamp(max=9)
        d[:, i] = (lo + ((hi - lo + 1) * r(n)).floor()).clamp(max=9)
    x = DX * torch.arange(L_PTS).float() + 0.1
    centres = 0.18 + 0.156 * torch.arange(5).float()
    slope = 1 / (0.015 * 0.839)  # 100° V: 0.839" run per inch of depth, in steps per inch
    dist = (x.view(1, 1, -1) - centres.view(1, 5, 1)).abs() - 0.01
    depth = (d.unsqueeze(2) - slope * dist.clamp(min=0)).clamp(min=0).amax(1)  # steps below top
    factory = 10 - depth
    k = (2 + 4 * r(n)).long()
    worn = torch.empty_like(factory)
    for w in range(2, 6):
        sel = k == w
        ker = torch.ones(1, 1, w) / w
        sm = F.conv1d(F.pad(factory[sel].unsqueeze(1), (w // 2, (w - 1) // 2), mode="replicate"),
                      ker).squeeze(1)
        worn[sel] = sm
    wear = 2 * r(n, 1)
    worn = torch.minimum(worn, 10 - wear) + 0.2 * torch.randn(n, L_PTS, generator=g)
    return (worn / 10).unsqueeze(2), (factory / 10).unsqueeze(2), d


class TracerGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(1, 32, num_layers=1, batch_first=True, bidirectional=True)
        self.head = nn.Linear(64, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.head(h)


def build():
    torch.manual_seed(0)
    return TracerGRU()


def main():
    from _threehundredninetyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr, _ = keys(1024, g)
    xva, yva, dva = keys(256, g)
    roots = (0.1 + DX * torch.arange(L_PTS)).view(1, 1, -1)
    root_idx = ((0.18 + 0.156 * torch.arange(5).float()).view(1, 5, 1) - roots).abs().argmin(2)
    print("target var", ytr.var().item())
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    torch.manual_seed(1)
    step = 0
    with open(out / "tracer_steps.tsv", "w") as ft, open(out / "tracer_val.jsonl", "w") as fv:
        ft.write("opt_step\tepoch\tmse\n")
        for epoch in range(12):
            model.train()
            perm = torch.randperm(len(xtr))
            opt.zero_grad()
            acc = 0.0
            for i in range(0, len(xtr), MICRO):
                idx = perm[i:i + MICRO]
                xb, yb = xtr[idx], ytr[idx]
                pred = model(xb)
                loss = F.mse_loss(pred, yb)  # mean over the 32 keys
                loss.backward()
                acc += loss.item() / ACCUM
                if (i // MICRO + 1) % ACCUM == 0:
                    opt.step()
                    opt.zero_grad()
                    step += 1
                    ft.write(f"{step}\t{epoch}\t{acc:.6g}\n")
                    acc = 0.0
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            mse = F.mse_loss(pv, yva).item()
            mae = (pv - yva).abs().mean().item() * 10
            root_pred = 10 - 10 * pv.squeeze(2).gather(1, root_idx.squeeze(0).expand(len(xva), 5))
            hit = ((root_pred - dva).abs() < 0.5).float().mean().item()
            rec = {"epoch": epoch, "val_mse": round(mse, 6), "val_mae_steps": round(mae, 5),
                   "val_depth_hit": round(hit, 5)}
            fv.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"gru_state": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 12,
                "accum": ACCUM, "micro_batch": MICRO, "depth_scale": 10.0},
               out / "tracer_gru.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="tracer_gru.pth", log="tracer_val.jsonl",
           what="bidirectional GRU restoring a worn key's factory profile from a duplicator's"
                " tracer trace; accumulated micro-batch losses never divided by the 4 steps",
           complaint=("钥匙复制机的磨损修正模型：我们用 GRU 从描摹曲线还原出厂齿形，每 4 个 micro-batch"
                     "（每个 32 把钥匙）累积一次再 step，SGD lr 0.1。第一个 epoch 的 loss 就在 0.1 和 2.4"
                     " 之间来回跳，第 30 步变成 inf，第 34 步以后全是 NaN；验证集 MSE 第 0 轮 2.3，"
                     "第 1 轮已经 6.8e7，之后一直是 NaN。数据和标签都检查过了，没有问题。"))


if __name__ == "__main__":
    main()
