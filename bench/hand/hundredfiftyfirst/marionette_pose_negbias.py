"""Which pose is the marionette in? A puppetry rig logs the tension on the 9 strings of a
string puppet (head, back, two hands, two knees, two feet, the seat) plus the control bar's
pitch/roll/yaw; an MLP (12 → 256 → 256 → 128 → 6, ReLU) names the pose: stand, walk, bow, sit,
wave, jump. Each pose has its own tension template (× a per-puppet weight 0.8–1.2) plus noise,
standardised per column on the training split. Adam 1e-3, batch 64, 20 epochs of 3000 frames;
a plain-text log, one ``epoch N | loss … | val_loss … | val_acc …`` line per epoch.
Bug: the author copied an "init trick" to keep hidden activations sparse and set every hidden
bias with ``nn.init.constant_(m.bias, -3.0)`` (weights default-initialised, fan-in scaled, so
pre-activations have std ~0.6): almost every hidden unit is below zero for every input, the
ReLUs pass nothing and no gradient, and the loss sits at ln 6 ≈ 1.79: train loss 1.7938 → 1.7914 over 20 epochs, val accuracy
0.15–0.19, no fc1 unit positive for any validation frame. Control (``nn.init.zeros_``): val
accuracy 0.96 after epoch 1, 0.95 at epoch 20 (train loss 0.042)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

POSES = ["stand", "walk", "bow", "sit", "wave", "jump"]


def frames(n, g):
    tmpl = torch.randn(6, 12, generator=torch.Generator().manual_seed(42))
    y = torch.randint(0, 6, (n,), generator=g)
    w = 0.8 + 0.4 * torch.rand(n, 1, generator=g)
    x = tmpl[y] * w + 0.9 * torch.randn(n, 12, generator=g)
    return x, y


class PoseNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(12, 256), nn.Linear(256, 256), nn.Linear(256, 128)
        self.out = nn.Linear(128, 6)
        for m in (self.fc1, self.fc2, self.fc3):
            nn.init.constant_(m.bias, -3.0)  # sparse activations

    def forward(self, x):
        h = F.relu(self.fc1(x))
        h = F.relu(self.fc2(h))
        h = F.relu(self.fc3(h))
        return self.out(h)


def build():
    torch.manual_seed(0)
    return PoseNet()


def main():
    from _hundredfiftyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(5)
    xtr, ytr = frames(3000, g)
    xva, yva = frames(800, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "train.log", "w")
    for epoch in range(1, 21):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot = 0.0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            line = (f"epoch {epoch} | loss {tot / len(xtr):.4f} | val_loss "
                    f"{F.cross_entropy(lo, yva).item():.4f} | val_acc "
                    f"{(lo.argmax(1) == yva).float().mean().item():.4f}")
            alive = (F.relu(model.fc1(xva)) > 0).any(0).float().mean().item()
        log.write(line + "\n")
        print(line, "alive fc1", alive)
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 20,
                "poses": POSES, "mu": mu, "sd": sd}, out / "posenet.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dead_relu"], checkpoint="posenet.ckpt",
           log="train.log", what="marionette pose MLP, hidden biases initialised to -3.0",
           complaint="我的提线木偶姿态分类模型完全学不动：6 个姿态，训练了 20 个 epoch，"
                     "train loss 一直在 1.79 左右（第 1 个 epoch 1.7938，第 20 个 epoch 1.7914），"
                     "验证准确率只有 0.19，跟瞎猜差不多。数据已经按列标准化了，学习率 1e-3 的 Adam。")


if __name__ == "__main__":
    main()
