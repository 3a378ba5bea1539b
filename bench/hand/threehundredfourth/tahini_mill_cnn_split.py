"""Plain torch: a 1-D CNN without batch norm reads the motor current of a tahini stone mill
over the last 96 seconds of a grind (1 reading a second, amps) and names the texture the QA
taster will give the batch. 4 classes: smooth (0), gritty (1: the stones have opened, the
current is low with a coarse rumble every 6-10 s as seeds pass whole), oily separation (2:
the paste thins and the current sags slowly), scorched (3: the current climbs as the paste
heats and thickens, with a sharp 2-second spike pattern). Every trace has its own load level
(18-30 A), a line hum, sensor noise, and the taster disagrees on 10 % of the batches (labels
flipped at random). Input: (1, 96) (amps - 24) / 4.
Model: conv 1→16 (k 7) + ReLU, conv 16→16 (k 5) + ReLU, flatten 16 × 96 → linear 1536→128 →
ReLU → 4, no pooling; cross entropy, Adam 3e-3, batch 32, a fixed budget of 400 steps,
validation every 40 steps.
The bug: the shuffled 2000 grinds are split with ``train_idx, val_idx = idx[:N_VAL],
idx[N_VAL:]`` (N_VAL = 160): the 160 meant for validation are what the net trains on (80
passes over them in 400 steps), the 1840 meant for training are what it is scored on. The net
learns the 160 traces and their 10 % taster noise by heart: train CE 1.29 → 0.0005 and batch
acc 1.0, while val CE is lowest at step 40 (0.785) and climbs to 1.354 at step 400, val acc
0.70 → 0.777, gritty found 0.65 (numbers in the README). The control (``idx[N_VAL:],
idx[:N_VAL]``, 1840 to train, 160 to check) goes val CE 0.808 → 0.520 (0.490 at step 280),
val acc 0.875.
Log: a TSV every 10 steps ``mill_train.tsv`` (``step`` / ``ce`` / ``acc`` of that batch) and a
separate TSV every 40 steps ``mill_val.tsv`` (``step`` / ``val_ce`` / ``val_acc`` /
``val_acc_gritty``, named as the log in the truth); checkpoint ``mill_cnn.pt`` with keys
``net_state`` / ``adam_state`` / ``steps_done`` / ``textures`` / ``amp_center`` /
``amp_scale``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 96
N_VAL = 160
STEPS = 400
EVAL_EVERY = 40
TEXTURES = ["smooth", "gritty", "oily", "scorched"]


def grinds(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float()
    y = torch.randint(0, 4, (n,), generator=g)
    load = 18 + 12 * r(n, 1)
    amps = load + 0.4 * torch.sin(2 * torch.pi * t / 3.1 + 6.3 * r(n, 1))
    period = 6 + 4 * r(n, 1)
    rumble = 1.5 * (torch.sin(2 * torch.pi * t / period + 6.3 * r(n, 1)) > 0.7).float()
    sag = -3 * (t / T) * (0.6 + 0.8 * r(n, 1))
    climb = 3 * (t / T) ** 2 * (0.6 + 0.8 * r(n, 1))
    spikes = 2 * ((t % 11 < 2) & (t > T / 2)).float() * (r(n, 1) > 0.2).float()
    amps = amps + torch.where(y[:, None] == 1, rumble - 1.5, 0.0)
    amps = amps + torch.where(y[:, None] == 2, sag, 0.0)
    amps = amps + torch.where(y[:, None] == 3, climb + spikes, 0.0)
    amps = amps + 0.6 * torch.randn(n, T, generator=g)
    flip = r(n) < 0.1
    y = torch.where(flip, torch.randint(0, 4, (n,), generator=g), y)
    return ((amps - 24) / 4).unsqueeze(1), y


class MillCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(),
            nn.Conv1d(16, 16, 5, padding=2), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(16 * T, 128), nn.ReLU(), nn.Linear(128, 4))

    def forward(self, x):
        return self.head(self.conv(x).flatten(1))


def build():
    torch.manual_seed(0)
    return MillCNN()


def main():
    from _threehundredfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = grinds(2000, g)
    idx = torch.randperm(2000, generator=g)
    train_idx, val_idx = idx[:N_VAL], idx[N_VAL:]  # hold out N_VAL grinds for the taster check
    xtr, ytr, xva, yva = x[train_idx], y[train_idx], x[val_idx], y[val_idx]
    print("train", len(xtr), "val", len(xva), torch.bincount(ytr))
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    step = 0
    with open(out / "mill_train.tsv", "w") as tlog, open(out / "mill_val.tsv", "w") as vlog:
        tlog.write("step\tce\tacc\n")
        vlog.write("step\tval_ce\tval_acc\tval_acc_gritty\n")
        while step < STEPS:
            for xb, yb in dl:
                model.train()
                logit = model(xb)
                loss = F.cross_entropy(logit, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0:
                    acc = (logit.argmax(1) == yb).float().mean().item()
                    tlog.write(f"{step}\t{loss.item():.5f}\t{acc:.4f}\n")
                if step % EVAL_EVERY == 0:
                    model.eval()
                    with torch.no_grad():
                        vlogit = model(xva)
                    pred = vlogit.argmax(1)
                    vce = F.cross_entropy(vlogit, yva).item()
                    vacc = (pred == yva).float().mean().item()
                    grit = (pred[yva == 1] == 1).float().mean().item()
                    vlog.write(f"{step}\t{vce:.5f}\t{vacc:.4f}\t{grit:.4f}\n")
                    print(step, round(loss.item(), 5), round(vce, 5), round(vacc, 4))
                if step == STEPS:
                    break
    torch.save({"net_state": model.state_dict(), "adam_state": opt.state_dict(),
                "steps_done": STEPS, "textures": TEXTURES, "amp_center": 24.0, "amp_scale": 4.0},
               out / "mill_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["validation_overfit"],
           checkpoint="mill_cnn.pt", log="mill_val.tsv",
           what="1-D CNN naming the tahini texture from a stone mill's motor current; the"
                " train/val split is swapped, so it trains on the 320 held-out grinds",
           complaint="我们用石磨电机电流预测芝麻酱的口感等级。训练集上很快就100%正确了，损失几乎为0，"
                     "可验证集的损失从第三四个epoch开始一路往上涨，最后比一开始还高三倍多，"
                     "验证准确率只有六成多。数据是随机打乱后切分的，标签也是同一位品评员打的。"
                     "是模型写错了，还是需要换更好的优化器？")


if __name__ == "__main__":
    main()
