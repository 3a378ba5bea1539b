"""Plain torch: a harbour-traffic survey sorts hydrophone clips of small boats on a river
mouth into how a sampan is propelled (3 classes): sculled with the stern oar (a slow
0.6-1 Hz stroke rhythm modulating broadband splash noise), a long-tail outboard (a strong
blade-rate tone with harmonics and fast amplitude flutter) or an inboard diesel (a low
firing-rate tone with a thumping envelope). 256-sample clips (envelope-level features at a
low rate), random phase, pitch and level, plus harbour noise. 1-D CNN without
normalisation: Conv1d(1,16,7)-ReLU-MaxPool(2)-Conv1d(16,32,5)-ReLU-MaxPool(2)-Conv1d(32,32,3)-ReLU
-global average pool-Linear(32,3), cross-entropy, Adam 1e-3, batch 64, 8 epochs of 1536 clips,
256 validation clips. Per-step JSON lines ``clips.jsonl`` (step, epoch, loss, and val_loss /
val_acc every 12 steps); checkpoint keys ``state_dict`` / ``optimizer`` / ``step`` /
``epoch``.

Bug: the clips were loaded folder by folder (``sculling/``, ``outboard/``, ``diesel/``) and
the loader is built with ``shuffle=False`` ("the order doesn't matter, it's all the same
data"): every mini-batch of 64 holds one kind of boat, 8 batches of sculling, then 8 of
outboard, then 8 of diesel, every epoch. Numbers: the per-step loss falls within each
run of 8 same-class batches and jumps up when the class changes; val accuracy 0.336 (one
class predicted for every clip) at every evaluation to step 84, 0.48 (108), 0.76 (120),
then swinging 1.0 / 0.66 / 1.0 / 0.66 / 0.99 / 0.668 (steps 132-192, depending on which
class the last batches were), val loss 1.21 → 1.05 (84) → 0.44 (192). Control (``shuffle=True``):
val accuracy 0.35 (step 12), 0.64 (24), 1.0 from step 48
on (0.984 / 0.988 at 60 / 72), val loss 1.04 → 0.45 (48) → 0.084 (84) → 0.0055 (192)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 256


def clips(n_per, g):
    t = torch.arange(T).float() / 64  # 64 samples a second
    xs, ys = [], []
    for c in range(3):
        n = n_per
        ph = 6.283 * torch.rand(n, 1, generator=g)
        lvl = 0.6 + 0.8 * torch.rand(n, 1, generator=g)
        if c == 0:
            f = 0.6 + 0.4 * torch.rand(n, 1, generator=g)
            env = 0.5 + 0.5 * torch.sin(6.283 * f * t + ph).clamp(min=0)
            x = env * torch.randn(n, T, generator=g)
        elif c == 1:
            f = 9 + 5 * torch.rand(n, 1, generator=g)
            x = torch.sin(6.283 * f * t + ph) + 0.5 * torch.sin(2 * 6.283 * f * t + 2 * ph)
            x = x * (1 + 0.3 * torch.sin(6.283 * 3 * t + ph))
        else:
            f = 3 + 2 * torch.rand(n, 1, generator=g)
            x = torch.sin(6.283 * f * t + ph) * (1 + 0.8 * torch.sin(6.283 * f / 2 * t).clamp(min=0))
        xs.append(lvl * x + 0.4 * torch.randn(n, T, generator=g))
        ys.append(torch.full((n,), c))
    return torch.cat(xs).unsqueeze(1), torch.cat(ys)


class BoatCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                               nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                               nn.Conv1d(32, 32, 3, padding=1), nn.ReLU(),
                               nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.out = nn.Linear(32, 3)

    def forward(self, x):
        return self.out(self.f(x))


def build():
    torch.manual_seed(0)
    return BoatCNN()


def main():
    from _twohundredtwentythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = clips(512, g)
    xva, yva = clips(86, g)
    p = torch.randperm(len(yva), generator=g)[:256]
    xva, yva = xva[p], yva[p]
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=64,
                                        shuffle=False, generator=torch.Generator().manual_seed(1))
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "clips.jsonl", "w")
    step = 0
    for epoch in range(8):
        for xb, yb in train:
            model.train()
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            rec = {"step": step, "epoch": epoch, "loss": round(loss.item(), 4)}
            if step % 12 == 0:
                model.eval()
                with torch.no_grad():
                    lv = model(xva)
                rec["val_loss"] = round(F.cross_entropy(lv, yva).item(), 4)
                rec["val_acc"] = round((lv.argmax(1) == yva).float().mean().item(), 4)
                print(rec)
            f.write(json.dumps(rec) + "\n")
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "step": step,
                "epoch": 8}, out / "boat_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["batch_single_class"],
           checkpoint="boat_cnn.pt", log="clips.jsonl",
           what="1-D CNN classifying sampan propulsion from hydrophone clips; loader without"
                " shuffling over class-ordered clips",
           complaint="船型分类的一维CNN（摇橹、长尾外挂机、柴油机三类）训练得很奇怪：前84步验证准确率一直是0.336，后来在1.0和0.66之间来回跳，最后停在0.668，验证损失0.44。训练损失也是一会儿降一会儿突然升高。这三类声音用耳朵都能分清楚，为什么模型这么不稳定？")


if __name__ == "__main__":
    main()
